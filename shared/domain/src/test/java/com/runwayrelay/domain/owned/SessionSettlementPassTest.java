package com.runwayrelay.domain.owned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.owned.RealtimeSessions.Outcome;
import com.runwayrelay.domain.owned.RunwayRealtime.Answer;
import com.runwayrelay.domain.owned.memory.InMemoryOwnershipStore;
import com.runwayrelay.domain.owned.memory.InMemoryRunwayRealtime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionSettlementPassTest {
    private static final String A = "app_a";
    private static final String B = "app_b";
    private static final LocalDate DAY = LocalDate.parse("2026-11-21");
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryOwnershipStore store = new InMemoryOwnershipStore();
    private final InMemoryRunwayRealtime runway = new InMemoryRunwayRealtime(clock);
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final RealtimeSessions sessions = new RealtimeSessions(store, runway, ledger, new RealtimePricing(2), clock);
    private final SessionSettlementPass pass = sessions.settlementPass();

    private String created(String app, int maxDuration) {
        Outcome outcome = sessions.create(app, 10_000, 10, new RealtimeSessions.Request("{\"model\":\"gwm1_avatars\"}",
                maxDuration, "runway-preset", "influencer"));
        return assertInstanceOf(Outcome.Created.class, outcome).id();
    }

    private long used(String app) {
        return ledger.usage(app, DAY).usedCredits();
    }

    private Ownership record(String id) {
        return store.find(ResourceKind.REALTIME_SESSIONS, id).orElseThrow();
    }

    private SessionSettlementPass.Result runPass() {
        return pass.run(25, clock.instant().plusSeconds(10));
    }

    @Test
    void settlesAnEndedSessionNobodyRead_atItsDuration_onceItsMaxDurationHasPassed() {
        String id = created(A, 60);
        assertEquals(120, used(A));
        runway.complete(id, 12.5);
        clock.advance(Duration.ofSeconds(59));
        assertEquals(0, runPass().checked(), "not due before its maxDuration has passed");
        assertEquals(List.of("create"), runway.calls());

        clock.advance(Duration.ofSeconds(1));
        SessionSettlementPass.Result result = runPass();
        assertEquals(1, result.checked());
        assertEquals(1, result.settled());
        assertEquals(26, used(A), "13 started seconds at 2 credits");
        assertEquals(0, ledger.activeSlots(A).size());
        assertNull(record(id).charge());
        assertEquals(12.5, record(id).measuredSeconds());
        assertEquals(0, runPass().checked(), "nothing left to settle");
    }

    @Test
    void looksAgainLater_whileTheSessionRuns_andSettlesWhenItHasEnded() {
        String id = created(A, 60);
        clock.advance(Duration.ofSeconds(60));
        SessionSettlementPass.Result first = runPass();
        assertEquals(1, first.waiting());
        assertEquals(120, used(A), "still reserved");
        assertEquals(T0.plusSeconds(60).plus(SessionSettlementPass.MIN_RECHECK), record(id).charge().checkAt(),
                "half its age is under the minimum");

        clock.advance(Duration.ofSeconds(59));
        assertEquals(0, runPass().checked());
        runway.complete(id, 100);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, runPass().settled());
        assertEquals(200, used(A));
    }

    @Test
    void waitsHalfTheSessionsAge_betweenTheBounds() {
        assertEquals(SessionSettlementPass.MIN_RECHECK, SessionSettlementPass.recheckAfter(Duration.ofSeconds(30)));
        assertEquals(Duration.ofMinutes(10), SessionSettlementPass.recheckAfter(Duration.ofMinutes(20)));
        assertEquals(SessionSettlementPass.MAX_RECHECK, SessionSettlementPass.recheckAfter(Duration.ofHours(30)));
    }

    @Test
    void settlesAtTheReservation_whenRunwayNoLongerHasTheSession_orAfterADayWithoutAnEnd() {
        String gone = created(A, 30);
        String stuck = created(B, 30);
        runway.drop(gone);
        clock.advance(Duration.ofSeconds(30));
        SessionSettlementPass.Result result = runPass();
        assertEquals(1, result.settled());
        assertEquals(1, result.waiting());
        assertEquals(60, used(A), "the reservation: its cost can no longer be learned");
        assertNull(record(gone).charge());
        assertNull(record(gone).measuredSeconds());

        clock.set(T0.plus(SessionSettlementPass.GIVE_UP_AFTER));
        assertEquals(1, runPass().settled());
        assertEquals(60, used(B));
        assertNull(record(stuck).charge());
        assertEquals(0, ledger.activeSlots(B).size(), "its slot is free again");
    }

    @Test
    void settlesAFailedOrCancelledSessionFromItsConversation_onceThatHasEnded() {
        String cancelled = created(A, 60);
        runway.cancelSession(cancelled);
        clock.advance(Duration.ofSeconds(60));
        assertEquals(1, runPass().waiting(), "the conversation is still in progress");
        runway.endConversation(cancelled, 7.2);
        clock.advance(SessionSettlementPass.MIN_RECHECK);
        assertEquals(1, runPass().settled());
        assertEquals(16, used(A));
        assertEquals(7.2, record(cancelled).measuredSeconds());
    }

    @Test
    void neverSettlesTwice_whenTheAppReadTheSessionFirst() {
        String id = created(A, 60);
        runway.complete(id, 10);
        assertInstanceOf(Outcome.Session.class, sessions.get(A, id));
        assertEquals(20, used(A));
        clock.advance(Duration.ofSeconds(60));
        assertEquals(0, runPass().checked(), "a read settled it: no charge is due");
        assertEquals(20, used(A));
    }

    @Test
    void settlesAgainHarmlessly_afterACrashBetweenTheLedgerAndTheRecord() {
        String id = created(A, 60);
        runway.complete(id, 10);
        Ownership charged = record(id);
        // The ledger settled, then the process died before the record lost its charge.
        ledger.settle(new com.runwayrelay.domain.gateway.UsageLedger.Settlement(A, charged.charge().ledgerId(),
                charged.createdAt(), 120, 20, SessionCharges.MODEL));
        clock.advance(Duration.ofSeconds(60));
        assertEquals(1, runPass().settled());
        assertEquals(20, used(A), "settled once");
        assertNull(record(id).charge());
    }

    @Test
    void skipsASessionAnotherPassClaimed_andLeavesItToThatPass() {
        String id = created(A, 60);
        runway.complete(id, 10);
        clock.advance(Duration.ofSeconds(60));
        Ownership due = store.chargesDue(clock.instant(), 10).getFirst();
        assertTrue(store.moveCheck(ResourceKind.REALTIME_SESSIONS, id, due.charge(), clock.instant().plusSeconds(1)));
        // A pass that read the record before the other claimed it loses its own claim.
        assertFalse(store.moveCheck(ResourceKind.REALTIME_SESSIONS, id, due.charge(),
                clock.instant().plus(SessionSettlementPass.CLAIM)));
        assertEquals(0, runPass().checked(), "claimed for a second: not due");
        clock.advance(SessionSettlementPass.CLAIM);
        assertEquals(1, runPass().settled(), "a claim that ran out is taken over");
    }

    @Test
    void stopsThePass_andLooksAgainAfterRetryAfter_whenRunwayIsUnavailable() {
        String first = created(A, 60);
        clock.advance(Duration.ofSeconds(1));
        String second = created(A, 60);
        runway.complete(first, 10);
        runway.complete(second, 10);
        clock.advance(Duration.ofSeconds(60));
        runway.script(new Answer.Unavailable("503", Duration.ofMinutes(3)));
        SessionSettlementPass.Result result = runPass();
        assertTrue(result.runwayUnavailable());
        assertEquals(1, result.checked());
        assertEquals(clock.instant().plus(Duration.ofMinutes(3)), record(first).charge().checkAt());
        assertEquals(T0.plusSeconds(61), record(second).charge().checkAt(), "not claimed: the pass stopped");
        assertEquals(1, runPass().settled(), "the second one next time");
        clock.advance(Duration.ofMinutes(3));
        assertEquals(1, runPass().settled());
        assertEquals(40, used(A));
    }

    @Test
    void looksAtNoMoreThanAskedOrAfterItsStopTime() {
        for (int i = 0; i < 3; i++) {
            runway.complete(created(A, 10), 1);
        }
        clock.advance(Duration.ofSeconds(10));
        assertEquals(2, pass.run(2, clock.instant()).settled());
        assertEquals(0, pass.run(5, clock.instant().minusMillis(1)).checked(), "past its stop time");
        assertEquals(1, pass.run(5, clock.instant()).settled());
    }
}
