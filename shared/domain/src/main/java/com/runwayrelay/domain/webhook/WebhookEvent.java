package com.runwayrelay.domain.webhook;

import java.time.Instant;
import java.util.Objects;

/**
 * The event a webhook announces, independent of the attempt carrying it.
 *
 * @param messageId the {@code webhook-id}, stable across retries
 * @param type      what happened
 * @param sequence  the task's event counter, 1 for its first event; lets receivers drop stale events
 * @param timestamp when the event was first sent; stable across retries
 */
public record WebhookEvent(String messageId, WebhookEventType type, long sequence, Instant timestamp) {
    public WebhookEvent {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1");
        }
    }

    /**
     * The {@code webhook-id} of a task's {@code sequence}-th event: derived, not random, so every
     * writer agrees on it without coordination. Contains no '.', as the signature scheme requires.
     */
    public static String messageIdOf(String taskId, long sequence) {
        return "msg_" + taskId.replace("-", "").replace(".", "") + "_" + sequence;
    }
}
