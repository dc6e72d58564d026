package com.runwayrelay.domain;

import com.runwayrelay.domain.webhook.DeliveryStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The state of a task's webhook: what was sent, how it went, what is next.
 *
 * @param status    where the delivery stands; stored as the constant's name
 * @param messageId the {@code webhook-id}, stable across retries of one event
 * @param eventType e.g. {@code task.succeeded}
 * @param sequence  per-task sequence number of the event
 * @param attempts  every attempt made, oldest first
 * @param nextAt    when the next attempt is due, or null
 */
public record WebhookDelivery(DeliveryStatus status, String messageId, String eventType, long sequence,
                              List<DeliveryAttempt> attempts, Instant nextAt) {
    public WebhookDelivery {
        Objects.requireNonNull(status, "status");
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /**
     * One delivery attempt.
     *
     * @param at         when it was sent
     * @param httpStatus the receiver's status code, or 0 when no response arrived
     * @param error      why it failed (timeout, connection refused, redirect not followed...), or null
     */
    public record DeliveryAttempt(Instant at, int httpStatus, String error) {
    }
}
