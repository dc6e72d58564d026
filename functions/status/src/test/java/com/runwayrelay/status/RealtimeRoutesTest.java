package com.runwayrelay.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.log.JsonLog;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.metrics.memory.RecordingMetrics;
import com.runwayrelay.domain.owned.OwnedReferences;
import com.runwayrelay.domain.owned.Ownership;
import com.runwayrelay.domain.owned.RealtimePricing;
import com.runwayrelay.domain.owned.RealtimeSessions;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.owned.memory.InMemoryOwnershipStore;
import com.runwayrelay.domain.owned.memory.InMemoryRunwayRealtime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The realtime-session and avatar-conversation routes through {@link StatusApi}, on the in-memory
 * fakes: the checks of the create body, the budget problems, isolation between apps, and settlement
 * seen through the ledger. (The task routes' collaborators are not needed here and are left out.)
 */
class RealtimeRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_A = "rr_0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String KEY_B = "rr_fedcba9876543210fedcba9876543210fedcba9876543210";
    private static final Instant T0 = Instant.parse("2026-11-21T06:30:00Z");
    private static final String PRESET = "{\"model\":\"gwm1_avatars\",\"avatar\":{\"type\":\"runway-preset\","
            + "\"presetId\":\"influencer\"},\"maxDuration\":60}";

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final InMemoryOwnershipStore ownership = new InMemoryOwnershipStore();
    private final InMemoryRunwayRealtime runway = new InMemoryRunwayRealtime(clock);
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final StatusApi api;

    RealtimeRoutesTest() {
        apps.create(App.builder("app_a", "a", T0).dailyCreditBudget(500).maxActiveTasks(3).build(), ApiKeys.hash(KEY_A));
        apps.create(App.builder("app_b", "b", T0).dailyCreditBudget(500).maxActiveTasks(3).build(), ApiKeys.hash(KEY_B));
        RealtimeSessions sessions = new RealtimeSessions(ownership, runway, ledger, new RealtimePricing(2), clock);
        JsonLog log = new JsonLog(() -> new PrintStream(logged, true, StandardCharsets.UTF_8), clock,
                System.Logger.Level.INFO);
        api = new StatusApi(new AppAuthenticator(apps, clock, Duration.ZERO, 10), null, null, null, null, null, null, null,
                new RealtimeSessionRoutes(sessions, new PossibleOrphans(log, metrics)), new ConversationRoutes(sessions.conversations()));
    }

    private APIGatewayV2HTTPResponse call(String routeKey, String id, Map<String, String> query, String body, String key) {
        APIGatewayV2HTTPEvent event = EventLoader.loadEvent(Path.of("..", "..", "events", "status",
                "apigw-organization-usage.json").toString(), APIGatewayV2HTTPEvent.class);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("authorization", "Bearer " + key);
        event.setHeaders(headers);
        event.setRouteKey(routeKey);
        event.getRequestContext().setRouteKey(routeKey);
        event.getRequestContext().getHttp().setMethod(routeKey.substring(0, routeKey.indexOf(' ')));
        event.setPathParameters(id == null ? null : Map.of("id", id));
        event.setQueryStringParameters(query);
        event.setBody(body);
        return api.apply(event);
    }

    private static String slug(APIGatewayV2HTTPResponse response) throws Exception {
        String type = JSON.readTree(response.getBody()).path("type").asText();
        return type.substring(type.lastIndexOf(':') + 1);
    }

    private long used(String app) {
        return ledger.usage(app, LocalDate.parse("2026-11-21")).usedCredits();
    }

    private String create(String key) throws Exception {
        APIGatewayV2HTTPResponse created = call(StatusApi.CREATE_REALTIME_SESSION, null, null, PRESET, key);
        assertEquals(200, created.getStatusCode(), created.getBody());
        clock.advance(Duration.ofSeconds(1));
        return JSON.readTree(created.getBody()).get("id").asText();
    }

    @Test
    void createRefusesABadBody_listingEveryIssue_reservingAndAskingNothing() throws Exception {
        APIGatewayV2HTTPResponse response = call(StatusApi.CREATE_REALTIME_SESSION, null, null,
                "{\"model\":\"gen4\",\"avatar\":{\"type\":\"robot\"},\"maxDuration\":301,"
                        + "\"integration\":{\"type\":\"livekit\",\"url\":\"http://10.0.0.1/\"},\"extra\":1}", KEY_A);
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals("invalid-request", slug(response));
        List<String> issues = new ArrayList<>();
        JSON.readTree(response.getBody()).get("issues").forEach(i -> issues.add(i.get("code").asText() + "@" + i.get("path")));
        assertEquals(List.of("unrecognized_keys@[]", "invalid_literal@[\"model\"]",
                "invalid_union_discriminator@[\"avatar\",\"type\"]", "invalid_type@[\"maxDuration\"]",
                "invalid_string@[\"integration\",\"url\"]"), issues);
        assertEquals(List.of(), runway.calls());
        assertEquals(0, used("app_a"));
    }

    @Test
    void createRefusesAnotherAppsCustomAvatar_andAcceptsTheOwnersOwn() throws Exception {
        ownership.record(new Ownership("app_b", ResourceKind.AVATARS, "av-1", "b's avatar", T0, T0));
        String body = "{\"model\":\"gwm1_avatars\",\"avatar\":{\"type\":\"custom\",\"avatarId\":\"av-1\"},"
                + "\"maxDuration\":60}";
        APIGatewayV2HTTPResponse response = call(StatusApi.CREATE_REALTIME_SESSION, null, null, body, KEY_A);
        assertEquals(400, response.getStatusCode());
        JsonNode issue = JSON.readTree(response.getBody()).get("issues").get(0);
        assertEquals(OwnedReferences.CODE, issue.get("code").asText());
        assertEquals("[\"avatar\",\"avatarId\"]", issue.get("path").toString());
        assertEquals(List.of(), runway.calls());
        assertEquals(0, used("app_a"));

        APIGatewayV2HTTPResponse own = call(StatusApi.CREATE_REALTIME_SESSION, null, null, body, KEY_B);
        assertEquals(200, own.getStatusCode(), own.getBody());
        assertEquals(1, runway.calls().size());
    }

    @Test
    void createReservesTheMaximum_whenTheBodyNamesNoMaxDuration_andRefusesOverBudgetWith402() throws Exception {
        APIGatewayV2HTTPResponse over = call(StatusApi.CREATE_REALTIME_SESSION, null, null,
                "{\"model\":\"gwm1_avatars\",\"avatar\":{\"type\":\"runway-preset\",\"presetId\":\"influencer\"}}", KEY_B);
        assertEquals(402, over.getStatusCode(), over.getBody());
        assertEquals("budget-exceeded", slug(over));
        JsonNode problem = JSON.readTree(over.getBody());
        assertEquals(600, problem.get("requestedCredits").asLong(), "300 s × 2 credits");
        assertEquals("2026-11-22T00:00:00Z", problem.get("resetsAt").asText());
        assertEquals(List.of(), runway.calls());
    }

    @Test
    void sessionsAndConversationsAreTheCreatingAppsAlone_andSettleWhenTheyEnd() throws Exception {
        String id = create(KEY_A);
        String theirs = create(KEY_B);
        assertEquals(120, used("app_a"));
        for (String route : List.of(StatusApi.GET_REALTIME_SESSION, StatusApi.CANCEL_REALTIME_SESSION,
                StatusApi.GET_AVATAR_CONVERSATION, StatusApi.DELETE_AVATAR_CONVERSATION)) {
            APIGatewayV2HTTPResponse foreign = call(route, id, null, null, KEY_B);
            assertEquals(404, foreign.getStatusCode(), route);
            assertEquals("not-found", slug(foreign));
        }
        assertEquals("NOT_READY", runway.status(id));
        JsonNode listB = JSON.readTree(call(StatusApi.LIST_AVATAR_CONVERSATIONS, null, null, null, KEY_B).getBody());
        assertEquals(1, listB.get("data").size());
        assertEquals(theirs, listB.get("data").get(0).get("id").asText());
        assertFalse(listB.get("hasMore").asBoolean());
        assertTrue(listB.get("nextCursor").isNull());

        runway.complete(id, 9.5);
        APIGatewayV2HTTPResponse read = call(StatusApi.GET_REALTIME_SESSION, id, null, null, KEY_A);
        assertEquals(200, read.getStatusCode());
        assertEquals("COMPLETED", JSON.readTree(read.getBody()).get("status").asText());
        assertEquals(20, used("app_a"), "10 started seconds × 2");
        assertEquals(204, call(StatusApi.DELETE_AVATAR_CONVERSATION, id, null, null, KEY_A).getStatusCode());
        assertEquals(404, call(StatusApi.GET_AVATAR_CONVERSATION, id, null, null, KEY_A).getStatusCode());
        assertEquals(200, call(StatusApi.GET_REALTIME_SESSION, id, null, null, KEY_A).getStatusCode());
        assertEquals(20, used("app_a"));
    }

    @Test
    void conversationListRefusesAnotherAppsCursor_andBadParameters() throws Exception {
        create(KEY_A);
        create(KEY_A);
        String cursor = JSON.readTree(call(StatusApi.LIST_AVATAR_CONVERSATIONS, null, Map.of("limit", "1"), null, KEY_A)
                .getBody()).get("nextCursor").asText();
        APIGatewayV2HTTPResponse foreign = call(StatusApi.LIST_AVATAR_CONVERSATIONS, null, Map.of("cursor", cursor),
                null, KEY_B);
        assertEquals(400, foreign.getStatusCode());
        JsonNode cursorIssue = JSON.readTree(foreign.getBody()).get("issues").get(0);
        assertEquals("invalid_cursor", cursorIssue.get("code").asText());
        assertEquals("[\"query\",\"cursor\"]", cursorIssue.get("path").toString());
        assertEquals("query parameter 'cursor' belongs to another listing: it was issued to another app or for another "
                + "resource", cursorIssue.get("message").asText());
        assertEquals("Validation of query failed: " + cursorIssue.get("message").asText(),
                JSON.readTree(foreign.getBody()).get("detail").asText());
        APIGatewayV2HTTPResponse bad = call(StatusApi.LIST_AVATAR_CONVERSATIONS, null, Map.of("limit", "0",
                "startDate", "yesterday", "endDate", "2026-11-21"), null, KEY_A);
        assertEquals(400, bad.getStatusCode());
        JsonNode problem = JSON.readTree(bad.getBody());
        assertEquals(2, problem.get("issues").size());
        assertEquals(List.of("invalid_string@[\"query\",\"limit\"]", "invalid_string@[\"query\",\"startDate\"]"),
                issues(bad));
        assertEquals("Validation of query failed: query parameter 'limit' must be an integer from 1 to 100, got \"0\" "
                + "(and 1 more issue)", problem.get("detail").asText());
        assertEquals("query parameter 'startDate' must be an ISO 8601 date-time (2026-11-21T06:30:00Z) or date "
                + "(2026-11-21, its midnight UTC), got \"yesterday\"", problem.get("issues").get(1).get("message").asText());
        APIGatewayV2HTTPResponse backwards = call(StatusApi.LIST_AVATAR_CONVERSATIONS, null, Map.of("avatar", "",
                "startDate", "2026-11-21", "endDate", "2026-11-21T00:00:00Z", "cursor", ""), null, KEY_A);
        assertEquals(List.of("too_small@[\"query\",\"cursor\"]", "invalid_string@[\"query\",\"avatar\"]",
                "custom@[\"query\",\"endDate\"]"), issues(backwards));
        assertEquals("query parameter 'endDate' (2026-11-21T00:00:00Z) must be after query parameter 'startDate' "
                + "(2026-11-21T00:00:00Z)", JSON.readTree(backwards.getBody()).get("issues").get(2).get("message").asText());
    }

    private static List<String> issues(APIGatewayV2HTTPResponse response) throws Exception {
        List<String> issues = new ArrayList<>();
        JSON.readTree(response.getBody()).get("issues").forEach(i -> issues.add(i.get("code").asText() + "@" + i.get("path")));
        return issues;
    }

    @Test
    void createRefusesAnAppLimitedToOtherModels() throws Exception {
        String key = "rr_00000000000000000000000000000000000000000000000c";
        apps.create(App.builder("app_c", "c", T0).dailyCreditBudget(500).maxActiveTasks(3)
                .allowedModels(java.util.Set.of("gen4_image")).build(), ApiKeys.hash(key));
        APIGatewayV2HTTPResponse response = call(StatusApi.CREATE_REALTIME_SESSION, null, null, PRESET, key);
        assertEquals(400, response.getStatusCode());
        assertEquals("model_not_allowed", JSON.readTree(response.getBody()).get("issues").get(0).get("code").asText());
        assertEquals(List.of(), runway.calls());
    }

    @Test
    void createLogsAndCountsAPossibleOrphan_whenRunwaysAnswerIsLost() throws Exception {
        runway.script(new com.runwayrelay.domain.owned.RunwayRealtime.Answer.Ambiguous("lost"));
        APIGatewayV2HTTPResponse response = call(StatusApi.CREATE_REALTIME_SESSION, null, null, PRESET, KEY_A);
        assertEquals(503, response.getStatusCode());
        assertEquals(0, ownership.size());
        assertEquals(120, used("app_a"), "a session may run: the reservation stays");
        String line = logged.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains("\"event\":\"realtime_sessions.possible_orphan\"") && line.contains("app_a"), line);
        assertEquals(List.of(new RecordingMetrics.Recorded(RelayMetric.POSSIBLE_ORPHANS, 1,
                List.of("realtime_sessions"))), metrics.all());
    }

    @Test
    void avatarUsageSumsTheCallingAppsOwnSessions_inRunwaysShape() throws Exception {
        String mine = create(KEY_A);
        String theirs = create(KEY_B);
        runway.complete(mine, 12.5);
        runway.complete(theirs, 40);
        Map<String, String> range = Map.of("startDate", "2026-11-20T12:00:00Z", "endDate", "2026-11-22");
        APIGatewayV2HTTPResponse response = call(StatusApi.AVATAR_USAGE, null, range, null, KEY_A);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("{\"avgDurationSeconds\":12.5,\"byDay\":[{\"date\":\"2026-11-20\",\"seconds\":0.0,\"sessions\":0},"
                + "{\"date\":\"2026-11-21\",\"seconds\":12.5,\"sessions\":1}],\"totalSeconds\":12.5,\"totalSessions\":1}",
                JSON.readTree(response.getBody()).toString());
        assertEquals(26, used("app_a"), "the ended session was settled on the way");
        assertEquals(List.of("conversation " + mine), runway.calls().stream().filter(c -> c.startsWith("conversation")).toList(),
                "B's session is not looked at");
        JsonNode b = JSON.readTree(call(StatusApi.AVATAR_USAGE, null, range, null, KEY_B).getBody());
        assertEquals(40.0, b.get("totalSeconds").asDouble());
    }

    @Test
    void avatarUsageRefusesMissingUnreadableEmptyAndOverlongRanges_listingEveryIssue() throws Exception {
        Map<Map<String, String>, List<String>> cases = new java.util.LinkedHashMap<>();
        cases.put(Map.of(), List.of("invalid_type@[\"query\",\"startDate\"]", "invalid_type@[\"query\",\"endDate\"]"));
        cases.put(Map.of("startDate", "last week", "endDate", "2026-13-01"),
                List.of("invalid_string@[\"query\",\"startDate\"]", "invalid_string@[\"query\",\"endDate\"]"));
        cases.put(Map.of("startDate", "2026-11-21T00:00:00Z", "endDate", "2026-11-21"),
                List.of("custom@[\"query\",\"endDate\"]"));
        cases.put(Map.of("startDate", "2026-08-01", "endDate", "2026-10-30T00:00:00.001Z"),
                List.of("too_big@[\"query\",\"endDate\"]"));
        Map<Map<String, String>, String> details = Map.of(
                Map.of(), "Validation of query failed: query parameter 'startDate' is required (an ISO 8601 date-time "
                        + "such as 2026-11-01T00:00:00Z, or a date such as 2026-11-01, its midnight UTC) (and 1 more issue)",
                Map.of("startDate", "2026-08-01", "endDate", "2026-10-30T00:00:00.001Z"), "Validation of query failed: "
                        + "query parameter 'endDate' (2026-10-30T00:00:00.001Z) must be at most 90 days after query "
                        + "parameter 'startDate' (2026-08-01T00:00:00Z); it is more than 90 days after it");
        for (Map.Entry<Map<String, String>, List<String>> c : cases.entrySet()) {
            APIGatewayV2HTTPResponse response = call(StatusApi.AVATAR_USAGE, null, c.getKey(), null, KEY_A);
            assertEquals(400, response.getStatusCode(), c.getKey().toString());
            assertEquals("invalid-request", slug(response));
            List<String> issues = new ArrayList<>();
            JSON.readTree(response.getBody()).get("issues").forEach(i -> issues.add(i.get("code").asText() + "@" + i.get("path")));
            assertEquals(c.getValue(), issues, c.getKey().toString());
            JsonNode problem = JSON.readTree(response.getBody());
            assertTrue(problem.get("detail").asText().startsWith("Validation of query failed: query parameter '"),
                    problem.toString());
            if (details.containsKey(c.getKey())) {
                assertEquals(details.get(c.getKey()), problem.get("detail").asText());
            }
        }
        assertEquals(200, call(StatusApi.AVATAR_USAGE, null, Map.of("startDate", "2026-08-01",
                "endDate", "2026-10-30T00:00:00Z"), null, KEY_A).getStatusCode(), "exactly 90 days");
        assertEquals(List.of(), runway.calls());
    }
}
