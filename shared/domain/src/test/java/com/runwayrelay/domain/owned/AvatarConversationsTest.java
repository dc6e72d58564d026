package com.runwayrelay.domain.owned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.owned.AvatarConversations.Filter;
import com.runwayrelay.domain.owned.AvatarConversations.Outcome;
import com.runwayrelay.domain.owned.memory.InMemoryOwnershipStore;
import com.runwayrelay.domain.owned.memory.InMemoryRunwayRealtime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvatarConversationsTest {
    private static final String A = "app_a";
    private static final String B = "app_b";
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T06:00:00Z"));
    private final InMemoryOwnershipStore store = new InMemoryOwnershipStore();
    private final InMemoryRunwayRealtime runway = new InMemoryRunwayRealtime(clock);
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final RealtimeSessions sessions = new RealtimeSessions(store, runway, ledger, new RealtimePricing(1), clock);
    private final AvatarConversations conversations = sessions.conversations();

    private String created(String app, String avatarType, String avatarId) {
        RealtimeSessions.Outcome outcome = sessions.create(app, 100_000, 100,
                new RealtimeSessions.Request("{}", 60, avatarType, avatarId));
        clock.advance(Duration.ofSeconds(1));
        return assertInstanceOf(RealtimeSessions.Outcome.Created.class, outcome).id();
    }

    private String created(String app) {
        return created(app, "runway-preset", "influencer");
    }

    private List<String> all(String app, Filter filter, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Outcome.Listed page = assertInstanceOf(Outcome.Listed.class, conversations.list(app, filter, cursor, limit));
            page.conversations().forEach(c -> ids.add(c.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return ids;
    }

    @Test
    void listsOnlyTheAppsOwnConversations_newestFirst_pagedWithTheGatewaysCursors() {
        String a1 = created(A);
        String b1 = created(B);
        String a2 = created(A);
        String a3 = created(A);
        assertEquals(List.of(a3, a2, a1), all(A, Filter.NONE, 1));
        assertEquals(List.of(a3, a2, a1), all(A, Filter.NONE, 2));
        assertEquals(List.of(b1), all(B, Filter.NONE, 1));
        Outcome.Listed first = assertInstanceOf(Outcome.Listed.class, conversations.list(A, Filter.NONE, null, 1));
        assertInstanceOf(Outcome.Rejected.class, conversations.list(B, Filter.NONE, first.nextCursor(), 1));
    }

    @Test
    void answersNotFoundWithoutAskingRunway_whenAnotherAppsIdIsUsed() {
        String id = created(A);
        int before = runway.calls().size();
        assertInstanceOf(Outcome.NotFound.class, conversations.get(B, id));
        assertInstanceOf(Outcome.NotFound.class, conversations.delete(B, id));
        assertEquals(before, runway.calls().size());
        assertInstanceOf(Outcome.Found.class, conversations.get(A, id));
    }

    @Test
    void filtersByCustomAvatarAndDates_onTheRecords_fillingPages() {
        Instant t0 = clock.instant();
        String preset = created(A);
        Instant t1 = clock.instant();
        // Custom avatars are refused until avatars are tracked: this session's records are written as a create would.
        String custom = ((RunwayRealtime.Answer.Created) runway.createSession("{}")).id();
        store.record(new Ownership(A, ResourceKind.AVATAR_CONVERSATIONS, custom, "custom:av-1", t1, t1));
        clock.advance(Duration.ofSeconds(1));
        String later = created(A);
        assertEquals(List.of(later, custom, preset), all(A, Filter.NONE, 1));
        assertEquals(List.of(custom), all(A, new Filter("av-1", null, null), 1));
        assertEquals(List.of(), all(A, new Filter("av-2", null, null), 1));
        assertEquals(List.of(preset), all(A, new Filter(null, t0, t1), 1));
        assertEquals(List.of(later, custom), all(A, new Filter(null, t1, null), 1));
        assertEquals(List.of(later), all(A, new Filter(null, t1.plusSeconds(1), null), 2));
        int before = runway.calls().size();
        all(A, new Filter("av-1", null, null), 5);
        assertEquals(before + 1, runway.calls().size(), "conversations filtered out are not read from Runway");
    }

    @Test
    void settlesTheSession_whenAListedConversationHasEnded() {
        String id = created(A);
        runway.complete(id, 12.5);
        all(A, Filter.NONE, 10);
        assertEquals(13, ledger.usage(A, LocalDate.parse("2026-11-21")).usedCredits());
        assertNull(store.find(ResourceKind.REALTIME_SESSIONS, id).orElseThrow().charge());
    }

    @Test
    void chargesTheSessionsApp_whenAConversationGivenToAnotherAppIsRead() {
        // What the operator's orphan assign does to a deleted app's conversation: its record moves, the session's stays.
        String id = created(A);
        Ownership record = store.find(ResourceKind.AVATAR_CONVERSATIONS, id).orElseThrow();
        assertTrue(store.transfer(new Ownership(B, record.kind(), id, record.name(), record.createdAt(), record.updatedAt()), A));
        runway.complete(id, 12.5);

        assertInstanceOf(Outcome.Found.class, conversations.get(B, id));

        LocalDate day = LocalDate.parse("2026-11-21");
        assertEquals(13, ledger.usage(A, day).usedCredits(), "the session ran on the app that created it");
        assertEquals(0, ledger.usage(B, day).usedCredits());
        Ownership session = store.find(ResourceKind.REALTIME_SESSIONS, id).orElseThrow();
        assertEquals(A, session.appId());
        assertNull(session.charge(), "settled once");
        assertInstanceOf(RealtimeSessions.Outcome.NotFound.class, sessions.get(B, id), "the session is not B's");
        assertInstanceOf(Outcome.NotFound.class, conversations.get(A, id), "the conversation is no longer A's");
    }

    @Test
    void settlesBeforeDeleting_andKeepsTheSessionReadable() {
        String id = created(A);
        sessions.cancel(A, id);
        runway.endConversation(id, 3);
        assertInstanceOf(Outcome.Done.class, conversations.delete(A, id));
        assertEquals(3, ledger.usage(A, LocalDate.parse("2026-11-21")).usedCredits());
        assertInstanceOf(Outcome.NotFound.class, conversations.get(A, id));
        assertTrue(store.find(ResourceKind.AVATAR_CONVERSATIONS, id).isEmpty());
        assertInstanceOf(RealtimeSessions.Outcome.Session.class, sessions.get(A, id));
        assertEquals(List.of(), all(A, Filter.NONE, 5));
    }

    @Test
    void dropsAndForgets_whenRunwayNoLongerHasAListedConversation() {
        String gone = created(A);
        String kept = created(A);
        runway.drop(gone);
        assertEquals(List.of(kept), all(A, Filter.NONE, 1));
        assertTrue(store.find(ResourceKind.AVATAR_CONVERSATIONS, gone).isEmpty());
    }
}
