package com.runwayrelay.domain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.gateway.UsageLedger.Reservation;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EndedTaskSettlementTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private static final LocalDate DAY = LocalDate.parse("2026-11-21");

    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(4);
    private final EndedTaskSettlement settlement = new EndedTaskSettlement(tasks, ledger);

    /** A task admitted for 8 credits, then stored in {@code state} by a writer that stopped before settling. */
    private Task admittedAndStored(String id, TaskState state, Attempt attempt, Long actual) {
        ledger.admit(new Reservation("app", id, "gen4_image", T0, 8, 1000, 4));
        Task task = Task.accepted(id, "app", "text_to_image", "gen4_image", "{}", 8, T0).build().toBuilder()
                .state(state).attempts(attempt == null ? List.of() : List.of(attempt)).actualCredits(actual).build();
        tasks.insert(task);
        return task;
    }

    private static Attempt attempt(String runwayTaskId, AttemptOutcome outcome) {
        return new Attempt(1, runwayTaskId, T0, outcome, null, null);
    }

    private long used() {
        return ledger.usage("app", DAY).usedCredits();
    }

    @Test
    void settlesAFailedTaskAtNothing_whenTheWriterStoppedBetweenItsTerminalWriteAndItsSettle() {
        // The soak's case: the create was refused, Runway made no task and charged nothing.
        admittedAndStored("t1", TaskState.FAILED, attempt(null, AttemptOutcome.FAILED), null);
        assertEquals(8, used());

        assertEquals(0, settlement.settle("t1").orElseThrow().actualCredits());

        assertEquals(0, used());
        assertTrue(ledger.activeSlots("app").isEmpty(), "the active slot is freed");
    }

    @Test
    void settlesAtRunwaysCost_orTheEstimate_asEveryOtherSettlerWould() {
        admittedAndStored("charged", TaskState.FAILED, attempt("rw-1", AttemptOutcome.FAILED), 3L);
        admittedAndStored("unknown", TaskState.FAILED, attempt("rw-2", AttemptOutcome.FAILED), null);
        admittedAndStored("archived", TaskState.ARCHIVED, attempt("rw-3", AttemptOutcome.SUCCEEDED), null);
        admittedAndStored("refunded", TaskState.CANCELLED, attempt("rw-4", AttemptOutcome.CANCELLED), null);

        for (String id : List.of("charged", "unknown", "archived", "refunded")) {
            settlement.settle(id);
        }

        assertEquals(3 + 8 + 8 + 0, used());
        assertTrue(ledger.activeSlots("app").isEmpty());
    }

    @Test
    void settlesNothingTwice_whenTheRecordIsReplayed() {
        admittedAndStored("t1", TaskState.FAILED, attempt("rw-1", AttemptOutcome.FAILED), 5L);

        settlement.settle("t1");
        settlement.settle("t1");

        assertEquals(5, used());
    }

    @Test
    void leavesATaskTheWriterSettled_unchanged() {
        Task task = admittedAndStored("t1", TaskState.ARCHIVED, attempt("rw-1", AttemptOutcome.SUCCEEDED), null);
        ledger.settle(Settlement.of(task, 6));

        settlement.settle("t1");

        assertEquals(6, used());
        assertTrue(ledger.activeSlots("app").isEmpty());
    }

    @Test
    void settles_whenTheWritersOwnSettleFailed() {
        AtomicInteger calls = new AtomicInteger();
        UsageLedger firstSettleFails = new UsageLedger() {
            @Override
            public Admission admit(Reservation r) {
                return ledger.admit(r);
            }

            @Override
            public void settle(Settlement s) {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("the process was killed");
                }
                ledger.settle(s);
            }

            @Override
            public Admission reserveOrphan(OrphanReservation r) {
                return ledger.reserveOrphan(r);
            }

            @Override
            public void freeSlot(String appId, ActiveSlot slot) {
                ledger.freeSlot(appId, slot);
            }

            @Override
            public List<ActiveSlot> activeSlots(String appId) {
                return ledger.activeSlots(appId);
            }

            @Override
            public DailyUsage usage(String appId, LocalDate day) {
                return ledger.usage(appId, day);
            }
        };
        Task ended = admittedAndStored("t1", TaskState.FAILED, attempt(null, AttemptOutcome.FAILED), null);
        assertThrows(IllegalStateException.class, () -> firstSettleFails.settle(Settlement.of(ended, 0)));

        new EndedTaskSettlement(tasks, firstSettleFails).settle("t1");

        assertEquals(0, used());
        assertTrue(ledger.activeSlots("app").isEmpty());
    }

    @Test
    void leavesAnUnfinishedOrMissingTaskAlone() {
        admittedAndStored("t1", TaskState.SUBMITTED, attempt("rw-1", null), null);

        assertTrue(settlement.settle("t1").isEmpty());
        assertTrue(settlement.settle("nope").isEmpty());

        assertEquals(8, used());
        assertEquals(1, ledger.activeSlots("app").size());
    }
}
