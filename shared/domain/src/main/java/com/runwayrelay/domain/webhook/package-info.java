/**
 * Webhooks: telling an app that its task ended, the Standard Webhooks way.
 *
 * <p>{@link com.runwayrelay.domain.webhook.WebhookDispatch} is the use case: it decides whether a
 * delivery is due, claims it with a conditional write, signs the event
 * ({@link com.runwayrelay.domain.webhook.WebhookSigner}), sends it through the
 * {@link com.runwayrelay.domain.webhook.WebhookSender} port and records the attempt and the next
 * state on the task, following the {@link com.runwayrelay.domain.webhook.RetrySchedule}.
 * Rendering the payload ({@link com.runwayrelay.domain.webhook.EventPayloads}) and the network
 * are adapters; nothing here depends on JSON, HTTP or AWS.
 */
package com.runwayrelay.domain.webhook;
