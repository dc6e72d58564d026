package com.runwayrelay.domain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.gateway.UsageLedger.ActiveSlot;
import com.runwayrelay.domain.gateway.UsageLedger.Reservation;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ledger's values: settlement amounts, slot tokens, days, orphan reservations. What every ledger
 * does with them is the {@code UsageLedgerContract} (InMemoryUsageLedgerTest, DynamoDbUsageLedgerIT).
 */
class UsageLedgerTest {
    private static final Instant T0 = Instant.parse("2026-11-21T23:59:00Z");

    private static Reservation reservation(String taskId, long credits) {
        return new Reservation("app", taskId, "gen4_image", T0, credits, 100, 2);
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
    void settledCredits_ofAWorkflowRunRunwayCreated_areItsCeilingWhateverItsEnd() {
        Task run = Task.accepted("t2", "app", "workflows/wf-1", "workflow", "{}", 60, T0).build();
        Attempt created = new Attempt(1, "inv-1", T0, AttemptOutcome.CANCELLED, null, null);
        Attempt refused = new Attempt(1, null, T0, AttemptOutcome.REJECTED, "RUNWAY.BAD_REQUEST", "refused");

        // Runway has no cancel for an invocation: one past its deadline runs on, and is charged.
        assertEquals(60, Settlement.creditsOf(run.toBuilder().state(TaskState.EXPIRED).attempts(List.of(created)).build()));
        assertEquals(60, Settlement.creditsOf(run.toBuilder().state(TaskState.CANCELLED).attempts(List.of(created)).build()));
        assertEquals(0, Settlement.creditsOf(run.toBuilder().state(TaskState.FAILED).attempts(List.of(refused)).build()));
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
    void orphanReservationRejectsNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new UsageLedger.OrphanReservation("app", "t1", 0, T0, 5, null));
        assertThrows(IllegalArgumentException.class,
                () -> new UsageLedger.OrphanReservation("app", "t1", 1, T0, -5, null));
    }
}
