package com.runwayrelay.domain.runway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.UsageLedger.Admission;
import com.runwayrelay.domain.gateway.UsageLedger.DailyUsage;
import com.runwayrelay.domain.gateway.UsageLedger.Reservation;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.ScriptedRunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway.CreateOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskCreationTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private static final Duration RETRY = Duration.ofSeconds(30);
    private final ScriptedRunwayGateway runway = new ScriptedRunwayGateway();
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final TaskCreation creation = new TaskCreation(runway, ledger);

    private static Task accepted() {
        return Task.accepted("t1", "app1", "text_to_image", "gen4_image", "{}", 5, T0).build();
    }

    /** An admitted task (5 credits of a 20-credit budget reserved) with the given policy. */
    private Task admitted(AmbiguousCreatePolicy policy, long budget) {
        assertInstanceOf(Admission.Admitted.class,
                ledger.admit(new Reservation("app1", "t1", "gen4_image", T0, 5, budget, 10)));
        return accepted().toBuilder().ambiguousCreates(policy).admittedBudget(budget).build();
    }

    private DailyUsage usage() {
        return ledger.usage("app1", UsageLedger.dayOf(T0));
    }

    @Test
    void beginRecordsAnAttemptInFlight_thatBlocksAnotherCreate() {
        Task begun = TaskCreation.begin(accepted(), T0);

        assertEquals(1, begun.runway().attempts().size());
        assertEquals(AttemptOutcome.IN_FLIGHT, begun.lastAttempt().outcome());
        assertEquals(2, begun.version());
        assertTrue(TaskCreation.mayCreate(accepted()));
        assertFalse(TaskCreation.mayCreate(begun));
    }

    @Test
    void createdTaskIsSubmitted_withTheRunwayIdAndPollingDueIn5s() {
        Task next = creation.send(TaskCreation.begin(accepted(), T0), T0, RETRY).next();

        assertEquals(TaskState.SUBMITTED, next.state());
        assertEquals("rw-1", next.runway().taskId());
        assertEquals(AttemptOutcome.CREATED, next.lastAttempt().outcome());
        assertEquals(T0.plusSeconds(5), next.dueAt());
    }

    @Test
    void createdRoutedTaskKeepsRunwaysRouting_andAPlainOneHasNone() {
        runway.queueCreate(new CreateOutcome.Created("rw-r", null, "{\"configId\":\"stills\"}"));
        Task routed = creation.send(TaskCreation.begin(accepted(), T0), T0, RETRY).next();
        Task plain = creation.send(TaskCreation.begin(accepted(), T0), T0, RETRY).next();

        assertEquals("{\"configId\":\"stills\"}", routed.runway().routingJson());
        assertEquals("rw-r", routed.runway().taskId());
        assertEquals(null, plain.runway().routingJson());
    }

    @Test
    void sendReturnsRunwaysAnswer_alongWithTheTasksNextVersion() {
        CreateOutcome.Rejected rejected = new CreateOutcome.Rejected("promptText: too long", List.of());
        runway.queueCreate(rejected);

        TaskCreation.Sent sent = creation.send(TaskCreation.begin(accepted(), T0), T0, RETRY);

        assertEquals(rejected, sent.outcome());
        assertEquals(TaskState.FAILED, sent.next().state());
        assertEquals(AttemptOutcome.REJECTED, sent.next().lastAttempt().outcome());
    }

    @Test
    void rejectedRequestFails_andLeavesTheDueIndex() {
        runway.queueCreate(new CreateOutcome.Rejected("promptText: too long", List.of()));
        Task next = creation.send(TaskCreation.begin(accepted(), T0), T0, RETRY).next();

        assertEquals(TaskState.FAILED, next.state());
        assertEquals("RUNWAY.BAD_REQUEST", next.failureCode());
        assertNull(next.dueAt());
    }

    @Test
    void unavailableRunwayLeavesTheTaskAccepted_dueAfterRetryAfter() {
        runway.queueCreate(new CreateOutcome.Unavailable("rate limited", Duration.ofSeconds(7)));
        Task next = creation.send(TaskCreation.begin(accepted(), T0), T0, RETRY).next();

        assertEquals(TaskState.ACCEPTED, next.state());
        assertEquals(T0.plusSeconds(7), next.dueAt());
        assertTrue(TaskCreation.mayCreate(next));
    }

    @Test
    void ambiguousCreateIsNeverRepeated() {
        runway.queueCreate(new CreateOutcome.Ambiguous("connection reset after sending"));
        Task next = creation.send(TaskCreation.begin(accepted(), T0), T0, RETRY).next();

        // Terminal, so the notifier's filter sees it and the app gets its task.failed webhook.
        assertEquals(TaskState.FAILED, next.state());
        assertEquals("RELAY.AMBIGUOUS_CREATE", next.failureCode());
        assertEquals(TaskCreation.AMBIGUOUS, next.stateReason());
        assertNull(next.dueAt());
        assertFalse(TaskCreation.mayCreate(next));
        assertEquals(1, runway.createCount());
    }

    @Test
    void ambiguousCreateUnderFail_countsAPossibleOrphan_andSettlesTheTasksOwnReservation() {
        Task begun = TaskCreation.begin(admitted(AmbiguousCreatePolicy.FAIL, 20), T0);
        runway.queueCreate(new CreateOutcome.Ambiguous("HTTP 502 after sending"));

        Task next = creation.send(begun, T0, RETRY).next();

        assertEquals(TaskCreation.AMBIGUOUS, next.stateReason());
        assertEquals(AttemptOutcome.AMBIGUOUS, next.lastAttempt().outcome());
        assertEquals(5, next.runway().possibleOrphanCredits());
        assertEquals(new DailyUsage(UsageLedger.dayOf(T0), 5, 1, Map.of("gen4_image", 1L), 1, 5, Map.of("gen4_image", 5L)), usage());
        assertEquals(List.of(), ledger.activeSlots("app1"), "the slot is freed");
        assertEquals(1, runway.createCount());
    }

    @Test
    void ambiguousCreateUnderRetryOnce_reservesTheOrphan_andIsDueForOneMoreCreate() {
        Task begun = TaskCreation.begin(admitted(AmbiguousCreatePolicy.RETRY_ONCE, 20), T0);
        runway.queueCreate(new CreateOutcome.Ambiguous("read timed out"));

        Task retrying = creation.send(begun, T0, RETRY).next();

        assertEquals(TaskState.ACCEPTED, retrying.state());
        assertEquals(TaskCreation.AMBIGUOUS_RETRY, retrying.stateReason());
        assertTrue(TaskCreation.retryingAmbiguous(retrying));
        assertTrue(TaskCreation.mayCreate(retrying));
        assertEquals(T0, retrying.dueAt());
        assertEquals(5, retrying.runway().possibleOrphanCredits());
        assertEquals(10, usage().usedCredits(), "the task's 5 and the possible orphan's 5");
        assertEquals(1, usage().possibleOrphans());

        Task second = TaskCreation.begin(retrying, T0.plusSeconds(1));
        Task created = creation.send(second, T0.plusSeconds(1), RETRY).next();

        assertEquals(TaskState.SUBMITTED, created.state());
        assertEquals(List.of(AttemptOutcome.AMBIGUOUS, AttemptOutcome.CREATED),
                created.runway().attempts().stream().map(a -> a.outcome()).toList());
        assertEquals(5, created.runway().possibleOrphanCredits());
        assertEquals(2, runway.createCount());
        assertEquals(10, usage().usedCredits());
    }

    @Test
    void retryOnceRetriesOnlyOnce_aSecondAmbiguousCreateFails() {
        Task begun = TaskCreation.begin(admitted(AmbiguousCreatePolicy.RETRY_ONCE, 20), T0);
        runway.queueCreate(new CreateOutcome.Ambiguous("reset")).queueCreate(new CreateOutcome.Ambiguous("reset again"));
        Task retrying = creation.send(begun, T0, RETRY).next();

        Task next = creation.send(TaskCreation.begin(retrying, T0), T0, RETRY).next();

        assertEquals(TaskCreation.AMBIGUOUS, next.stateReason());
        assertFalse(TaskCreation.mayCreate(next));
        assertEquals(10, next.runway().possibleOrphanCredits());
        assertEquals(new DailyUsage(UsageLedger.dayOf(T0), 10, 1, Map.of("gen4_image", 1L), 2, 10, Map.of("gen4_image", 10L)), usage(),
                "both creates may be billed: both estimates stay counted, the task's own reservation is settled");
    }

    @Test
    void retryOnceDoesNotCreateAgain_whenTheBudgetCannotHoldThePossibleOrphan() {
        Task begun = TaskCreation.begin(admitted(AmbiguousCreatePolicy.RETRY_ONCE, 8), T0);
        runway.queueCreate(new CreateOutcome.Ambiguous("reset"));

        Task next = creation.send(begun, T0, RETRY).next();

        assertEquals(TaskCreation.AMBIGUOUS, next.stateReason());
        assertNull(next.dueAt());
        assertTrue(next.failure().contains("daily budget (8"), next.failure());
        assertEquals(5, usage().usedCredits(), "never more than the budget");
        assertEquals(1, usage().possibleOrphans());
    }

    @Test
    void abandonedCreateIsResolvedByThePolicy_andCountedOnceWhenResolvedTwice() {
        Task begun = TaskCreation.begin(admitted(AmbiguousCreatePolicy.RETRY_ONCE, 20), T0);

        Task first = creation.abandoned(begun, T0.plusSeconds(60));
        Task again = creation.abandoned(begun, T0.plusSeconds(61));

        assertTrue(TaskCreation.retryingAmbiguous(first));
        assertEquals(first.runway().possibleOrphanCredits(), again.runway().possibleOrphanCredits());
        assertEquals(10, usage().usedCredits(), "a repeated resolution counts the orphan once");
        assertEquals(0, runway.createCount());
    }

    @Test
    void withoutRetryTurnsARetryIntoAFailure_keepingTheOrphanCounted() {
        Task begun = TaskCreation.begin(admitted(AmbiguousCreatePolicy.RETRY_ONCE, 20), T0);
        Task retrying = creation.abandoned(begun, T0);

        Task failed = creation.withoutRetry(retrying, "no time left");

        assertEquals(TaskCreation.AMBIGUOUS, failed.stateReason());
        assertNull(failed.dueAt());
        assertEquals(retrying.version(), failed.version(), "same write, another content");
        assertEquals(5, usage().usedCredits(), "the orphan's 5; the task's own 5 settled at zero");
    }

    @Test
    void sendRefusesATaskNotBegun() {
        assertThrows(IllegalStateException.class, () -> creation.send(accepted(), T0, RETRY));
        assertEquals(0, runway.createCount());
    }
}
