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

class RealtimeBookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T06:00:00Z"));
    private final RealtimeBook book = new RealtimeBook(clock, Duration.ofSeconds(2));

    private String create(String body) throws Exception {
        String id = book.create(JSON.readTree(body)).get("id").asText();
        clock.advance(Duration.ofSeconds(1));
        return id;
    }

    private String preset(int maxDuration) throws Exception {
        return create("{\"model\":\"gwm1_avatars\",\"avatar\":{\"type\":\"runway-preset\",\"presetId\":\"influencer\"},"
                + "\"maxDuration\":" + maxDuration + "}");
    }

    @Test
    void movesFromNotReadyToReadyWithASessionKey_andCompletesAtMaxDurationOnceJoined() throws Exception {
        String id = preset(30);
        assertEquals("NOT_READY", book.get(id).get("status").asText());
        clock.advance(Duration.ofSeconds(1));
        ObjectNode ready = book.get(id);
        assertEquals("READY", ready.get("status").asText());
        assertTrue(ready.get("sessionKey").asText().startsWith("sk_sim_"));
        book.connect(id);
        clock.advance(Duration.ofSeconds(10));
        assertEquals("RUNNING", book.get(id).get("status").asText());
        assertEquals("in_progress", book.conversation(id).get("status").asText());
        assertEquals(10.0, book.conversation(id).get("duration").asDouble());
        clock.advance(Duration.ofSeconds(20));
        ObjectNode done = book.get(id);
        assertEquals("COMPLETED", done.get("status").asText());
        assertEquals(30.0, done.get("duration").asDouble());
        ObjectNode conversation = book.conversation(id);
        assertEquals("ended", conversation.get("status").asText());
        assertEquals(30, conversation.get("maxDuration").asInt());
        assertEquals("2026-11-21T06:00:02Z", conversation.get("startedAt").asText());
        assertEquals("2026-11-21T06:00:32Z", conversation.get("endedAt").asText());
    }

    @Test
    void cancelsWithTheTimeItRan_andRefusesToCancelAnEndedSession() throws Exception {
        String id = preset(300);
        book.connect(id);
        clock.advance(Duration.ofSeconds(7));
        book.cancel(id);
        assertEquals("CANCELLED", book.get(id).get("status").asText());
        assertFalse(book.get(id).has("duration"), "Runway's CANCELLED session has no duration");
        assertEquals(7.0, book.conversation(id).get("duration").asDouble());
        assertEquals("ended", book.conversation(id).get("status").asText());
        ApiException again = assertThrows(ApiException.class, () -> book.cancel(id));
        assertEquals(400, again.status());
    }

    @Test
    void failsWithACodeAndAFailedConversation() throws Exception {
        String id = preset(60);
        book.fail(id, null);
        ObjectNode failed = book.get(id);
        assertEquals("FAILED", failed.get("status").asText());
        assertEquals("INTERNAL", failed.get("failureCode").asText());
        assertEquals("failed", book.conversation(id).get("status").asText());
        assertTrue(book.conversation(id).get("duration").isNull());
    }

    @Test
    void deletesTheConversationOnly_andListsTheOrganizationsNewestFirst() throws Exception {
        String first = preset(60);
        String custom = create("{\"model\":\"gwm1_avatars\",\"avatar\":{\"type\":\"custom\",\"avatarId\":\"av-1\"},"
                + "\"tools\":[{\"type\":\"client_event\",\"name\":\"wave\",\"description\":\"waves\"}]}");
        String third = preset(60);
        List<String> seen = new ArrayList<>();
        Map<String, String> query = new HashMap<>(Map.of("limit", "2"));
        ObjectNode page;
        do {
            page = book.listConversations(query);
            page.get("data").forEach(c -> seen.add(c.get("id").asText()));
            query.put("cursor", page.path("nextCursor").asText());
        } while (page.get("hasMore").asBoolean());
        assertEquals(List.of(third, custom, first), seen);
        ObjectNode onlyCustom = book.listConversations(Map.of("avatar", "av-1"));
        assertEquals(1, onlyCustom.get("data").size());
        assertTrue(onlyCustom.get("data").get(0).get("hasTools").asBoolean());
        assertEquals("av-1", onlyCustom.get("data").get(0).get("avatar").get("id").asText());
        book.deleteConversation(first);
        assertEquals(404, assertThrows(ApiException.class, () -> book.conversation(first)).status());
        assertEquals(2, book.listConversations(Map.of()).get("data").size());
        assertEquals(first, book.get(first).get("id").asText(), "the session stays readable");
    }

    @Test
    void refusesABodyRunwayWouldRefuse_withItsIssues() {
        ApiException refused = assertThrows(ApiException.class, () -> book.create(JSON.readTree(
                "{\"model\":\"gen4\",\"avatar\":{\"type\":\"runway-preset\",\"presetId\":\"nobody\"},\"maxDuration\":301,\"extra\":1}")));
        assertEquals(400, refused.status());
        assertEquals(4, refused.issues().size());
        assertEquals(0, book.size());
    }

    @Test
    void sumsTheOrganizationsConversationsPerUtcDay_countingUnfinishedOnesWithoutSeconds() throws Exception {
        String completed = preset(60);
        String running = preset(60);
        String deleted = preset(60);
        book.end(completed, 12.5);
        book.connect(running);
        book.end(deleted, 7.5);
        book.deleteConversation(deleted);
        ObjectNode usage = book.usage(Map.of("startDate", "2026-11-20T12:00:00Z", "endDate", "2026-11-22T00:00:00Z"));
        assertEquals(3, usage.get("totalSessions").asLong());
        assertEquals(20.0, usage.get("totalSeconds").asDouble());
        assertEquals(10.0, usage.get("avgDurationSeconds").asDouble());
        assertEquals("[{\"date\":\"2026-11-20\",\"seconds\":0.0,\"sessions\":0},"
                + "{\"date\":\"2026-11-21\",\"seconds\":20.0,\"sessions\":3}]", usage.get("byDay").toString());
        assertEquals(0, book.usage(Map.of("startDate", "2026-11-21T06:00:03Z", "endDate", "2026-11-21T07:00:00Z"))
                .get("totalSessions").asLong(), "created before the start");
    }

    @Test
    void refusesAMissingDateAnEmptyRangeAndOneOverNinetyDays() {
        for (Map<String, String> query : List.of(Map.of("startDate", "2026-11-20T00:00:00Z"),
                Map.of("startDate", "2026-11-20T00:00:00Z", "endDate", "2026-11-20T00:00:00Z"),
                Map.of("startDate", "2026-01-01T00:00:00Z", "endDate", "2026-04-02T00:00:00Z"),
                Map.of("startDate", "yesterday", "endDate", "2026-04-02T00:00:00Z"))) {
            assertEquals(400, assertThrows(ApiException.class, () -> book.usage(query)).status(), query.toString());
        }
    }
}
