/**
 * The poller's use case: find due tasks through the sparse due index, claim each with a lease
 * (a conditional write), ask Runway how it stands, and write the next version.
 *
 * <p>{@link com.runwayrelay.domain.poll.Poller} runs one invocation; {@link
 * com.runwayrelay.domain.poll.PollPolicy} holds every tunable (intervals, lease, concurrency, rate
 * cap, retry rules). Pure JDK, like the rest of the domain: the function module supplies the
 * DynamoDB repository, the Runway gateway and the log.
 */
package com.runwayrelay.domain.poll;
