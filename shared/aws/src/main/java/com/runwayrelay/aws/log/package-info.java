/**
 * Structured logs: every line a function writes is one JSON object on standard output, which Lambda's
 * JSON log format keeps as one event and whose {@code level} its log-level filter reads. {@link
 * com.runwayrelay.aws.log.JsonLog} writes the functions' events (ids, states, outcomes, durations;
 * never bodies, keys, secrets or links); {@link com.runwayrelay.aws.log.JsonLoggerFinder} turns every
 * {@link java.lang.System.Logger} call in the same JVM into such a line.
 */
package com.runwayrelay.aws.log;
