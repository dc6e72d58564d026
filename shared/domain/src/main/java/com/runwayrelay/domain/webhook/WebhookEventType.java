package com.runwayrelay.domain.webhook;

import com.runwayrelay.domain.TaskState;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The events an app can be told about: one per way a task can end, and the opt-in events of its
 * course ({@link #TASK_STARTED}, {@link #TASK_PROGRESS}, {@link #TASK_DELIVERED}). An app chooses
 * among them per task ({@code relay.webhookEvents}); without a choice it gets {@link #DEFAULT}.
 */
public enum WebhookEventType {
    /** The task's outputs are archived ({@link TaskState#ARCHIVED}). */
    TASK_SUCCEEDED("task.succeeded"),
    /** The task failed ({@link TaskState#FAILED}). */
    TASK_FAILED("task.failed"),
    /** The app cancelled the task, or its deadline passed ({@link TaskState#CANCELLED}, {@link TaskState#EXPIRED}). */
    TASK_CANCELLED("task.cancelled"),
    /** Runway reported the task RUNNING for the first time (written by the poller with that observation). */
    TASK_STARTED("task.started"),
    /** Runway reported a new {@code progress}; throttled per task (the poller's progress-event interval). */
    TASK_PROGRESS("task.progress"),
    /**
     * Every delivery of the task's outputs into the app's own storage ({@code relay.deliverTo}) has
     * ended, well or not. Only tasks with {@code deliverTo} have one; sent after the task's end event.
     */
    TASK_DELIVERED("task.delivered");

    /** The events sent when a task does not choose ({@code relay.webhookEvents} absent): the three ends, as always. */
    public static final Set<WebhookEventType> DEFAULT =
            Set.copyOf(EnumSet.of(TASK_SUCCEEDED, TASK_FAILED, TASK_CANCELLED));

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code type} field of the payload, e.g. {@code task.succeeded}. */
    public String wireName() {
        return wireName;
    }

    /** Whether this event announces the end of a task (one of the three {@link #of(TaskState)} gives). */
    public boolean ends() {
        return this == TASK_SUCCEEDED || this == TASK_FAILED || this == TASK_CANCELLED;
    }

    /**
     * Whether this event tells of the task's course before its end ({@link #TASK_STARTED},
     * {@link #TASK_PROGRESS}): a task's end event waits until such an event's delivery has ended,
     * so the events of a task arrive in their order.
     */
    public boolean precedesEnd() {
        return this == TASK_STARTED || this == TASK_PROGRESS;
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
