package com.runwayrelay.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.owned.CreateIntent;
import com.runwayrelay.domain.owned.Ownership;
import com.runwayrelay.domain.owned.OwnershipStore;
import com.runwayrelay.domain.owned.OwnershipStore.Page;
import com.runwayrelay.domain.owned.OwnershipStore.Position;
import com.runwayrelay.domain.owned.ResourceKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OwnershipStore} promises: one owner per kind and Runway id, updates keep owner and
 * creation time, removal is idempotent, and an app's list holds exactly its own records in creation
 * order (ties by id), both ways, paged without gaps or repeats.
 *
 * @param <S> the implementation under test
 */
public abstract class OwnershipContract<S extends OwnershipStore> {
    protected static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    /** Each case its own apps, so a store shared between cases needs no reset. */
    protected final String appA = "app_" + UUID.randomUUID();
    protected final String appB = "app_" + UUID.randomUUID();
    /** Runway ids are unique in the whole table, so each case names its own. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    protected S store;

    /** The store under test; called before every case. */
    protected abstract S openStore();

    @BeforeEach
    final void open() {
        store = openStore();
    }

    private Ownership owned(String app, String id, Instant created) {
        return new Ownership(app, ResourceKind.DOCUMENTS, id, "name " + id, created, created);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void recordsOnce_andFindsItForItsOwner() {
        String id = id();
        assertTrue(store.record(owned(appA, id, T0)));
        assertFalse(store.record(owned(appB, id, T0.plusSeconds(1))));
        assertEquals(Optional.of(owned(appA, id, T0)), store.find(ResourceKind.DOCUMENTS, id));
        assertEquals(Optional.empty(), store.find(ResourceKind.DOCUMENTS, id()));
    }

    @Test
    void transfersOnlyFromTheExpectedOwner_andMovesTheRecordBetweenLists() {
        String id = id();
        store.record(owned(appA, id, T0));
        Ownership toB = new Ownership(appB, ResourceKind.DOCUMENTS, id, "taken", T0, T0.plusSeconds(5));
        assertFalse(store.transfer(toB, appB), "appB does not own it yet");
        assertEquals(Optional.of(owned(appA, id, T0)), store.find(ResourceKind.DOCUMENTS, id));
        assertTrue(store.transfer(toB, appA));
        assertFalse(store.transfer(owned(appA, id, T0), appA), "a second transfer from the old owner loses");
        assertEquals(Optional.of(toB), store.find(ResourceKind.DOCUMENTS, id));
        assertEquals(List.of(), store.list(appA, ResourceKind.DOCUMENTS, false, null, 10).items());
        assertEquals(List.of(toB), store.list(appB, ResourceKind.DOCUMENTS, false, null, 10).items());
        String missing = id();
        assertFalse(store.transfer(owned(appB, missing, T0), appA));
        assertEquals(Optional.empty(), store.find(ResourceKind.DOCUMENTS, missing), "no record is made");
    }

    @Test
    void updatesNameAndTime_keepingOwnerAndCreation() {
        String id = id();
        store.record(owned(appA, id, T0));
        Instant later = T0.plusSeconds(60);
        assertTrue(store.update(new Ownership(appB, ResourceKind.DOCUMENTS, id, "renamed", later, later)));
        assertEquals(Optional.of(new Ownership(appA, ResourceKind.DOCUMENTS, id, "renamed", T0, later)),
                store.find(ResourceKind.DOCUMENTS, id));
        assertFalse(store.update(owned(appA, id(), T0)));
    }

    @Test
    void keepsAChargeUntilAnUpdateDropsIt_andListsLeaveItOut() {
        String id = id();
        Ownership.Charge charge = new Ownership.Charge(UUID.randomUUID().toString(), 300, T0.plusSeconds(300));
        Ownership session = new Ownership(appA, ResourceKind.REALTIME_SESSIONS, id, "", T0, T0, charge);
        assertTrue(store.record(session));
        assertEquals(Optional.of(session), store.find(ResourceKind.REALTIME_SESSIONS, id));
        assertEquals(List.of(session.settled(T0)), store.list(appA, ResourceKind.REALTIME_SESSIONS, false, null, 10).items(),
                "a listed record carries no charge: find reads it");
        assertTrue(store.update(session.settled(T0.plusSeconds(9))));
        Ownership settled = store.find(ResourceKind.REALTIME_SESSIONS, id).orElseThrow();
        assertEquals(null, settled.charge());
        assertEquals(T0.plusSeconds(9), settled.updatedAt());
        assertEquals(Optional.empty(), store.find(ResourceKind.DOCUMENTS, id));
    }

    private Ownership charged(String app, String id, Instant created, Instant checkAt) {
        return new Ownership(app, ResourceKind.REALTIME_SESSIONS, id, "runway-preset:x", created, created,
                new Ownership.Charge(UUID.randomUUID().toString(), 60, checkAt));
    }

    /** The store is shared between cases and apps: only this case's records count. */
    private List<String> dueOfThisCase(Instant now, List<String> ids) {
        return store.chargesDue(now, 1000).stream().map(Ownership::runwayId).filter(ids::contains).toList();
    }

    @Test
    void findsDueChargesOfEveryApp_earliestCheckFirst_andNoneOnceSettled() {
        String early = id();
        String late = id();
        String notYet = id();
        String plain = id();
        store.record(charged(appB, late, T0, T0.plusSeconds(20)));
        store.record(charged(appA, early, T0, T0.plusSeconds(10)));
        store.record(charged(appA, notYet, T0, T0.plusSeconds(500)));
        store.record(new Ownership(appA, ResourceKind.REALTIME_SESSIONS, plain, "x", T0, T0));
        List<String> ids = List.of(early, late, notYet, plain);
        assertEquals(List.of(early, late), dueOfThisCase(T0.plusSeconds(20), ids));
        Ownership due = store.chargesDue(T0.plusSeconds(20), 1000).stream().filter(o -> o.runwayId().equals(early))
                .findFirst().orElseThrow();
        assertEquals(store.find(ResourceKind.REALTIME_SESSIONS, early).orElseThrow(), due, "read with its charge");

        Ownership settled = store.find(ResourceKind.REALTIME_SESSIONS, early).orElseThrow().settled(T0.plusSeconds(30), 12.5);
        assertTrue(store.update(settled));
        assertEquals(List.of(late), dueOfThisCase(T0.plusSeconds(20), ids));
        Ownership read = store.find(ResourceKind.REALTIME_SESSIONS, early).orElseThrow();
        assertEquals(null, read.charge());
        assertEquals(12.5, read.measuredSeconds());
    }

    @Test
    void movesACheckOnlyFromTheExpectedCharge_andNeverBringsBackASettledOne() {
        String id = id();
        Ownership session = charged(appA, id, T0, T0.plusSeconds(10));
        store.record(session);
        Ownership.Charge charge = session.charge();
        assertTrue(store.moveCheck(ResourceKind.REALTIME_SESSIONS, id, charge, T0.plusSeconds(400)));
        assertFalse(store.moveCheck(ResourceKind.REALTIME_SESSIONS, id, charge, T0.plusSeconds(20)),
                "a second claim from the same old check loses");
        assertEquals(charge.checkedAt(T0.plusSeconds(400)), store.find(ResourceKind.REALTIME_SESSIONS, id).orElseThrow().charge());
        assertEquals(List.of(), dueOfThisCase(T0.plusSeconds(399), List.of(id)));
        assertEquals(List.of(id), dueOfThisCase(T0.plusSeconds(400), List.of(id)));

        store.update(store.find(ResourceKind.REALTIME_SESSIONS, id).orElseThrow().settled(T0.plusSeconds(401)));
        assertFalse(store.moveCheck(ResourceKind.REALTIME_SESSIONS, id, charge.checkedAt(T0.plusSeconds(400)),
                T0.plusSeconds(900)));
        assertEquals(null, store.find(ResourceKind.REALTIME_SESSIONS, id).orElseThrow().charge());
        assertFalse(store.moveCheck(ResourceKind.REALTIME_SESSIONS, id(), charge, T0));
    }

    private CreateIntent intent(String app, ResourceKind kind, String name, Instant startedAt) {
        CreateIntent intent = new CreateIntent(id(), kind, app, name, startedAt, null);
        store.recordIntent(intent);
        return intent;
    }

    /** The store is shared between cases: only this case's intents count. */
    private List<CreateIntent> intentsDueOfThisCase(Instant startedBy, List<CreateIntent> mine) {
        List<String> ids = mine.stream().map(CreateIntent::intentId).toList();
        return store.intentsDue(startedBy, 1000).stream().filter(i -> ids.contains(i.intentId())).toList();
    }

    @Test
    void findsUnreportedIntentsOfEveryAppAndKind_earliestFirst_andNoneOnceReportedOrRemoved() {
        CreateIntent late = intent(appB, ResourceKind.VOICES, "calm", T0.plusSeconds(20));
        CreateIntent early = intent(appA, ResourceKind.DOCUMENTS, "faq", T0.plusSeconds(10));
        CreateIntent notYet = intent(appA, ResourceKind.AVATARS, "host", T0.plusSeconds(500));
        List<CreateIntent> mine = List.of(early, late, notYet);
        assertEquals(List.of(early, late), intentsDueOfThisCase(T0.plusSeconds(20), mine), "read as written");

        assertTrue(store.markIntentReported(early, T0.plusSeconds(300)));
        store.removeIntent(ResourceKind.VOICES, late.intentId());
        store.removeIntent(ResourceKind.VOICES, late.intentId());
        assertEquals(List.of(), intentsDueOfThisCase(T0.plusSeconds(20), mine));
        assertEquals(List.of(notYet), intentsDueOfThisCase(T0.plusSeconds(500), mine));
        store.markIntentReported(notYet, T0.plusSeconds(600));
    }

    @Test
    void marksAnIntentReportedOnce_andNeverOneRemoved() {
        CreateIntent intent = intent(appA, ResourceKind.DOCUMENTS, "faq", T0);
        assertTrue(store.markIntentReported(intent, T0.plusSeconds(300)));
        assertFalse(store.markIntentReported(intent, T0.plusSeconds(301)), "a second claim loses");

        CreateIntent removed = intent(appA, ResourceKind.DOCUMENTS, "faq", T0);
        store.removeIntent(ResourceKind.DOCUMENTS, removed.intentId());
        assertFalse(store.markIntentReported(removed, T0.plusSeconds(300)));
        assertEquals(List.of(intent.reported(null)), store.intentsStarted(ResourceKind.DOCUMENTS, T0, T0, 1000).stream()
                .filter(i -> i.intentId().equals(intent.intentId()) || i.intentId().equals(removed.intentId())).toList(),
                "a reported intent is kept; a removed one is not brought back");
    }

    @Test
    void listsTheIntentsOfAKindStartedInARange_bothEndsIncluded_reportedOrNot() {
        String name = "doc " + id();
        CreateIntent before = intent(appA, ResourceKind.DOCUMENTS, name, T0.minusMillis(1));
        CreateIntent first = intent(appA, ResourceKind.DOCUMENTS, name, T0);
        CreateIntent middle = intent(appB, ResourceKind.DOCUMENTS, name, T0.plusSeconds(30));
        CreateIntent last = intent(appA, ResourceKind.DOCUMENTS, name, T0.plusSeconds(60));
        CreateIntent after = intent(appA, ResourceKind.DOCUMENTS, name, T0.plusSeconds(60).plusMillis(1));
        CreateIntent otherKind = intent(appA, ResourceKind.VOICES, name, T0.plusSeconds(30));
        store.markIntentReported(middle, T0.plusSeconds(400));
        List<String> mine = java.util.stream.Stream.of(before, first, middle, last, after, otherKind)
                .map(CreateIntent::intentId).toList();

        List<CreateIntent> listed = store.intentsStarted(ResourceKind.DOCUMENTS, T0, T0.plusSeconds(60), 1000).stream()
                .filter(i -> mine.contains(i.intentId())).toList();

        assertEquals(List.of(first, middle, last), listed);
        for (CreateIntent i : List.of(before, first, middle, last, after, otherKind)) {
            store.markIntentReported(i, T0.plusSeconds(500));
        }
    }

    @Test
    void findsManyAtOnce_withChargesAndDurations_skippingMissingIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            String id = id();
            ids.add(id);
            Ownership o = charged(appA, id, T0.plusSeconds(i), T0.plusSeconds(1000 + i));
            store.record(o);
            if (i % 2 == 1) {
                store.update(o.settled(T0.plusSeconds(2000), (double) i));
            }
        }
        List<String> asked = new ArrayList<>(ids);
        asked.add(id());
        var found = store.findAll(ResourceKind.REALTIME_SESSIONS, asked);
        assertEquals(130, found.size());
        assertEquals(Optional.of(found.get(ids.get(0))), store.find(ResourceKind.REALTIME_SESSIONS, ids.get(0)));
        assertTrue(found.get(ids.get(0)).charge() != null);
        assertEquals(7.0, found.get(ids.get(7)).measuredSeconds());
        assertEquals(null, found.get(ids.get(7)).charge());
    }

    @Test
    void removes_andRemovingAgainIsNoError() {
        String id = id();
        store.record(owned(appA, id, T0));
        store.remove(ResourceKind.DOCUMENTS, id);
        store.remove(ResourceKind.DOCUMENTS, id);
        assertEquals(Optional.empty(), store.find(ResourceKind.DOCUMENTS, id));
        assertEquals(List.of(), store.list(appA, ResourceKind.DOCUMENTS, false, null, 10).items());
    }

    @Test
    void listsOnlyTheAppsOwnRecords_inCreationOrderBothWays_tiesById() {
        List<Ownership> mine = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Ownership o = owned(appA, run + "doc-" + i, T0.plusSeconds(i / 2 * 10L));
            mine.add(o);
            store.record(o);
            store.record(owned(appB, run + "other-" + i, T0.plusSeconds(i)));
        }
        assertEquals(new Page(mine, false), store.list(appA, ResourceKind.DOCUMENTS, false, null, 10));
        assertEquals(new Page(mine.reversed(), false), store.list(appA, ResourceKind.DOCUMENTS, true, null, 10));
        assertEquals(new Page(List.of(), false), store.list("app_" + UUID.randomUUID(), ResourceKind.DOCUMENTS,
                true, null, 10));
    }

    @Test
    void pagesWithoutGapsOrRepeats_whicheverWayAndFromAnyPosition() {
        List<Ownership> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Ownership o = owned(appA, run + "doc-" + i, T0.plusSeconds(i));
            mine.add(o);
            store.record(o);
            store.record(owned(appB, run + "b-" + i, T0.plusSeconds(i)));
        }
        for (boolean descending : new boolean[] {false, true}) {
            List<Ownership> seen = new ArrayList<>();
            Position after = null;
            int pages = 0;
            Page page;
            do {
                page = store.list(appA, ResourceKind.DOCUMENTS, descending, after, 2);
                seen.addAll(page.items());
                after = page.items().isEmpty() ? after : page.items().getLast().position();
                pages++;
            } while (page.hasMore());
            assertEquals(descending ? mine.reversed() : mine, seen);
            assertEquals(3, pages);
        }
        // A position of another app's record only says where to start; the items stay the app's.
        Page fromForeign = store.list(appA, ResourceKind.DOCUMENTS, false, new Position(T0.plusSeconds(2), run + "b-2"), 10);
        assertEquals(mine.subList(2, 5), fromForeign.items());
        assertFalse(fromForeign.hasMore());
    }

    @Test
    void saysThereIsMore_exactlyWhenRecordsFollow() {
        store.record(owned(appA, run + "x-1", T0));
        store.record(owned(appA, run + "x-2", T0.plusSeconds(1)));
        assertTrue(store.list(appA, ResourceKind.DOCUMENTS, false, null, 1).hasMore());
        assertFalse(store.list(appA, ResourceKind.DOCUMENTS, false, null, 2).hasMore());
        assertFalse(store.list(appA, ResourceKind.DOCUMENTS, false, new Position(T0, run + "x-1"), 1).hasMore());
    }
}
