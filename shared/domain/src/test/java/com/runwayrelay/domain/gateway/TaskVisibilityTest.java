package com.runwayrelay.domain.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.Task;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskVisibilityTest {
    private final Task task = Task.accepted("t1", "app_a", "text_to_image", "gen4_image", "{}", 5,
            Instant.parse("2026-11-21T06:00:00Z")).build();

    @Test
    void ownerSeesItsTask_othersDoNot() {
        assertTrue(TaskVisibility.visibleTo(task, "app_a"));
        assertFalse(TaskVisibility.visibleTo(task, "app_b"));
    }

    @Test
    void nobodySeesADeletedTask() {
        Task deleted = task.toBuilder().stateReason(TaskVisibility.DELETED).build();
        assertTrue(TaskVisibility.deleted(deleted));
        assertFalse(TaskVisibility.visibleTo(deleted, "app_a"));
    }
}
