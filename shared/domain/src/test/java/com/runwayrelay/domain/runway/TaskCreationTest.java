package com.runwayrelay.domain.runway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.memory.ScriptedRunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway.CreateOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskCreationTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private static final Duration RETRY = Duration.ofSeconds(30);
    private final ScriptedRunwayGateway runway = new ScriptedRunwayGateway();
    private final TaskCreation creation = new TaskCreation(runway);

    private static Task accepted() {
        return Task.accepted("t1", "app1", "text_to_image", "gen4_image", "{}", 5, T0).build();
    }

    @Test
    void beginRecordsAnAttemptInFlight_thatBlocksAnotherCreate() {
        Task begun = TaskCreation.begin(accepted(), T0);

        assertEquals(1, begun.attempts().size());
        assertEquals(TaskCreation.IN_FLIGHT, begun.lastAttempt().outcome());
        assertEquals(2, begun.version());
        assertTrue(TaskCreation.mayCreate(accepted()));
        assertFalse(TaskCreation.mayCreate(begun));
    }

    @Test
    void createdTaskIsSubmitted_withTheRunwayIdAndPollingDueIn5s() {
        Task next = creation.send(TaskCreation.begin(accepted(), T0), T0, RETRY);

        assertEquals(TaskState.SUBMITTED, next.state());
        assertEquals("rw-1", next.runwayTaskId());
        assertEquals("CREATED", next.lastAttempt().outcome());
        assertEquals(T0.plusSeconds(5), next.dueAt());
    }

    @Test
    void rejectedRequestFails_andLeavesTheDueIndex() {
        runway.queueCreate(new CreateOutcome.Rejected("promptText: too long", List.of()));
        Task next = creation.send(TaskCreation.begin(accepted(), T0), T0, RETRY);

        assertEquals(TaskState.FAILED, next.state());
        assertEquals("RUNWAY.BAD_REQUEST", next.failureCode());
        assertNull(next.dueAt());
    }

    @Test
    void unavailableRunwayLeavesTheTaskAccepted_dueAfterRetryAfter() {
        runway.queueCreate(new CreateOutcome.Unavailable("rate limited", Duration.ofSeconds(7)));
        Task next = creation.send(TaskCreation.begin(accepted(), T0), T0, RETRY);

        assertEquals(TaskState.ACCEPTED, next.state());
        assertEquals(T0.plusSeconds(7), next.dueAt());
        assertTrue(TaskCreation.mayCreate(next));
    }

    @Test
    void ambiguousCreateIsNeverRepeated() {
        runway.queueCreate(new CreateOutcome.Ambiguous("connection reset after sending"));
        Task next = creation.send(TaskCreation.begin(accepted(), T0), T0, RETRY);

        assertEquals(TaskState.ACCEPTED, next.state());
        assertEquals(TaskCreation.AMBIGUOUS, next.stateReason());
        assertNull(next.dueAt());
        assertFalse(TaskCreation.mayCreate(next));
        assertEquals(1, runway.createCount());
    }

    @Test
    void sendRefusesATaskNotBegun() {
        assertThrows(IllegalStateException.class, () -> creation.send(accepted(), T0, RETRY));
        assertEquals(0, runway.createCount());
    }
}
