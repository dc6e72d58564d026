package com.runwayrelay.domain.owned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.owned.Documents.Outcome;
import com.runwayrelay.domain.owned.RunwayDocuments.Answer;
import com.runwayrelay.domain.owned.memory.InMemoryOwnershipStore;
import com.runwayrelay.domain.owned.memory.InMemoryRunwayDocuments;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DocumentsTest {
    private static final String A = "app_a";
    private static final String B = "app_b";
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T06:00:00Z"));
    private final InMemoryOwnershipStore store = new InMemoryOwnershipStore();
    private final InMemoryRunwayDocuments runway = new InMemoryRunwayDocuments(clock);
    private final Documents documents = new Documents(store, runway, clock);

    private String created(String app, String name) {
        Outcome outcome = documents.create(app, name, "# " + name);
        clock.advance(Duration.ofSeconds(1));
        return assertInstanceOf(Outcome.Found.class, outcome).document().id();
    }

    @Test
    void recordsTheCreator_whenRunwayCreates() {
        String id = created(A, "faq");
        Ownership owner = store.find(ResourceKind.DOCUMENTS, id).orElseThrow();
        assertEquals(A, owner.appId());
        assertEquals("faq", owner.name());
        assertEquals(runway.documents().get(id).createdAt(), owner.createdAt());
    }

    @Test
    void answersNotFoundWithoutAskingRunway_whenAnotherAppsIdIsUsed() {
        String id = created(A, "faq");
        int before = runway.calls().size();
        assertInstanceOf(Outcome.NotFound.class, documents.get(B, id));
        assertInstanceOf(Outcome.NotFound.class, documents.update(B, id, "mine now", null));
        assertInstanceOf(Outcome.NotFound.class, documents.delete(B, id));
        assertInstanceOf(Outcome.NotFound.class, documents.get(B, "no-such-id"));
        assertEquals(before, runway.calls().size());
        assertEquals("faq", runway.documents().get(id).name());
        assertEquals(A, store.find(ResourceKind.DOCUMENTS, id).orElseThrow().appId());
    }

    @Test
    void updatesAtRunwayAndTheRecord_whenTheOwnerUpdates() {
        String id = created(A, "faq");
        assertInstanceOf(Outcome.Done.class, documents.update(A, id, "faq v2", "new text"));
        assertEquals("new text", runway.documents().get(id).content());
        Ownership owner = store.find(ResourceKind.DOCUMENTS, id).orElseThrow();
        assertEquals("faq v2", owner.name());
        assertEquals(clock.instant(), owner.updatedAt());
        Outcome found = documents.get(A, id);
        assertEquals("faq v2", assertInstanceOf(Outcome.Found.class, found).document().name());
    }

    @Test
    void deletesAtRunwayAndForgets_whenTheOwnerDeletes() {
        String id = created(A, "faq");
        assertInstanceOf(Outcome.Done.class, documents.delete(A, id));
        assertTrue(runway.documents().isEmpty());
        assertEquals(Optional.empty(), store.find(ResourceKind.DOCUMENTS, id));
        assertInstanceOf(Outcome.NotFound.class, documents.delete(A, id));
    }

    @Test
    void removesTheRecord_whenRunwayNoLongerHasTheDocument() {
        String id = created(A, "faq");
        runway.vanish(id);
        assertInstanceOf(Outcome.NotFound.class, documents.get(A, id));
        assertEquals(Optional.empty(), store.find(ResourceKind.DOCUMENTS, id));
    }

    @Test
    void keepsTheRecord_whenRunwayIsUnavailable() {
        String id = created(A, "faq");
        runway.script(new Answer.Unavailable("Runway is unreachable", Duration.ofSeconds(2)));
        assertEquals(new Outcome.Unavailable("Runway is unreachable", Duration.ofSeconds(2)), documents.delete(A, id));
        assertTrue(store.find(ResourceKind.DOCUMENTS, id).isPresent());
    }

    @Test
    void passesRunwaysConflictOnWithItsStatus_andRecordsNothing() {
        runway.script(new Answer.Rejected(409, "conflict (409)", List.of()));
        assertEquals(new Outcome.Rejected(409, "conflict (409)", List.of()), documents.create(A, "faq", "x"));
        assertEquals(0, store.size());
        String id = created(A, "faq");
        runway.script(new Answer.Rejected(409, "conflict (409)", List.of()));
        assertEquals(new Outcome.Rejected(409, "conflict (409)", List.of()), documents.update(A, id, "renamed", null));
    }

    @Test
    void passesRunwaysRefusalOn_andRecordsNothing() {
        runway.script(new Answer.Rejected("content: Required", List.of()));
        assertEquals(new Outcome.Rejected("content: Required", List.of()), documents.create(A, "faq", "x"));
        assertEquals(0, store.size());
    }

    @Test
    void deletesAtRunwayAgain_whenTheOwnerCannotBeRecorded() {
        store.failNextRecord(new IllegalStateException("table unreachable"));
        Outcome outcome = documents.create(A, "faq", "text");
        assertInstanceOf(Outcome.Unavailable.class, outcome);
        assertTrue(runway.documents().isEmpty(), "the unrecorded document is deleted at Runway");
        assertEquals(0, store.size());
    }

    @Test
    void reportsAPossibleOrphan_whenTheOwnerCannotBeRecordedNorTheDocumentDeleted() {
        store.failNextRecord(new IllegalStateException("table unreachable"));
        Answer.Found made = (Answer.Found) runway.create("faq", "text");
        runway.script(made, new Answer.Unavailable("Runway is unreachable", null));
        Outcome outcome = documents.create(A, "faq", "text");
        assertEquals(made.document().id(), assertInstanceOf(Outcome.PossibleOrphan.class, outcome).runwayId());
        assertEquals(0, store.size());
    }

    @Test
    void reportsAPossibleOrphanWithoutId_whenRunwaysAnswerToTheCreateIsLost() {
        runway.script(new Answer.Ambiguous("connection reset after sending"));
        Outcome outcome = documents.create(A, "faq", "text");
        assertNull(assertInstanceOf(Outcome.PossibleOrphan.class, outcome).runwayId());
        assertEquals(0, store.size());
    }

    @Test
    void listsOnlyTheAppsOwnDocuments_pageByPage_bothOrders() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(created(A, "a" + i));
            created(B, "b" + i);
        }
        for (boolean descending : new boolean[] {false, true}) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                Outcome.Listed page = assertInstanceOf(Outcome.Listed.class, documents.list(A, descending, cursor, 1));
                page.documents().forEach(d -> seen.add(d.id()));
                cursor = page.nextCursor();
            } while (cursor != null);
            assertEquals(descending ? mine.reversed() : mine, seen);
        }
    }

    @Test
    void refusesACursorOfAnotherAppOrOrder_andOneItDidNotIssue() {
        created(A, "a0");
        created(A, "a1");
        String cursorOfA = assertInstanceOf(Outcome.Listed.class, documents.list(A, false, null, 1)).nextCursor();
        assertNotNull(cursorOfA);
        for (Outcome outcome : List.of(documents.list(B, false, cursorOfA, 1), documents.list(A, true, cursorOfA, 1),
                documents.list(A, false, "not-a-cursor", 1), documents.list(A, false, cursorOfA + "x", 1))) {
            Outcome.Rejected rejected = assertInstanceOf(Outcome.Rejected.class, outcome);
            assertEquals("invalid_cursor", rejected.issues().getFirst().code());
            assertEquals(List.of("cursor"), rejected.issues().getFirst().path());
        }
    }

    @Test
    void dropsAndForgetsADocumentRunwayLost_keepingTheCursorMoving() {
        String first = created(A, "a0");
        String second = created(A, "a1");
        String third = created(A, "a2");
        runway.vanish(second);
        Outcome.Listed page1 = assertInstanceOf(Outcome.Listed.class, documents.list(A, false, null, 2));
        assertEquals(List.of(first), page1.documents().stream().map(RunwayDocument::id).toList());
        assertEquals(Optional.empty(), store.find(ResourceKind.DOCUMENTS, second));
        Outcome.Listed page2 = assertInstanceOf(Outcome.Listed.class, documents.list(A, false, page1.nextCursor(), 2));
        assertEquals(List.of(third), page2.documents().stream().map(RunwayDocument::id).toList());
        assertNull(page2.nextCursor());
    }
}
