package com.runwayrelay.domain.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.owned.Ownership;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.owned.RunwayInventory.Item;
import com.runwayrelay.domain.owned.memory.InMemoryOwnershipStore;
import com.runwayrelay.domain.owned.memory.InMemoryRunwayInventory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrphansTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final ResourceKind DOCS = ResourceKind.DOCUMENTS;

    private final InMemoryOwnershipStore store = new InMemoryOwnershipStore();
    private final InMemoryRunwayInventory runway = new InMemoryRunwayInventory();
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final Orphans orphans = new Orphans(store, runway, apps, Clock.fixed(NOW, ZoneOffset.UTC));

    private App app(String id) {
        App app = App.builder(id, id, T0).dailyCreditBudget(1000).maxActiveTasks(10).build();
        apps.create(app, "hash-" + id);
        return app;
    }

    private Item atRunway(ResourceKind kind, String id) {
        Item item = new Item(id, "name " + id, T0.plusSeconds(id.hashCode() & 0xff));
        runway.add(kind, item);
        return item;
    }

    private void owned(String appId, ResourceKind kind, String id) {
        store.record(new Ownership(appId, kind, id, "name " + id, T0, T0));
    }

    private static List<String> ids(Orphans.Scan scan) {
        return assertInstanceOf(Orphans.Scan.Found.class, scan).orphans().stream().map(o -> o.item().id()).toList();
    }

    @Test
    void findsResourcesWithNoRecord_andThoseOfADeletedApp_butNotThoseOfAnExistingApp() {
        app("appA");
        App gone = app("appGone");
        Item stray = atRunway(DOCS, "d-stray");
        atRunway(DOCS, "d-owned");
        Item left = atRunway(DOCS, "d-left");
        owned("appA", DOCS, "d-owned");
        owned("appGone", DOCS, "d-left");
        apps.delete(gone);

        Orphans.Scan.Found found = assertInstanceOf(Orphans.Scan.Found.class, orphans.scan(DOCS, null, 50));

        assertEquals(List.of(new Orphans.Orphan(DOCS, stray, Orphans.Reason.NO_OWNER, null),
                new Orphans.Orphan(DOCS, left, Orphans.Reason.APP_DELETED, "appGone")), found.orphans());
        assertEquals(3, found.examined());
        assertNull(found.nextCursor());
    }

    @Test
    void examinesAtMostTheLimitPerCall_andTheCursorContinuesWhereItStopped() {
        app("appA");
        for (int i = 0; i < 5; i++) {
            atRunway(DOCS, "d-" + i);
            if (i % 2 == 0) {
                owned("appA", DOCS, "d-" + i);
            }
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int calls = 0;
        do {
            Orphans.Scan.Found page = assertInstanceOf(Orphans.Scan.Found.class, orphans.scan(DOCS, cursor, 2));
            assertTrue(page.examined() <= 2);
            seen.addAll(ids(page));
            cursor = page.nextCursor();
            calls++;
        } while (cursor != null);
        assertEquals(List.of("d-1", "d-3"), seen);
        assertEquals(3, calls);
        assertEquals(3, runway.calls(), "one Runway page per call");
    }

    @Test
    void refusesACursorOfAnotherKind_oneNotIssuedHere_andOneRunwayRefuses_beforeOrWithoutAnswering() {
        atRunway(DOCS, "d-1");
        atRunway(DOCS, "d-2");
        String docs = assertInstanceOf(Orphans.Scan.Found.class, orphans.scan(DOCS, null, 1)).nextCursor();
        int before = runway.calls();

        assertInstanceOf(Orphans.Scan.InvalidCursor.class, orphans.scan(ResourceKind.AVATARS, docs, 1));
        assertInstanceOf(Orphans.Scan.InvalidCursor.class, orphans.scan(DOCS, "x:d-1", 1));
        assertInstanceOf(Orphans.Scan.InvalidCursor.class, orphans.scan(DOCS, "oc1.%%%", 1));
        assertEquals(before, runway.calls(), "nothing was asked of Runway");
        Orphans.Scan refused = orphans.scan(DOCS, Orphans.encode(DOCS, "x:nope"), 1);
        assertTrue(assertInstanceOf(Orphans.Scan.InvalidCursor.class, refused).message().contains("Runway refused"));
    }

    @Test
    void kindsRunwayCannotList_areNotReconciled() {
        assertInstanceOf(Orphans.Scan.NotListed.class, orphans.scan(ResourceKind.REALTIME_SESSIONS, null, 10));
        assertInstanceOf(Orphans.Assignment.NotListed.class,
                orphans.assign(ResourceKind.REALTIME_SESSIONS, "s-1", "appA"));
        assertInstanceOf(Orphans.Deletion.NotListed.class, orphans.delete(ResourceKind.REALTIME_SESSIONS, "s-1"));
        assertEquals(0, runway.calls());
    }

    @Test
    void runwayUnavailable_isSaidWithItsWait() {
        runway.failNext("Runway is unreachable or busy");
        Orphans.Scan.Unavailable unavailable = assertInstanceOf(Orphans.Scan.Unavailable.class,
                orphans.scan(DOCS, null, 10));
        assertEquals(Duration.ofSeconds(7), unavailable.retryAfter());
    }

    @Test
    void assignsAnOrphanToAnApp_withRunwaysNameAndCreationTime() {
        app("appA");
        Item item = atRunway(ResourceKind.AVATARS, "a-1");

        Orphans.Assignment.Assigned assigned = assertInstanceOf(Orphans.Assignment.Assigned.class,
                orphans.assign(ResourceKind.AVATARS, "a-1", "appA"));

        Ownership expected = new Ownership("appA", ResourceKind.AVATARS, "a-1", item.name(), item.createdAt(), NOW);
        assertEquals(expected, assigned.record());
        assertNull(assigned.formerAppId());
        assertEquals(Optional.of(expected), store.find(ResourceKind.AVATARS, "a-1"));
        assertEquals(List.of(), ids(orphans.scan(ResourceKind.AVATARS, null, 10)));
    }

    @Test
    void assignsADeletedAppsResourceToAnother_movingItsRecord() {
        app("appA");
        App gone = app("appGone");
        runway.add(ResourceKind.VOICES, new Item("v-1", null, null));
        owned("appGone", ResourceKind.VOICES, "v-1");
        apps.delete(gone);

        Orphans.Assignment.Assigned assigned = assertInstanceOf(Orphans.Assignment.Assigned.class,
                orphans.assign(ResourceKind.VOICES, "v-1", "appA"));

        assertEquals("appGone", assigned.formerAppId());
        assertEquals(new Ownership("appA", ResourceKind.VOICES, "v-1", "", NOW, NOW), assigned.record(),
                "a voice without name or creation time gets an empty name and the gateway's time");
        assertEquals("appA", store.find(ResourceKind.VOICES, "v-1").orElseThrow().appId());
    }

    @Test
    void refusesToAssign_toAnUnknownApp_aResourceAnAppOwns_orOneRunwayDoesNotHave() {
        app("appA");
        app("appB");
        atRunway(DOCS, "d-owned");
        owned("appB", DOCS, "d-owned");
        atRunway(DOCS, "d-free");

        assertEquals(new Orphans.Assignment.UnknownApp("appX"), orphans.assign(DOCS, "d-free", "appX"));
        assertEquals(new Orphans.Assignment.Owned("appB"), orphans.assign(DOCS, "d-owned", "appA"));
        assertEquals(new Orphans.Assignment.NotAtRunway(), orphans.assign(DOCS, "d-none", "appA"));
        runway.failNext("Runway is rate limiting");
        assertInstanceOf(Orphans.Assignment.Unavailable.class, orphans.assign(DOCS, "d-free", "appA"));
        assertEquals(Optional.empty(), store.find(DOCS, "d-free"));
        assertEquals(Optional.empty(), store.find(DOCS, "d-none"));
        assertEquals("appB", store.find(DOCS, "d-owned").orElseThrow().appId());
    }

    @Test
    void deletesAnOrphanAtRunway_andADeletedAppsRecordWithIt() {
        App gone = app("appGone");
        atRunway(DOCS, "d-stray");
        atRunway(DOCS, "d-left");
        owned("appGone", DOCS, "d-left");
        apps.delete(gone);

        assertEquals(new Orphans.Deletion.Deleted(null), orphans.delete(DOCS, "d-stray"));
        assertEquals(new Orphans.Deletion.Deleted("appGone"), orphans.delete(DOCS, "d-left"));

        assertTrue(!runway.has(DOCS, "d-stray") && !runway.has(DOCS, "d-left"));
        assertEquals(Optional.empty(), store.find(DOCS, "d-left"));
        assertEquals(new Orphans.Deletion.NotAtRunway(), orphans.delete(DOCS, "d-stray"));
    }

    @Test
    void refusesToDeleteWhatAnAppOwns_andChangesNothingWhenRunwayFails() {
        app("appA");
        atRunway(DOCS, "d-owned");
        owned("appA", DOCS, "d-owned");
        App gone = app("appGone");
        atRunway(DOCS, "d-left");
        owned("appGone", DOCS, "d-left");
        apps.delete(gone);

        assertEquals(new Orphans.Deletion.Owned("appA"), orphans.delete(DOCS, "d-owned"));
        assertTrue(runway.has(DOCS, "d-owned"));
        runway.failNext("Runway is unreachable or busy");
        assertInstanceOf(Orphans.Deletion.Unavailable.class, orphans.delete(DOCS, "d-left"));
        assertTrue(runway.has(DOCS, "d-left"));
        assertTrue(store.find(DOCS, "d-left").isPresent());
    }

    private Item atRunway(ResourceKind kind, String id, Instant createdAt) {
        Item item = new Item(id, "name " + id, createdAt);
        runway.add(kind, item);
        return item;
    }

    @Test
    void aResourceWithNoRecordCreatedLessThanSettleAgo_isCountedAsSettling_notListed() {
        App gone = app("appGone");
        atRunway(DOCS, "d-young", NOW.minus(Duration.ofMinutes(1)));
        atRunway(DOCS, "d-almost", NOW.minus(Orphans.SETTLE).plusMillis(1));
        Item settled = atRunway(DOCS, "d-settled", NOW.minus(Orphans.SETTLE));
        Item undated = atRunway(DOCS, "d-undated", null);
        Item youngLeft = atRunway(DOCS, "d-young-left", NOW.minus(Duration.ofMinutes(1)));
        owned("appGone", DOCS, "d-young-left");
        apps.delete(gone);

        Orphans.Scan.Found found = assertInstanceOf(Orphans.Scan.Found.class, orphans.scan(DOCS, null, 50));

        assertEquals(2, found.settling());
        assertEquals(5, found.examined());
        assertEquals(java.util.Set.of(settled, undated, youngLeft),
                found.orphans().stream().map(Orphans.Orphan::item).collect(java.util.stream.Collectors.toSet()),
                "settled at exactly SETTLE, never settling without a creation time, and a deleted app's at any age");
    }

    @Test
    void assignAndDelete_refuseASettlingResource_withTheTimeLeft_andChangeNothing() {
        app("appA");
        atRunway(DOCS, "d-young", NOW.minus(Duration.ofMinutes(1)));
        atRunway(DOCS, "d-instant", NOW.minus(Orphans.SETTLE).plusMillis(300));

        assertEquals(new Orphans.Assignment.Settling(Duration.ofMinutes(4)), orphans.assign(DOCS, "d-young", "appA"));
        assertEquals(new Orphans.Deletion.Settling(Duration.ofMinutes(4)), orphans.delete(DOCS, "d-young"));
        assertEquals(new Orphans.Deletion.Settling(Duration.ofSeconds(1)), orphans.delete(DOCS, "d-instant"),
                "never less than a second to wait");

        assertTrue(runway.has(DOCS, "d-young"));
        assertEquals(Optional.empty(), store.find(DOCS, "d-young"));
    }

    @Test
    void deleteOfAResourceWithNoRecord_readsItFirst_andStopsWhenTheReadSaysNo() {
        atRunway(DOCS, "d-stray");
        runway.failNext("Runway is unreachable or busy");
        assertInstanceOf(Orphans.Deletion.Unavailable.class, orphans.delete(DOCS, "d-stray"));
        assertTrue(runway.has(DOCS, "d-stray"));
        assertEquals(new Orphans.Deletion.NotAtRunway(), orphans.delete(DOCS, "d-missing"));
    }

    @Test
    void aDeletedAppsYoungResource_isNotSettling_forAssignOrDelete() {
        app("appA");
        App gone = app("appGone");
        atRunway(DOCS, "d-young-left", NOW.minus(Duration.ofMinutes(1)));
        owned("appGone", DOCS, "d-young-left");
        apps.delete(gone);

        assertInstanceOf(Orphans.Assignment.Assigned.class, orphans.assign(DOCS, "d-young-left", "appA"));
        assertEquals("appA", store.find(DOCS, "d-young-left").orElseThrow().appId());
    }

    // ------------------------------------------------------------------ hints from create intents

    private void intent(String id, ResourceKind kind, String appId, String name, Instant startedAt) {
        store.recordIntent(new com.runwayrelay.domain.owned.CreateIntent(id, kind, appId, name, startedAt, null));
    }

    @Test
    void hintsTheAppOfAMatchingIntent_forAResourceWithNoOwner() {
        app("appA");
        Item stray = new Item("d-stray", "faq", T0);
        runway.add(DOCS, stray);
        intent("i-1", DOCS, "appA", "faq", T0.minusSeconds(2));

        Orphans.Scan.Found found = assertInstanceOf(Orphans.Scan.Found.class, orphans.scan(DOCS, null, 50));

        assertEquals(List.of(new Orphans.Orphan(DOCS, stray, Orphans.Reason.NO_OWNER, null, "appA", T0.minusSeconds(2))),
                found.orphans());
    }

    @Test
    void hintsOnlyAnIntentOfTheSameKindAndName_startedWithinSettleBeforeTheCreation() {
        Item stray = new Item("d-stray", "faq", T0);
        runway.add(DOCS, stray);
        intent("other-kind", ResourceKind.VOICES, "appV", "faq", T0.minusSeconds(1));
        intent("other-name", DOCS, "appN", "faq2", T0.minusSeconds(1));
        intent("after", DOCS, "appAfter", "faq", T0.plusMillis(1));
        intent("too-early", DOCS, "appEarly", "faq", T0.minus(Orphans.SETTLE).minusMillis(1));

        Orphans.Scan.Found found = assertInstanceOf(Orphans.Scan.Found.class, orphans.scan(DOCS, null, 50));
        assertNull(found.orphans().getFirst().likelyAppId());
        assertNull(found.orphans().getFirst().intentStartedAt());

        intent("edge", DOCS, "appEdge", "faq", T0.minus(Orphans.SETTLE));
        found = assertInstanceOf(Orphans.Scan.Found.class, orphans.scan(DOCS, null, 50));
        assertEquals("appEdge", found.orphans().getFirst().likelyAppId());
    }

    @Test
    void hintsTheLatestOfSeveralMatchingIntents_alsoOnesAlreadyReported() {
        runway.add(DOCS, new Item("d-stray", "faq", T0));
        intent("i-old", DOCS, "appOld", "faq", T0.minusSeconds(60));
        intent("i-new", DOCS, "appNew", "faq", T0.minusSeconds(1));
        store.markIntentReported(new com.runwayrelay.domain.owned.CreateIntent("i-new", DOCS, "appNew", "faq",
                T0.minusSeconds(1), null), T0.plus(Orphans.SETTLE));

        Orphans.Orphan orphan = assertInstanceOf(Orphans.Scan.Found.class, orphans.scan(DOCS, null, 50)).orphans().getFirst();
        assertEquals("appNew", orphan.likelyAppId());
        assertEquals(T0.minusSeconds(1), orphan.intentStartedAt());
    }

    @Test
    void readsTheIntentsOncePerPage_andNotAtAllWithoutAResourceThatHasNoOwner() {
        app("appA");
        for (int i = 0; i < 5; i++) {
            runway.add(DOCS, new Item("d-" + i, "doc " + i, T0.plusSeconds(i * 3600L)));
            intent("i-" + i, DOCS, "appA", "doc " + i, T0.plusSeconds(i * 3600L - 1));
        }
        owned("appA", DOCS, "d-4");

        Orphans.Scan.Found found = assertInstanceOf(Orphans.Scan.Found.class, orphans.scan(DOCS, null, 50));

        assertEquals(4, found.orphans().size());
        assertTrue(found.orphans().stream().allMatch(o -> "appA".equals(o.likelyAppId())), found.orphans().toString());
        assertEquals(1, store.intentQueries());

        owned("appA", DOCS, "d-0");
        owned("appA", DOCS, "d-1");
        owned("appA", DOCS, "d-2");
        owned("appA", DOCS, "d-3");
        orphans.scan(DOCS, null, 50);
        assertEquals(1, store.intentQueries());
    }

    @Test
    void hintsNoAppRatherThanAnOlderOne_whenTheIntentsOfThePagesWindowAreMoreThanOneQueryReads() {
        Item early = new Item("d-early", "early", T0.minusSeconds(200));
        Item stray = new Item("d-stray", "faq", T0);
        runway.add(DOCS, early);
        runway.add(DOCS, stray);
        intent("i-early", DOCS, "appEarly", "early", T0.minusSeconds(201));
        intent("i-old", DOCS, "appOld", "faq", T0.minusSeconds(120));
        for (int i = 0; i < Orphans.HINT_LIMIT; i++) {
            intent(String.format("i-fill-%03d", i), DOCS, "appFill", "fill " + i, T0.minusSeconds(119).plusMillis(i));
        }
        // The intent that made d-stray: past the one query's limit.
        intent("i-new", DOCS, "appNew", "faq", T0.minusSeconds(1));

        Map<String, Orphans.Orphan> found = new java.util.HashMap<>();
        assertInstanceOf(Orphans.Scan.Found.class, orphans.scan(DOCS, null, 50)).orphans()
                .forEach(o -> found.put(o.item().id(), o));

        assertNull(found.get("d-stray").likelyAppId(), "appOld did not make it; the query never saw appNew");
        assertEquals("appEarly", found.get("d-early").likelyAppId(), "its whole window was read");
    }

    @Test
    void hintsNothing_forAResourceOfADeletedApp() {
        App gone = app("appGone");
        Item left = new Item("d-left", "faq", T0);
        runway.add(DOCS, left);
        owned("appGone", DOCS, "d-left");
        apps.delete(gone);
        intent("i-1", DOCS, "appOther", "faq", T0.minusSeconds(1));

        Orphans.Orphan orphan = assertInstanceOf(Orphans.Scan.Found.class, orphans.scan(DOCS, null, 50)).orphans().getFirst();
        assertEquals(Orphans.Reason.APP_DELETED, orphan.reason());
        assertNull(orphan.likelyAppId());
    }

    // ------------------------------------------------------------------ avatar conversations

    private static final ResourceKind CONVS = ResourceKind.AVATAR_CONVERSATIONS;
    private static final ResourceKind SESSIONS = ResourceKind.REALTIME_SESSIONS;

    /** The two records a session's create writes, with the session's id. */
    private void session(String appId, String id, Instant at) {
        store.record(new Ownership(appId, SESSIONS, id, "custom:av-1", at, at));
        store.record(new Ownership(appId, CONVS, id, "custom:av-1", at, at));
    }

    @Test
    void conversations_areScanned_aDeletedAppsAndAnUnrecordedOne_withTheSessionsAppAsHint_andYoungOnesSettle() {
        app("appA");
        App gone = app("appGone");
        Item left = new Item("c-left", "custom:av-1", T0);
        Item lost = new Item("c-lost", "runway-preset:mina", T0.plusSeconds(60));
        Item stray = new Item("c-stray", "custom:av-2", T0.plusSeconds(120));
        runway.add(CONVS, left).add(CONVS, lost).add(CONVS, stray)
                .add(CONVS, new Item("c-owned", "custom:av-1", T0))
                .add(CONVS, new Item("c-young", "custom:av-1", NOW.minus(Duration.ofMinutes(1))));
        session("appGone", "c-left", T0);
        session("appA", "c-owned", T0);
        // A crash between the session's record and the conversation's.
        store.record(new Ownership("appA", SESSIONS, "c-lost", "runway-preset:mina", T0.plusSeconds(59),
                T0.plusSeconds(59)));
        apps.delete(gone);

        Orphans.Scan.Found found = assertInstanceOf(Orphans.Scan.Found.class, orphans.scan(CONVS, null, 50));

        assertEquals(List.of(new Orphans.Orphan(CONVS, left, Orphans.Reason.APP_DELETED, "appGone"),
                new Orphans.Orphan(CONVS, lost, Orphans.Reason.NO_OWNER, null, "appA", T0.plusSeconds(59)),
                new Orphans.Orphan(CONVS, stray, Orphans.Reason.NO_OWNER, null)), found.orphans());
        assertEquals(5, found.examined());
        assertEquals(1, found.settling());
        assertEquals(0, store.intentQueries(), "sessions write no create intent: none is read");
    }

    @Test
    void assigningAConversation_writesOnlyTheConversationsRecord_underTheNameTheAppsListFiltersOn() {
        app("appB");
        App gone = app("appGone");
        runway.add(CONVS, new Item("c-left", "custom:av-1", T0)).add(CONVS, new Item("c-stray", "custom:av-2", T0));
        session("appGone", "c-left", T0);
        apps.delete(gone);

        Orphans.Assignment.Assigned moved = assertInstanceOf(Orphans.Assignment.Assigned.class,
                orphans.assign(CONVS, "c-left", "appB"));
        assertInstanceOf(Orphans.Assignment.Assigned.class, orphans.assign(CONVS, "c-stray", "appB"));

        assertEquals("appGone", moved.formerAppId());
        assertEquals("appB", store.find(CONVS, "c-left").orElseThrow().appId());
        assertEquals("appGone", store.find(SESSIONS, "c-left").orElseThrow().appId(), "the session's record stays");
        Ownership stray = store.find(CONVS, "c-stray").orElseThrow();
        assertEquals("custom:av-2", stray.name());
        assertEquals(T0, stray.createdAt());
        assertEquals(Optional.empty(), store.find(SESSIONS, "c-stray"), "no session record is made up");
        assertInstanceOf(Orphans.Assignment.Owned.class, orphans.assign(CONVS, "c-left", "appB"));
    }

    @Test
    void deletingAConversation_deletesItAtRunway_andTheDeletedAppsConversationRecord_keepingTheSessions() {
        app("appA");
        App gone = app("appGone");
        runway.add(CONVS, new Item("c-left", "custom:av-1", T0)).add(CONVS, new Item("c-owned", "custom:av-1", T0))
                .add(CONVS, new Item("c-young", "custom:av-1", NOW.minus(Duration.ofMinutes(2))));
        session("appGone", "c-left", T0);
        session("appA", "c-owned", T0);
        apps.delete(gone);

        assertEquals(new Orphans.Deletion.Deleted("appGone"), orphans.delete(CONVS, "c-left"));
        assertEquals(new Orphans.Deletion.Owned("appA"), orphans.delete(CONVS, "c-owned"));
        assertEquals(new Orphans.Deletion.Settling(Duration.ofMinutes(3)), orphans.delete(CONVS, "c-young"));

        assertTrue(!runway.has(CONVS, "c-left") && runway.has(CONVS, "c-owned") && runway.has(CONVS, "c-young"));
        assertEquals(Optional.empty(), store.find(CONVS, "c-left"));
        assertEquals("appGone", store.find(SESSIONS, "c-left").orElseThrow().appId(),
                "the session's record (its charge or seconds, no transcript) stays for the settlement pass");
    }
}
