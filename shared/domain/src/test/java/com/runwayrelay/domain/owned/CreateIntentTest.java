package com.runwayrelay.domain.owned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.owned.RunwayDocuments.Answer;
import com.runwayrelay.domain.owned.memory.InMemoryOwnershipStore;
import com.runwayrelay.domain.owned.memory.InMemoryRunwayDocuments;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The create intent around documents, avatars and voices: written before Runway is asked, removed on
 * every outcome that leaves nothing unowned, kept (reported) on a possible orphan, and left unreported
 * by a create that stops between Runway's create and the record.
 */
class CreateIntentTest {
    private static final String A = "app_a";
    private static final Instant T0 = Instant.parse("2026-12-04T06:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryOwnershipStore store = new InMemoryOwnershipStore();
    private final InMemoryRunwayDocuments runwayDocuments = new InMemoryRunwayDocuments(clock);
    /** What the store held when Runway was asked to create, per create. */
    private final List<List<CreateIntent>> intentsAtCreate = new ArrayList<>();
    private final HaltingStore halting = new HaltingStore();
    private Runnable onCreate = () -> { };
    private final Documents documents = new Documents(halting, new ObservedDocuments(), clock);

    /** Thrown instead of returning, as a function stopped by a crash or its timeout never returns. */
    private static final class Halt extends Error {
        Halt() {
            super("the function stopped");
        }
    }

    /** Runway's documents, noting the store's intents at each create, then running {@link #onCreate}. */
    private final class ObservedDocuments implements RunwayDocuments {
        @Override
        public Answer create(String name, String content) {
            intentsAtCreate.add(store.intents());
            Answer answer = runwayDocuments.create(name, content);
            onCreate.run();
            return answer;
        }

        @Override
        public Answer get(String id) {
            return runwayDocuments.get(id);
        }

        @Override
        public Answer update(String id, String name, String content) {
            return runwayDocuments.update(id, name, content);
        }

        @Override
        public Answer delete(String id) {
            return runwayDocuments.delete(id);
        }
    }

    /** The in-memory store, except that {@link #haltOnRecord} makes the next record stop the function. */
    private final class HaltingStore implements OwnershipStore {
        boolean haltOnRecord;

        @Override
        public boolean record(Ownership ownership) {
            if (haltOnRecord) {
                haltOnRecord = false;
                throw new Halt();
            }
            return store.record(ownership);
        }

        @Override
        public boolean transfer(Ownership next, String fromAppId) {
            return store.transfer(next, fromAppId);
        }

        @Override
        public java.util.Optional<Ownership> find(ResourceKind kind, String runwayId) {
            return store.find(kind, runwayId);
        }

        @Override
        public List<Ownership> chargesDue(Instant now, int limit) {
            return store.chargesDue(now, limit);
        }

        @Override
        public boolean moveCheck(ResourceKind kind, String runwayId, Ownership.Charge expected, Instant checkAt) {
            return store.moveCheck(kind, runwayId, expected, checkAt);
        }

        @Override
        public boolean update(Ownership ownership) {
            return store.update(ownership);
        }

        @Override
        public void remove(ResourceKind kind, String runwayId) {
            store.remove(kind, runwayId);
        }

        @Override
        public Page list(String appId, ResourceKind kind, boolean descending, Position after, int limit) {
            return store.list(appId, kind, descending, after, limit);
        }

        @Override
        public void recordIntent(CreateIntent intent) {
            store.recordIntent(intent);
        }

        @Override
        public void removeIntent(ResourceKind kind, String intentId) {
            store.removeIntent(kind, intentId);
        }

        @Override
        public boolean markIntentReported(CreateIntent intent, Instant at) {
            return store.markIntentReported(intent, at);
        }

        @Override
        public List<CreateIntent> intentsDue(Instant startedBy, int limit) {
            return store.intentsDue(startedBy, limit);
        }

        @Override
        public List<CreateIntent> intentsStarted(ResourceKind kind, Instant from, Instant to, int limit) {
            return store.intentsStarted(kind, from, to, limit);
        }
    }

    private CreateIntent onlyIntent() {
        assertEquals(1, store.intents().size(), store.intents().toString());
        return store.intents().getFirst();
    }

    @Test
    void writesTheIntentBeforeAskingRunway_andRemovesItOnceRecorded() {
        Documents.Outcome outcome = documents.create(A, "faq", "# faq");

        assertInstanceOf(Documents.Outcome.Found.class, outcome);
        CreateIntent before = intentsAtCreate.getFirst().getFirst();
        assertEquals(ResourceKind.DOCUMENTS, before.kind());
        assertEquals(A, before.appId());
        assertEquals("faq", before.name());
        assertEquals(T0, before.startedAt());
        assertNull(before.reportedAt());
        assertTrue(store.intents().isEmpty());
        assertEquals(1, store.size());
    }

    @Test
    void givesEachCreateItsOwnIntent() {
        onCreate = () -> assertEquals(1, store.intents().size());
        documents.create(A, "one", "x");
        documents.create(A, "two", "x");
        assertTrue(!intentsAtCreate.get(0).getFirst().intentId().equals(intentsAtCreate.get(1).getFirst().intentId()));
    }

    @Test
    void asksNothingOfRunway_whenTheIntentCannotBeWritten() {
        store.failIntents(new IllegalStateException("table unreachable"));

        Documents.Outcome outcome = documents.create(A, "faq", "# faq");

        Documents.Outcome.Unavailable unavailable = assertInstanceOf(Documents.Outcome.Unavailable.class, outcome);
        assertTrue(unavailable.reason().contains("nothing was created"), unavailable.reason());
        assertEquals(Duration.ofSeconds(1), unavailable.retryAfter());
        assertTrue(runwayDocuments.calls().isEmpty());
        assertEquals(0, store.size());
    }

    @Test
    void removesTheIntent_whenRunwayRefusesOrCannotBeReached() {
        runwayDocuments.script(new Answer.Rejected("content: Required", List.of()),
                new Answer.Unavailable("Runway is unreachable", null));

        assertInstanceOf(Documents.Outcome.Rejected.class, documents.create(A, "faq", ""));
        assertInstanceOf(Documents.Outcome.Unavailable.class, documents.create(A, "faq", "# faq"));

        assertEquals(2, intentsAtCreate.size());
        assertTrue(store.intents().isEmpty());
    }

    @Test
    void removesTheIntent_whenTheRecordFailsAndTheUndoSucceeds() {
        store.failNextRecord(new IllegalStateException("table unreachable"));

        assertInstanceOf(Documents.Outcome.Unavailable.class, documents.create(A, "faq", "# faq"));

        assertTrue(runwayDocuments.documents().isEmpty());
        assertTrue(store.intents().isEmpty());
    }

    @Test
    void keepsTheIntentReported_whenTheRecordFailsAndTheUndoFailsToo() {
        store.failNextRecord(new IllegalStateException("table unreachable"));
        onCreate = () -> runwayDocuments.script(new Answer.Unavailable("Runway is unreachable", null));
        clock.advance(Duration.ofSeconds(2));

        assertInstanceOf(Documents.Outcome.PossibleOrphan.class, documents.create(A, "faq", "# faq"));

        CreateIntent kept = onlyIntent();
        assertEquals("faq", kept.name());
        assertEquals(T0.plusSeconds(2), kept.startedAt());
        assertEquals(T0.plusSeconds(2), kept.reportedAt());
    }

    @Test
    void keepsTheIntentReported_whenRunwaysAnswerIsLost() {
        runwayDocuments.script(new Answer.Ambiguous("connection reset after sending"));

        assertInstanceOf(Documents.Outcome.PossibleOrphan.class, documents.create(A, "faq", "# faq"));

        assertNotNull(onlyIntent().reportedAt());
        assertTrue(store.intentsDue(T0.plus(Duration.ofDays(1)), 10).isEmpty(), "already reported: the sweep skips it");
    }

    @Test
    void leavesTheIntentUnreported_whenTheFunctionStopsBetweenRunwaysCreateAndTheRecord() {
        halting.haltOnRecord = true;

        assertThrows(Halt.class, () -> documents.create(A, "faq", "# faq"));

        assertEquals(1, runwayDocuments.documents().size(), "Runway created it");
        assertEquals(0, store.size(), "no record");
        CreateIntent left = onlyIntent();
        assertNull(left.reportedAt());
        assertEquals(List.of(left), store.intentsDue(T0, 10));
    }

    @Test
    void answersTheCreate_whenTheIntentCannotBeRemovedAfterwards() {
        onCreate = () -> store.failIntents(new IllegalStateException("table unreachable"));

        Documents.Outcome outcome = documents.create(A, "faq", "# faq");

        assertInstanceOf(Documents.Outcome.Found.class, outcome);
        assertEquals(1, store.size());
        assertNull(onlyIntent().reportedAt(), "left for the sweep: a false alarm at worst");
    }

    @Test
    void answersThePossibleOrphan_whenTheIntentCannotBeMarked() {
        onCreate = () -> store.failIntents(new IllegalStateException("table unreachable"));
        runwayDocuments.script(new Answer.Ambiguous("connection reset after sending"));

        assertInstanceOf(Documents.Outcome.PossibleOrphan.class, documents.create(A, "faq", "# faq"));
        assertNull(onlyIntent().reportedAt());
    }

    // ------------------------------------------------------------------ avatars and voices

    /** Runway's voices: a body is the name; {@link #next} answers the next create instead. */
    private static final class Voices implements RunwayResources<String, String> {
        final List<String> created = new ArrayList<>();
        RunwayResources.Answer<String> next;
        Runnable onCreate = () -> { };
        int ids;

        @Override
        public RunwayResources.Answer<String> create(String body) {
            RunwayResources.Answer<String> answer = next != null ? next : new RunwayResources.Answer.Created<>("voice-" + ++ids, null, body);
            next = null;
            if (answer instanceof RunwayResources.Answer.Created<String> c) {
                created.add(c.id());
            }
            onCreate.run();
            return answer;
        }

        @Override
        public RunwayResources.Answer<String> get(String id) {
            return new RunwayResources.Answer.NotFound<>();
        }

        @Override
        public RunwayResources.Answer<String> update(String id, String body) {
            return new RunwayResources.Answer.NotFound<>();
        }

        @Override
        public RunwayResources.Answer<String> delete(String id) {
            return created.remove(id) ? new RunwayResources.Answer.Done<>() : new RunwayResources.Answer.NotFound<>();
        }
    }

    private final Voices runwayVoices = new Voices();
    private final OwnedResources<String, String> voices = new OwnedResources<>(ResourceKind.VOICES, halting, runwayVoices,
            clock);

    @Test
    void voices_writeTheIntentBeforeRunway_andRemoveItOnceRecorded() {
        List<CreateIntent> seen = new ArrayList<>();
        runwayVoices.onCreate = () -> seen.addAll(store.intents());

        assertInstanceOf(OwnedResources.Outcome.Found.class, voices.create(A, "calm", "calm", List.of()));

        assertEquals(List.of(new CreateIntent(seen.getFirst().intentId(), ResourceKind.VOICES, A, "calm", T0, null)), seen);
        assertTrue(store.intents().isEmpty());
    }

    @Test
    void voices_writeNoIntent_whenTheGatewayRefusesANamedResource() {
        OwnedResources.Outcome<String> outcome = voices.create(A, "calm", "calm",
                List.of(new Reference(ResourceKind.AVATARS, "avatar-of-another-app", List.of("avatarId"))));

        assertTrue(assertInstanceOf(OwnedResources.Outcome.Rejected.class, outcome).byGateway());
        assertTrue(store.intents().isEmpty());
        assertTrue(runwayVoices.created.isEmpty());
    }

    @Test
    void voices_askNothingOfRunway_whenTheIntentCannotBeWritten() {
        store.failIntents(new IllegalStateException("table unreachable"));

        assertInstanceOf(OwnedResources.Outcome.Unavailable.class, voices.create(A, "calm", "calm", List.of()));
        assertEquals(0, runwayVoices.ids);
    }

    @Test
    void voices_removeTheIntent_onEveryOutcomeThatLeavesNothingUnowned() {
        runwayVoices.next = new RunwayResources.Answer.Rejected<>(400, "name: Required", List.of());
        voices.create(A, "", "", List.of());
        runwayVoices.next = new RunwayResources.Answer.Unavailable<>("Runway is unreachable", null);
        voices.create(A, "calm", "calm", List.of());
        store.failNextRecord(new IllegalStateException("table unreachable"));
        assertInstanceOf(OwnedResources.Outcome.Unavailable.class, voices.create(A, "calm", "calm", List.of()));

        assertTrue(runwayVoices.created.isEmpty(), "undone");
        assertTrue(store.intents().isEmpty());
    }

    @Test
    void voices_keepTheIntentReported_onAPossibleOrphan() {
        runwayVoices.next = new RunwayResources.Answer.Ambiguous<>("read timed out");

        assertInstanceOf(OwnedResources.Outcome.PossibleOrphan.class, voices.create(A, "calm", "calm", List.of()));

        CreateIntent kept = onlyIntent();
        assertEquals(ResourceKind.VOICES, kept.kind());
        assertEquals(T0, kept.reportedAt());
    }

    @Test
    void voices_leaveTheIntentUnreported_whenTheFunctionStopsBeforeTheRecord() {
        halting.haltOnRecord = true;

        assertThrows(Halt.class, () -> voices.create(A, "calm", "calm", List.of()));

        assertEquals(1, runwayVoices.created.size());
        assertNull(onlyIntent().reportedAt());
    }
}
