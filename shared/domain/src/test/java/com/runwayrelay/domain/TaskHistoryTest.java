package com.runwayrelay.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskHistoryTest {
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

    private static Task accepted() {
        return Task.accepted("t1", "app1", "text_to_image", "gen4_image", "{}", 5, T0).build();
    }

    @Test
    void startsWithAccepted_whenTheTaskIsNew() {
        assertEquals(List.of(new StateChange(TaskState.ACCEPTED, T0, null)), accepted().history());
    }

    @Test
    void appendsEveryNewStateWithItsTimeAndReason_whenTheStateChanges() {
        Task submitted = accepted().next(T0.plusSeconds(1)).state(TaskState.SUBMITTED).build();
        Task failed = submitted.next(T0.plusSeconds(9)).state(TaskState.FAILED).failureCode("SAFETY.INPUT.TEXT").build();

        assertEquals(List.of(
                new StateChange(TaskState.ACCEPTED, T0, null),
                new StateChange(TaskState.SUBMITTED, T0.plusSeconds(1), null),
                new StateChange(TaskState.FAILED, T0.plusSeconds(9), "SAFETY.INPUT.TEXT")), failed.history());
    }

    @Test
    void prefersTheStateReasonOverTheFailureCode_whenBothAreSet() {
        Task cancelled = accepted().next(T0.plusSeconds(2)).state(TaskState.CANCELLED).stateReason("DELETED_BY_APP")
                .failureCode("X").build();
        assertEquals("DELETED_BY_APP", cancelled.history().getLast().reason());
    }

    @Test
    void appendsNothing_whenAWriteKeepsTheState() {
        Task polled = accepted().next(T0.plusSeconds(1)).progress(0.5).build();
        assertEquals(1, polled.history().size());
    }

    @Test
    void startsAtTheNextChange_whenAnOldTaskHasNoHistory() {
        Task old = accepted().toBuilder().history(null).build();
        Task next = old.next(T0.plusSeconds(3)).state(TaskState.SUBMITTED).build();
        assertEquals(List.of(new StateChange(TaskState.SUBMITTED, T0.plusSeconds(3), null)), next.history());
    }
}
