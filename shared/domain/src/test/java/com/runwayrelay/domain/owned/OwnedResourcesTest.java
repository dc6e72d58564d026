package com.runwayrelay.domain.owned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.owned.OwnedResources.Outcome;
import com.runwayrelay.domain.owned.RunwayResources.Answer;
import com.runwayrelay.domain.owned.memory.InMemoryOwnershipStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OwnedResourcesTest {
    private static final String A = "app_a";
    private static final String B = "app_b";
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T06:00:00Z"));
    private final InMemoryOwnershipStore store = new InMemoryOwnershipStore();
    private final FakeRunway runway = new FakeRunway();
    private final OwnedResources<String, String> voices = new OwnedResources<>(ResourceKind.VOICES, store, runway, clock);

    /** Runway's voices in memory: a body is the name, a resource is "id=name"; creates answer {id} only. */
    private static final class FakeRunway implements RunwayResources<String, String> {
        final Map<String, String> names = new LinkedHashMap<>();
        final List<String> calls = new ArrayList<>();
        final Deque<Answer<String>> scripted = new ArrayDeque<>();
        int ids;

        @Override
        public Answer<String> create(String body) {
            calls.add("create " + body);
            if (!scripted.isEmpty()) {
                return scripted.poll();
            }
            String id = "voice-" + ++ids;
            names.put(id, body);
            return new Answer.Created<>(id, null, id);
        }

        @Override
        public Answer<String> get(String id) {
            calls.add("get " + id);
            if (!scripted.isEmpty()) {
                return scripted.poll();
            }
            return names.containsKey(id) ? new Answer.Found<>(id + "=" + names.get(id)) : new Answer.NotFound<>();
        }

        @Override
        public Answer<String> update(String id, String body) {
            calls.add("update " + id);
            if (!names.containsKey(id)) {
                return new Answer.NotFound<>();
            }
            names.put(id, body);
            return new Answer.Found<>(id + "=" + body);
        }

        @Override
        public Answer<String> delete(String id) {
            calls.add("delete " + id);
            if (!scripted.isEmpty()) {
                return scripted.poll();
            }
            return names.remove(id) == null ? new Answer.NotFound<>() : new Answer.Done<>();
        }
    }

    private String created(String app, String name) {
        Outcome<String> outcome = voices.create(app, name, name, List.of());
        clock.advance(Duration.ofSeconds(1));
        return assertInstanceOf(Outcome.Found.class, outcome).resource().toString();
    }

    @Test
    void recordsTheCreatorAtTheGatewaysTime_whenRunwayAnswersIdOnly() {
        Instant at = clock.instant();
        String id = created(A, "narrator");
        Ownership owner = store.find(ResourceKind.VOICES, id).orElseThrow();
        assertEquals(A, owner.appId());
        assertEquals("narrator", owner.name());
        assertEquals(at, owner.createdAt());
    }

    @Test
    void answersNotFoundWithoutAskingRunway_whenAnotherAppsIdIsUsed() {
        String id = created(A, "narrator");
        int before = runway.calls.size();
        assertInstanceOf(Outcome.NotFound.class, voices.get(B, id));
        assertInstanceOf(Outcome.NotFound.class, voices.update(B, id, "mine", "mine", List.of()));
        assertInstanceOf(Outcome.NotFound.class, voices.delete(B, id));
        assertEquals(before, runway.calls.size());
        assertEquals("narrator", runway.names.get(id));
    }

    @Test
    void refusesWithoutAskingRunway_whenTheBodyNamesAnotherAppsResource() {
        String bs = created(B, "b's voice");
        String mine = created(A, "mine");
        int before = runway.calls.size();
        Outcome<String> create = voices.create(A, "x", "x",
                List.of(new Reference(ResourceKind.VOICES, bs, List.of("voice", "id")),
                        new Reference(ResourceKind.DOCUMENTS, "nope", List.of("documentIds", 0))));
        Outcome.Rejected<String> rejected = assertInstanceOf(Outcome.Rejected.class, create);
        assertTrue(rejected.byGateway());
        assertEquals(List.of(List.of("voice", "id"), List.of("documentIds", 0)),
                rejected.issues().stream().map(v -> v.path()).toList());
        assertEquals(OwnedReferences.CODE, rejected.issues().getFirst().code());
        assertInstanceOf(Outcome.Rejected.class, voices.update(A, mine, "y", "y",
                List.of(new Reference(ResourceKind.VOICES, bs, List.of("voice", "id")))));
        assertEquals(before, runway.calls.size());
        assertInstanceOf(Outcome.Found.class, voices.create(A, "z", "z",
                List.of(new Reference(ResourceKind.VOICES, mine, List.of("voice", "id")))));
    }

    @Test
    void updatesTheRecordsName_whenTheOwnerRenames() {
        String id = created(A, "narrator");
        assertEquals(new Outcome.Found<>(id + "=host"), voices.update(A, id, "host", "host", List.of()));
        assertEquals("host", store.find(ResourceKind.VOICES, id).orElseThrow().name());
    }

    @Test
    void deletesAtRunwayAndForgets_andForgetsWhatRunwayLost() {
        String id = created(A, "narrator");
        String lost = created(A, "lost");
        runway.names.remove(lost);
        assertInstanceOf(Outcome.Done.class, voices.delete(A, id));
        assertEquals(Optional.empty(), store.find(ResourceKind.VOICES, id));
        assertInstanceOf(Outcome.NotFound.class, voices.get(A, lost));
        assertEquals(Optional.empty(), store.find(ResourceKind.VOICES, lost));
    }

    @Test
    void listsOnlyTheAppsOwn_inPagesWithTheGatewaysCursor() {
        String a1 = created(A, "a1");
        created(B, "b1");
        String a2 = created(A, "a2");
        String a3 = created(A, "a3");
        Outcome.Listed<String> first = assertInstanceOf(Outcome.Listed.class, voices.list(A, false, null, 2));
        assertEquals(List.of(a1 + "=a1", a2 + "=a2"), first.resources());
        Outcome.Listed<String> second = assertInstanceOf(Outcome.Listed.class, voices.list(A, false, first.nextCursor(), 2));
        assertEquals(List.of(a3 + "=a3"), second.resources());
        assertNull(second.nextCursor());
        Outcome.Rejected<String> foreign = assertInstanceOf(Outcome.Rejected.class,
                voices.list(B, false, first.nextCursor(), 2));
        assertEquals("invalid_cursor", foreign.issues().getFirst().code());
        assertEquals(List.of(a1, a2, a3), voices.allOwned(A).stream().map(Ownership::runwayId).toList());
    }

    @Test
    void deletesAtRunwayAgain_whenTheOwnerCannotBeRecorded() {
        store.failNextRecord(new IllegalStateException("table unreachable"));
        assertInstanceOf(Outcome.Unavailable.class, voices.create(A, "x", "x", List.of()));
        assertTrue(runway.names.isEmpty());
        assertEquals(0, store.size());
    }

    @Test
    void reportsAPossibleOrphan_whenRunwaysAnswerIsLost() {
        runway.scripted.add(new Answer.Ambiguous<>("lost"));
        Outcome.PossibleOrphan<String> orphan = assertInstanceOf(Outcome.PossibleOrphan.class,
                voices.create(A, "x", "x", List.of()));
        assertNull(orphan.runwayId());
        assertEquals(0, store.size());
    }

    @Test
    void passesRunwaysRefusalOn_andRecordsNothing() {
        runway.scripted.add(new Answer.Rejected<>(400, "from.prompt: too short", List.of()));
        assertEquals(new Outcome.Rejected<>(400, "from.prompt: too short", List.of(), false),
                voices.create(A, "x", "x", List.of()));
        assertEquals(0, store.size());
    }

    @Test
    void passesRunwaysRefusalOfARead_andKeepsTheRecord() {
        String id = created(A, "x").split("=")[0];
        runway.scripted.add(new Answer.Rejected<>(400, "id: not a valid voice id", List.of()));

        assertEquals(new Outcome.Rejected<>(400, "id: not a valid voice id", List.of(), false), voices.get(A, id));
        assertEquals(1, store.size(), "a refused read forgets nothing");
    }

    @Test
    void passesRunwaysRefusalOfADelete_andKeepsTheRecord() {
        String id = created(A, "x").split("=")[0];
        runway.scripted.add(new Answer.Rejected<>(400, "voice is in use", List.of()));

        assertEquals(new Outcome.Rejected<>(400, "voice is in use", List.of(), false), voices.delete(A, id));
        assertEquals(1, store.size(), "the resource was not deleted, so its record stays");
    }

    @Test
    void passesRunwaysRefusalOfAListedRead_andKeepsTheRecords() {
        created(A, "x");
        runway.scripted.add(new Answer.Rejected<>(400, "bad id", List.of()));

        assertEquals(new Outcome.Rejected<>(400, "bad id", List.of(), false), voices.list(A, true, null, 10));
        assertEquals(1, store.size());
    }
}
