package com.runwayrelay.domain.owned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.gateway.UsageLedger;
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

class RealtimeSessionsTest {
    private static final String A = "app_a";
    private static final String B = "app_b";
    private static final LocalDate DAY = LocalDate.parse("2026-11-21");
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T06:00:00Z"));
    private final InMemoryOwnershipStore store = new InMemoryOwnershipStore();
    private final InMemoryRunwayRealtime runway = new InMemoryRunwayRealtime(clock);
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final RealtimeSessions sessions = new RealtimeSessions(store, runway, ledger, new RealtimePricing(2), clock);

    private static RealtimeSessions.Request preset(int maxDuration) {
        return new RealtimeSessions.Request("{\"model\":\"gwm1_avatars\"}", maxDuration, "runway-preset", "influencer");
    }

    private String created(String app, int maxDuration) {
        Outcome outcome = sessions.create(app, 10_000, 10, preset(maxDuration));
        clock.advance(Duration.ofSeconds(1));
        return assertInstanceOf(Outcome.Created.class, outcome).id();
    }

    private long used(String app) {
        return ledger.usage(app, DAY).usedCredits();
    }

    @Test
    void reservesMaxDurationTimesTheRate_andRecordsSessionAndConversation_whenCreated() {
        String id = created(A, 120);
        assertEquals(240, used(A));
        assertEquals(1, ledger.activeSlots(A).size());
        Ownership session = store.find(ResourceKind.REALTIME_SESSIONS, id).orElseThrow();
        assertEquals(A, session.appId());
        assertEquals(240, session.charge().reservedCredits());
        assertEquals("runway-preset:influencer", session.name());
        Ownership conversation = store.find(ResourceKind.AVATAR_CONVERSATIONS, id).orElseThrow();
        assertEquals(A, conversation.appId());
        assertNull(conversation.charge());
    }

    @Test
    void refusesWithoutAskingRunway_whenTheDaysBudgetCannotHoldTheReservation() {
        Outcome outcome = sessions.create(A, 599, 10, preset(300));
        Outcome.OverBudget over = assertInstanceOf(Outcome.OverBudget.class, outcome);
        assertEquals(600, over.over().requestedCredits());
        assertEquals(Instant.parse("2026-11-22T00:00:00Z"), over.resetsAt());
        assertEquals(List.of(), runway.calls());
        assertEquals(0, used(A));
        assertEquals(0, store.size());
    }

    @Test
    void refusesWithoutAskingRunway_whenEverySlotIsTaken() {
        created(A, 10);
        assertInstanceOf(Outcome.TooManyActive.class, sessions.create(A, 10_000, 1, preset(10)));
        assertEquals(1, runway.sessionCount());
    }

    @Test
    void answersNotFoundWithoutAskingRunway_whenAnotherAppsIdIsUsed() {
        String id = created(A, 60);
        int before = runway.calls().size();
        assertInstanceOf(Outcome.NotFound.class, sessions.get(B, id));
        assertInstanceOf(Outcome.NotFound.class, sessions.cancel(B, id));
        assertInstanceOf(Outcome.NotFound.class, sessions.get(B, "no-such-id"));
        assertEquals(before, runway.calls().size());
        assertEquals("NOT_READY", runway.status(id));
    }

    @Test
    void settlesToTheCompletedDurationOnce_whenTheEndedSessionIsReadTwice() {
        String id = created(A, 300);
        assertEquals(600, used(A));
        runway.complete(id, 41.2);
        assertInstanceOf(Outcome.Session.class, sessions.get(A, id));
        assertEquals(84, used(A));
        assertEquals(0, ledger.activeSlots(A).size());
        assertNull(store.find(ResourceKind.REALTIME_SESSIONS, id).orElseThrow().charge());
        assertInstanceOf(Outcome.Session.class, sessions.get(A, id));
        assertEquals(84, used(A));
    }

    @Test
    void keepsTheReservation_whileTheSessionRuns() {
        String id = created(A, 100);
        Outcome.Session read = assertInstanceOf(Outcome.Session.class, sessions.get(A, id));
        assertEquals(SessionStatus.NOT_READY, read.session().status());
        assertEquals(200, used(A));
        assertNotNull(store.find(ResourceKind.REALTIME_SESSIONS, id).orElseThrow().charge());
    }

    @Test
    void settlesFromTheConversationsDuration_onceTheCancelledSessionsConversationEnds() {
        String id = created(A, 100);
        assertInstanceOf(Outcome.Done.class, sessions.cancel(A, id));
        assertEquals("CANCELLED", runway.status(id));
        assertEquals(200, used(A), "the conversation is still in progress: its duration is not final");
        runway.endConversation(id, 7);
        assertInstanceOf(Outcome.Session.class, sessions.get(A, id));
        assertEquals(14, used(A));
    }

    @Test
    void settlesAtNothing_whenTheSessionFailedBeforeStarting() {
        String id = created(A, 100);
        runway.fail(id, null);
        sessions.get(A, id);
        assertEquals(0, used(A));
    }

    @Test
    void givesTheReservationBack_whenRunwayRefusesOrCannotBeReached() {
        runway.script(new Answer.Rejected("bad avatar", List.of()), new Answer.Unavailable("down", null));
        assertInstanceOf(Outcome.Rejected.class, sessions.create(A, 10_000, 10, preset(100)));
        assertInstanceOf(Outcome.Unavailable.class, sessions.create(A, 10_000, 10, preset(100)));
        assertEquals(0, used(A));
        assertEquals(0, ledger.activeSlots(A).size());
        assertEquals(0, store.size());
    }

    @Test
    void givesTheReservationBack_andPassesTheStatusOn_whenRunwayRefusesTheCreateAsAConflict() {
        runway.script(new Answer.Rejected(409, "Runway refused the request as conflicting (409)", List.of()));
        assertEquals(new Outcome.Rejected(409, "Runway refused the request as conflicting (409)", List.of()),
                sessions.create(A, 10_000, 10, preset(100)));
        assertEquals(0, used(A));
        assertEquals(0, ledger.activeSlots(A).size());
        assertEquals(0, store.size());
    }

    @Test
    void keepsTheReservationCounted_whenRunwaysAnswerToTheCreateIsLost() {
        runway.script(new Answer.Ambiguous("lost"));
        assertInstanceOf(Outcome.PossibleOrphan.class, sessions.create(A, 10_000, 10, preset(100)));
        assertEquals(200, used(A));
        assertEquals(0, ledger.activeSlots(A).size());
    }

    @Test
    void cancelsAtRunwayAndGivesTheReservationBack_whenTheOwnerCannotBeRecorded() {
        store.failNextRecord(new IllegalStateException("store down"));
        assertInstanceOf(Outcome.Unavailable.class, sessions.create(A, 10_000, 10, preset(100)));
        assertEquals("CANCELLED", runway.status("00000000-0000-4000-9000-000000000001"));
        assertEquals(0, used(A));
        assertEquals(0, store.size());
    }

    @Test
    void settlesAtTheReservationAndForgets_whenRunwayNoLongerHasTheSession() {
        String id = created(A, 100);
        runway.drop(id);
        assertInstanceOf(Outcome.NotFound.class, sessions.get(A, id));
        assertEquals(200, used(A));
        assertEquals(0, ledger.activeSlots(A).size());
        assertTrue(store.find(ResourceKind.REALTIME_SESSIONS, id).isEmpty());
    }

    @Test
    void refusesAnotherAppsOrAMissingCustomAvatarBeforeReserving_whenTheAppDoesNotOwnIt() {
        Instant t = clock.instant();
        String avatar = "9a1f0000-0000-4000-8000-000000000001";
        store.record(new Ownership(B, ResourceKind.AVATARS, avatar, "b's avatar", t, t));
        for (String id : List.of(avatar, "9a1f0000-0000-4000-8000-000000000002")) {
            Outcome outcome = sessions.create(A, 10_000, 10, new RealtimeSessions.Request("{}", 100, "custom", id));
            Outcome.Invalid invalid = assertInstanceOf(Outcome.Invalid.class, outcome);
            assertEquals(OwnedReferences.CODE, invalid.issues().getFirst().code());
            assertEquals(List.of("avatar", "avatarId"), invalid.issues().getFirst().path());
        }
        assertEquals(List.of(), runway.calls());
        assertEquals(0, used(A));
        assertEquals(0, ledger.activeSlots(A).size());
    }

    @Test
    void createsWithACustomAvatar_whenTheAppOwnsIt() {
        Instant t = clock.instant();
        String avatar = "9a1f0000-0000-4000-8000-000000000001";
        store.record(new Ownership(A, ResourceKind.AVATARS, avatar, "a's avatar", t, t));
        Outcome outcome = sessions.create(A, 10_000, 10, new RealtimeSessions.Request("{}", 100, "custom", avatar));
        assertInstanceOf(Outcome.Created.class, outcome);
        assertEquals(1, runway.calls().size());
    }

    @Test
    void chargesStartedSecondsWhole() {
        RealtimePricing pricing = new RealtimePricing(3);
        assertEquals(0, pricing.credits(null));
        assertEquals(0, pricing.credits(0.0));
        assertEquals(3, pricing.credits(0.1));
        assertEquals(6, pricing.credits(2.0));
        assertEquals(900, pricing.reservation(RealtimePricing.MAX_DURATION_SECONDS));
    }

    @Test
    void settlesOnce_whenTheLedgerIsAskedAgainAfterTheRecordWasNotUpdated() {
        String id = created(A, 100);
        runway.complete(id, 10);
        Ownership before = store.find(ResourceKind.REALTIME_SESSIONS, id).orElseThrow();
        sessions.get(A, id);
        // As after a crash between the ledger and the record: the record still holds its charge.
        store.update(before);
        sessions.get(A, id);
        assertEquals(20, used(A));
        UsageLedger.DailyUsage day = ledger.usage(A, DAY);
        assertEquals(1, day.tasks());
    }

    @Test
    void toleratesAStatusRunwayAddsLater_asNotEnded() {
        assertEquals(SessionStatus.UNKNOWN, SessionStatus.of("PAUSED"));
        assertEquals(SessionStatus.UNKNOWN, SessionStatus.of(null));
        assertEquals(SessionStatus.CANCELLED, SessionStatus.of("CANCELLED"));
        assertTrue(SessionStatus.COMPLETED.ended());
        assertTrue(!SessionStatus.UNKNOWN.ended() && !SessionStatus.READY.ended());
    }
}
