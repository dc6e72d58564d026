package com.runwayrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.memory.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentBookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T06:00:00Z"));
    private final DocumentBook book = new DocumentBook(clock);

    private String create(String name) throws Exception {
        String id = book.create(JSON.readTree("{\"name\":\"" + name + "\",\"content\":\"text\"}")).get("id").asText();
        clock.advance(Duration.ofSeconds(1));
        return id;
    }

    @Test
    void pagesTheWholeOrganizationsDocuments_withItsCursor() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(create("d" + i));
        }
        List<String> seen = new ArrayList<>();
        Map<String, String> query = new HashMap<>(Map.of("limit", "2", "order", "asc", "sort", "createdAt"));
        ObjectNode page;
        do {
            page = book.list(query);
            page.get("data").forEach(d -> {
                seen.add(d.get("id").asText());
                assertFalse(d.has("content"));
            });
            query.put("cursor", page.path("nextCursor").asText());
        } while (page.get("hasMore").asBoolean());
        assertEquals(ids, seen);
    }

    @Test
    void updatesAndDeletes_then404() throws Exception {
        String id = create("faq");
        book.update(id, JSON.readTree("{\"content\":\"new\"}"));
        assertEquals("new", book.get(id).get("content").asText());
        assertTrue(book.get(id).get("updatedAt").asText().compareTo(book.get(id).get("createdAt").asText()) > 0);
        book.delete(id);
        assertEquals(404, assertThrows(ApiException.class, () -> book.get(id)).status());
        assertEquals(404, assertThrows(ApiException.class, () -> book.delete(id)).status());
    }

    @Test
    void refusesBodiesWithoutNameOrContent() throws Exception {
        ApiException e = assertThrows(ApiException.class, () -> book.create(JSON.readTree("{\"name\":\"\"}")));
        assertEquals(400, e.status());
        assertEquals(2, e.issues().size());
    }
}
