package com.runwayrelay.domain.webhook;

import com.runwayrelay.domain.TaskState;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The events an app is told about: one per way a task can end. An app may choose among them per
 * task ({@code relay.webhookEvents}); {@link #NOT_YET_SENT} names the events it may not choose yet.
 */
public enum WebhookEventType {
    /** The task's outputs are archived ({@link TaskState#ARCHIVED}). */
    TASK_SUCCEEDED("task.succeeded"),
    /** The task failed ({@link TaskState#FAILED}). */
    TASK_FAILED("task.failed"),
    /** The app cancelled the task, or its deadline passed ({@link TaskState#CANCELLED}, {@link TaskState#EXPIRED}). */
    TASK_CANCELLED("task.cancelled");

    /**
     * Event names the gateway reserves but does not send yet (no writer produces them): a request
     * choosing one is refused as not supported rather than accepted and never honoured.
     */
    public static final Set<String> NOT_YET_SENT = Set.of("task.started", "task.progress", "task.delivered");

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code type} field of the payload, e.g. {@code task.succeeded}. */
    public String wireName() {
        return wireName;
    }

    /** The event with this {@code type} name, e.g. {@code task.failed}; empty for any other name. */
    public static Optional<WebhookEventType> ofWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    /** The event announcing that a task reached {@code state}; empty for states that are not terminal. */
    public static Optional<WebhookEventType> of(TaskState state) {
        return switch (state) {
            case ARCHIVED -> Optional.of(TASK_SUCCEEDED);
            case FAILED -> Optional.of(TASK_FAILED);
            case CANCELLED, EXPIRED -> Optional.of(TASK_CANCELLED);
            case ACCEPTED, SUBMITTED, OUTPUT_READY -> Optional.empty();
        };
    }
}
