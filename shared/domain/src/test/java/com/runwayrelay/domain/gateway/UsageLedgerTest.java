package com.runwayrelay.domain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.gateway.UsageLedger.ActiveSlot;
import com.runwayrelay.domain.gateway.UsageLedger.Admission;
import com.runwayrelay.domain.gateway.UsageLedger.Reservation;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger contract, on the in-memory fake (the DynamoDB adapter's IT checks the same rules). */
class UsageLedgerTest {
    private static final Instant T0 = Instant.parse("2026-11-21T23:59:00Z");
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();

    private static Reservation reservation(String taskId, long credits) {
        return new Reservation("app", taskId, "gen4_image", T0, credits, 100, 2);
    }

    @Test
    void admitsWithinBudgetAndSlots_andCountsPerDayAndModel() {
        assertEquals(new Admission.Admitted(), ledger.admit(reservation("t1", 40)));
        assertEquals(new Admission.Admitted(), ledger.admit(reservation("t2", 60)));
        UsageLedger.DailyUsage day = ledger.usage("app", LocalDate.parse("2026-11-21"));
        assertEquals(100, day.usedCredits());
        assertEquals(2, day.tasks());
        assertEquals(Map.of("gen4_image", 2L), day.tasksByModel());
        assertEquals(0, ledger.usage("app", LocalDate.parse("2026-11-22")).usedCredits());
    }

    @Test
    void refusesOverBudget_withTheNumbers_andReservesNothing() {
        ledger.admit(reservation("t1", 70));
        Admission over = ledger.admit(reservation("t2", 31));
        assertEquals(new Admission.OverBudget(70, 100, 31), over);
        assertEquals(30, ((Admission.OverBudget) over).remainingCredits());
        assertEquals(70, ledger.usage("app", LocalDate.parse("2026-11-21")).usedCredits());
        assertEquals(1, ledger.activeSlots("app").size());
    }

    @Test
    void refusesWhenEverySlotIsTaken() {
        ledger.admit(reservation("t1", 1));
        ledger.admit(reservation("t2", 1));
        assertEquals(new Admission.TooManyActive(2, 2), ledger.admit(reservation("t3", 1)));
    }

    @Test
    void settlingMovesToTheActualCostOnce_andFreesTheSlot() {
        ledger.admit(reservation("t1", 40));
        Settlement settlement = new Settlement("app", "t1", T0, 40, 25);
        ledger.settle(settlement);
        ledger.settle(settlement);
        assertEquals(25, ledger.usage("app", LocalDate.parse("2026-11-21")).usedCredits());
        assertTrue(ledger.activeSlots("app").isEmpty());
    }

    @Test
    void settledCredits_areRunwaysCost_elseTheEstimateWhenRunwayMayHaveCharged_elseNothing() {
        Task base = Task.accepted("t1", "app", "text_to_image", "gen4_image", "{}", 8, T0).build();
        Attempt refused = new Attempt(1, null, T0, AttemptOutcome.FAILED, "INPUT.INVALID", "refused");
        Attempt failed = new Attempt(1, "rw-1", T0, AttemptOutcome.FAILED, null, "failed");
        Attempt succeeded = new Attempt(1, "rw-1", T0, AttemptOutcome.SUCCEEDED, null, null);
        Attempt cancelled = new Attempt(1, "rw-1", T0, AttemptOutcome.CANCELLED, null, null);

        assertEquals(3, Settlement.creditsOf(base.toBuilder().state(TaskState.FAILED).attempts(List.of(failed))
                .actualCredits(3L).build()));
        assertEquals(0, Settlement.creditsOf(base.toBuilder().state(TaskState.FAILED).attempts(List.of(refused)).build()));
        assertEquals(8, Settlement.creditsOf(base.toBuilder().state(TaskState.FAILED).attempts(List.of(failed)).build()));
        assertEquals(8, Settlement.creditsOf(base.toBuilder().state(TaskState.ARCHIVED).attempts(List.of(succeeded)).build()));
        assertEquals(8, Settlement.creditsOf(base.toBuilder().state(TaskState.OUTPUT_READY).attempts(List.of(succeeded)).build()));
        // Deleted once Runway had finished it: Runway charged, whoever settles.
        assertEquals(8, Settlement.creditsOf(base.toBuilder().state(TaskState.CANCELLED).attempts(List.of(succeeded)).build()));
        // Cancelled before Runway finished it: refunded.
        assertEquals(0, Settlement.creditsOf(base.toBuilder().state(TaskState.CANCELLED).attempts(List.of(cancelled)).build()));
        assertEquals(0, Settlement.creditsOf(base.toBuilder().state(TaskState.EXPIRED).attempts(List.of(failed)).build()));
        assertEquals(8, Settlement.of(base.toBuilder().state(TaskState.FAILED).attempts(List.of(failed)).build()).reservedCredits());
    }

    @Test
    void freeingASlotLeavesCreditsAlone() {
        ledger.admit(reservation("t1", 40));
        ledger.freeSlot("app", new ActiveSlot("t1", T0));
        assertEquals(List.of(), ledger.activeSlots("app"));
        assertEquals(40, ledger.usage("app", LocalDate.parse("2026-11-21")).usedCredits());
    }

    @Test
    void slotTokensRoundTrip() {
        ActiveSlot slot = new ActiveSlot("0b5f-uuid", Instant.ofEpochMilli(1795329000123L));
        assertEquals("0b5f-uuid@1795329000123", slot.token());
        assertEquals(slot, ActiveSlot.parse(slot.token()));
        assertThrows(IllegalArgumentException.class, () -> ActiveSlot.parse("no-at-sign"));
    }

    @Test
    void dayIsTheUtcDate() {
        assertEquals(LocalDate.parse("2026-11-22"), UsageLedger.dayOf(Instant.parse("2026-11-22T00:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> reservation("t", -1));
    }

    @Test
    void repeatedAdmissionOfTheSameTaskAndInstantAddsNothing_evenWhenFull() {
        ledger.admit(reservation("t1", 60));
        ledger.admit(reservation("t2", 40));

        assertEquals(new Admission.Admitted(), ledger.admit(reservation("t1", 60)));

        assertEquals(100, ledger.usage("app", LocalDate.parse("2026-11-21")).usedCredits());
        assertEquals(2, ledger.usage("app", LocalDate.parse("2026-11-21")).tasks());
        assertEquals(2, ledger.activeSlots("app").size());
    }

    @Test
    void possibleOrphanCountsOnce_withinTheBudget_orUnconditionally() {
        ledger.admit(reservation("t1", 40));
        UsageLedger.OrphanReservation orphan = new UsageLedger.OrphanReservation("app", "t1", 1, T0, 40, 100L);

        assertEquals(new Admission.Admitted(), ledger.reserveOrphan(orphan));
        assertEquals(new Admission.Admitted(), ledger.reserveOrphan(orphan));
        assertEquals(new Admission.OverBudget(80, 100, 40),
                ledger.reserveOrphan(new UsageLedger.OrphanReservation("app", "t1", 2, T0, 40, 100L)));
        assertEquals(new Admission.Admitted(),
                ledger.reserveOrphan(new UsageLedger.OrphanReservation("app", "t1", 2, T0, 40, null)));

        UsageLedger.DailyUsage day = ledger.usage("app", LocalDate.parse("2026-11-21"));
        assertEquals(120, day.usedCredits());
        assertEquals(2, day.possibleOrphans());
        assertEquals(80, day.possibleOrphanCredits());
        assertEquals(new Admission.OverBudget(120, 100, 1), ledger.admit(reservation("t3", 1)));
    }

    @Test
    void orphanReservationRejectsNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new UsageLedger.OrphanReservation("app", "t1", 0, T0, 5, null));
        assertThrows(IllegalArgumentException.class,
                () -> new UsageLedger.OrphanReservation("app", "t1", 1, T0, -5, null));
    }
}
