package com.runwayrelay.domain.gateway;

import com.runwayrelay.domain.Task;

/**
 * Which tasks an app can see. Like Runway, a task the app deleted (or cancelled) is gone for it:
 * reading or deleting it again answers 404. The record is kept, marked with
 * {@link #DELETED} in {@link Task#stateReason()}, so the idempotency record pointing at it and
 * webhook deliveries stay consistent.
 */
public final class TaskVisibility {
    /** {@link Task#stateReason()} of a task the app deleted. */
    public static final String DELETED = "DELETED_BY_APP";

    private TaskVisibility() {
    }

    /** Whether the app deleted the task. */
    public static boolean deleted(Task task) {
        return DELETED.equals(task.stateReason());
    }

    /** Whether {@code appId} may see the task: it owns it and has not deleted it. */
    public static boolean visibleTo(Task task, String appId) {
        return task.appId().equals(appId) && !deleted(task);
    }
}
