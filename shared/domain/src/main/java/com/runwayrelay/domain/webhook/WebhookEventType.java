package com.runwayrelay.domain.webhook;

import com.runwayrelay.domain.TaskState;
import java.util.Optional;

/** The events an app is told about: one per way a task can end. */
public enum WebhookEventType {
    /** The task's outputs are archived ({@link TaskState#ARCHIVED}). */
    TASK_SUCCEEDED("task.succeeded"),
    /** The task failed ({@link TaskState#FAILED}). */
    TASK_FAILED("task.failed"),
    /** The app cancelled the task, or its deadline passed ({@link TaskState#CANCELLED}, {@link TaskState#EXPIRED}). */
    TASK_CANCELLED("task.cancelled");

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code type} field of the payload, e.g. {@code task.succeeded}. */
    public String wireName() {
        return wireName;
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
