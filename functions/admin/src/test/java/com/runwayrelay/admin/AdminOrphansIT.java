package com.runwayrelay.admin;

import static com.runwayrelay.admin.AdminCalls.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.admin.AdminCalls.Answer;
import com.runwayrelay.aws.dynamodb.DynamoDbOwnershipStore;
import com.runwayrelay.domain.owned.Ownership;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.RunwayException;
import com.runwayrelay.simulator.Fault;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The orphans routes of the admin API, wired as Lambda wires them, against DynamoDB Local and the Runway
 * simulator's organization-wide lists: what no current app owns is found page by page, assigned to an app or
 * deleted at Runway, and a resource an app owns is never touched.
 */
@WithAwsEmulators
class AdminOrphansIT {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final AwsEmulators aws;
    private RunwaySimulator runway;
    private RunwayClient org;
    private AdminCalls admin;
    private DynamoDbOwnershipStore store;
    /** The simulator's clock; 10 minutes behind unless a test says otherwise, so its documents are past settling. */
    private final Behind simulatorClock = new Behind(Duration.ofMinutes(10));

    /** The system clock, {@code by} behind (settable; negative is ahead): the creation times Runway gives. */
    private static final class Behind extends Clock {
        private volatile Duration by;

        Behind(Duration by) {
            this.by = by;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.now().minus(by);
        }
    }

    AdminOrphansIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        aws.resetData();
        runway = RunwaySimulator.start(SimulatorConfig.defaults().toBuilder().clock(simulatorClock).build());
        admin = AdminCalls.onSimulator(aws, runway);
        org = RunwayClient.builder().apiKey(runway.apiKey()).baseUri(runway.baseUri()).build();
        store = new DynamoDbOwnershipStore(aws.dynamoDb(), aws.tableName());
    }

    @AfterEach
    void stop() {
        org.close();
        runway.close();
    }

    private String app(String name) {
        Answer created = admin.call(AdminApi.CREATE_APP, "{\"name\":\"" + name + "\"}");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        return created.body().path("id").asText();
    }

    private String document(String name) {
        return org.createDocument(name, "content of " + name).path("id").asText();
    }

    private void own(String appId, String documentId) {
        assertTrue(store.record(new Ownership(appId, ResourceKind.DOCUMENTS, documentId, "doc", T0, T0)));
    }

    private static Map<String, String> path(String kind) {
        return Map.of("kind", kind);
    }

    private static Map<String, String> path(String kind, String id) {
        return Map.of("kind", kind, "runwayId", id);
    }

    @Test
    void findsTheDocumentsNoCurrentAppOwns_pageByPage_withTheReason() {
        String kept = app("kept");
        String gone = app("gone");
        String stray = document("stray");
        String mine = document("mine");
        String left = document("left");
        own(kept, mine);
        own(gone, left);
        assertEquals(200, admin.call(AdminApi.DELETE_APP, null, Map.of("appId", gone)).status());

        Map<String, JsonNode> found = new HashMap<>();
        List<Integer> examined = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> query = cursor == null ? Map.of("limit", "2") : Map.of("limit", "2", "cursor", cursor);
            Answer page = admin.call(AdminApi.LIST_ORPHANS, null, path("documents"), query);
            assertEquals(200, page.status(), String.valueOf(page.body()));
            assertEquals("documents", page.body().path("kind").asText());
            examined.add(page.body().path("examined").asInt());
            page.body().path("data").forEach(item -> found.put(item.path("id").asText(), item));
            cursor = page.body().hasNonNull("nextCursor") ? page.body().path("nextCursor").asText() : null;
        } while (cursor != null);

        assertEquals(List.of(2, 1), examined, "at most limit Runway items per call");
        assertEquals(2, runway.requestCount("GET", "/v1/documents"));
        assertEquals(java.util.Set.of(stray, left), found.keySet());
        assertEquals("no-owner", found.get(stray).path("reason").asText());
        assertEquals("stray", found.get(stray).path("name").asText());
        assertFalse(found.get(stray).has("formerAppId"));
        assertEquals("app-deleted", found.get(left).path("reason").asText());
        assertEquals(gone, found.get(left).path("formerAppId").asText());
        Answer avatars = admin.call(AdminApi.LIST_ORPHANS, null, path("avatars"));
        assertEquals(200, avatars.status(), String.valueOf(avatars.body()));
        assertEquals(0, avatars.body().path("examined").asInt());
    }

    @Test
    void hintsTheLikelyAppOfADocumentWithNoOwner_fromTheIntentOfItsCreate() {
        String appId = app("crashed");
        JsonNode created = org.createDocument("handbook", "content of handbook");
        Instant createdAt = Instant.parse(created.path("createdAt").asText());
        Instant startedAt = createdAt.minusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        store.recordIntent(new com.runwayrelay.domain.owned.CreateIntent("intent-1", ResourceKind.DOCUMENTS, appId,
                "handbook", startedAt, null));
        String other = document("other");

        Answer page = admin.call(AdminApi.LIST_ORPHANS, null, path("documents"));

        assertEquals(200, page.status(), String.valueOf(page.body()));
        Map<String, JsonNode> found = new HashMap<>();
        page.body().path("data").forEach(item -> found.put(item.path("id").asText(), item));
        JsonNode hinted = found.get(created.path("id").asText());
        assertEquals("no-owner", hinted.path("reason").asText());
        assertEquals(appId, hinted.path("likelyAppId").asText(), hinted.toString());
        assertEquals(startedAt.toString(), hinted.path("intentStartedAt").asText());
        assertFalse(found.get(other).has("likelyAppId"), found.get(other).toString());
    }

    @Test
    void assignsAnOrphanToAnApp_once() {
        String appId = app("storyboard");
        String stray = document("stray");

        Answer assigned = admin.call(AdminApi.ASSIGN_ORPHAN, "{\"appId\":\"" + appId + "\"}", path("documents", stray));

        assertEquals(200, assigned.status(), String.valueOf(assigned.body()));
        assertEquals(appId, assigned.body().path("appId").asText());
        assertEquals("stray", assigned.body().path("name").asText());
        assertEquals(appId, store.find(ResourceKind.DOCUMENTS, stray).orElseThrow().appId());
        Answer again = admin.call(AdminApi.ASSIGN_ORPHAN, "{\"appId\":\"" + appId + "\"}", path("documents", stray));
        assertProblem(409, "owned", again);
        assertTrue(again.body().path("detail").asText().contains(appId), String.valueOf(again.body()));
        assertEquals(0, admin.call(AdminApi.LIST_ORPHANS, null, path("documents")).body().path("data").size());
    }

    @Test
    void refusesToAssign_toAnUnknownApp_orWhatRunwayDoesNotHave() {
        String appId = app("storyboard");
        String stray = document("stray");

        Answer unknown = admin.call(AdminApi.ASSIGN_ORPHAN, "{\"appId\":\"app_nope\"}", path("documents", stray));
        assertProblem(400, "invalid-request", unknown);
        assertEquals("unknown_app", unknown.body().path("issues").path(0).path("code").asText());
        assertEquals("[\"appId\"]", unknown.body().path("issues").path(0).path("path").toString());
        assertProblem(404, "not-found", admin.call(AdminApi.ASSIGN_ORPHAN, "{\"appId\":\"" + appId + "\"}",
                path("documents", "0b7e3a52-0000-4000-8000-000000000000")));
        Answer noBody = admin.call(AdminApi.ASSIGN_ORPHAN, "", path("documents", stray));
        assertProblem(400, "invalid-request", noBody);
        assertEquals("required", noBody.body().path("issues").path(0).path("code").asText());
        assertEquals(Optional.empty(), store.find(ResourceKind.DOCUMENTS, stray));
    }

    @Test
    void deletesAnOrphanAtRunway_butNeverWhatAnAppOwns() {
        String appId = app("storyboard");
        String stray = document("stray");
        String mine = document("mine");
        own(appId, mine);

        Answer owned = admin.call(AdminApi.DELETE_ORPHAN, null, path("documents", mine));
        assertProblem(409, "owned", owned);
        assertEquals(0, runway.requestCount("DELETE", "/v1/documents/"));
        assertEquals(mine, org.getDocument(mine).path("id").asText());

        Answer deleted = admin.call(AdminApi.DELETE_ORPHAN, null, path("documents", stray));
        assertEquals(200, deleted.status(), String.valueOf(deleted.body()));
        assertTrue(deleted.body().path("deleted").asBoolean());
        assertEquals(mine, org.getDocument(mine).path("id").asText());
        assertThrows(RunwayException.NotFound.class, () -> org.getDocument(stray));
        assertProblem(404, "not-found", admin.call(AdminApi.DELETE_ORPHAN, null, path("documents", stray)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"documents", "avatar_conversations"})
    void aResourceJustCreatedWithNoRecord_isSettling_andNeitherAssignedNorDeletedYet(String kind) {
        String appId = app("storyboard");
        boolean documents = kind.equals("documents");
        // A day ahead rather than now: the resource stays settling however slowly this test runs.
        simulatorClock.by = Duration.ofDays(-1);
        String fresh = documents ? document("fresh") : conversation("game-character");

        Answer list = admin.call(AdminApi.LIST_ORPHANS, null, path(kind));
        assertEquals(200, list.status(), String.valueOf(list.body()));
        assertEquals(1, list.body().path("settling").asInt(), String.valueOf(list.body()));
        assertTrue(list.body().path("data").isEmpty(), String.valueOf(list.body()));

        assertProblem(409, "settling", admin.call(AdminApi.ASSIGN_ORPHAN, "{\"appId\":\"" + appId + "\"}",
                path(kind, fresh)));
        assertProblem(409, "settling", admin.call(AdminApi.DELETE_ORPHAN, null, path(kind, fresh)));
        assertEquals(Optional.empty(), store.find(ResourceKind.byWireName(kind).orElseThrow(), fresh));
        assertEquals(0, runway.requestCount("DELETE", "/v1/" + kind + "/"));
        assertEquals(fresh, (documents ? org.getDocument(fresh) : org.getAvatarConversation(fresh)).path("id").asText());
    }

    @Test
    void runwayFailingIs503WithAWait_andNothingChanges() {
        String appId = app("storyboard");
        String stray = document("stray");
        runway.injectNext("GET", "/v1/documents", Fault.status(503));
        runway.injectNext("GET", "/v1/documents", Fault.status(503));
        Answer list = admin.call(AdminApi.LIST_ORPHANS, null, path("documents"));
        assertProblem(503, "runway-unavailable", list);

        runway.injectNext("GET", "/v1/documents/", Fault.status(503));
        runway.injectNext("GET", "/v1/documents/", Fault.status(503));
        assertProblem(503, "runway-unavailable", admin.call(AdminApi.ASSIGN_ORPHAN, "{\"appId\":\"" + appId + "\"}",
                path("documents", stray)));
        assertEquals(Optional.empty(), store.find(ResourceKind.DOCUMENTS, stray));

        runway.injectNext("DELETE", "/v1/documents/", Fault.status(503));
        runway.injectNext("DELETE", "/v1/documents/", Fault.status(503));
        assertProblem(503, "runway-unavailable", admin.call(AdminApi.DELETE_ORPHAN, null, path("documents", stray)));
        assertEquals(stray, org.getDocument(stray).path("id").asText());
    }

    @Test
    void refusesABadKind_aBadCursor_andUnknownParameters_beforeRunway() {
        Answer session = admin.call(AdminApi.LIST_ORPHANS, null, path("realtime_sessions"));
        assertProblem(400, "invalid-request", session);
        assertEquals("Validation of path failed: path parameter 'kind' must be one of documents, avatars, voices, "
                + "avatar_conversations (got 'realtime_sessions'); Runway has no list of realtime sessions",
                session.body().path("detail").asText());
        assertEquals("[\"path\",\"kind\"]", session.body().path("issues").path(0).path("path").toString());
        assertProblem(400, "invalid-request", admin.call(AdminApi.DELETE_ORPHAN, null, path("tasks", "x")));
        assertProblem(400, "invalid-request", admin.call(AdminApi.ASSIGN_ORPHAN, "{\"appId\":\"a\"}",
                path("realtime_sessions", "x")));

        Answer cursor = admin.call(AdminApi.LIST_ORPHANS, null, path("documents"), Map.of("cursor", "not-ours"));
        assertProblem(400, "invalid-request", cursor);
        assertEquals("[\"query\",\"cursor\"]", cursor.body().path("issues").path(0).path("path").toString());
        assertEquals("invalid_cursor", cursor.body().path("issues").path(0).path("code").asText());
        Answer limit = admin.call(AdminApi.LIST_ORPHANS, null, path("documents"), Map.of("limit", "500", "sort", "x"));
        assertProblem(400, "invalid-request", limit);
        assertEquals(2, limit.body().path("issues").size(), String.valueOf(limit.body()));
        assertEquals(0, runway.requestCount("*", "/v1/documents"));
    }

    @Test
    void aCursorOfAnotherKind_orOneRunwayRefuses_isAnInvalidCursor() {
        document("a");
        document("b");
        String docs = admin.call(AdminApi.LIST_ORPHANS, null, path("documents"), Map.of("limit", "1")).body()
                .path("nextCursor").asText();
        Answer voices = admin.call(AdminApi.LIST_ORPHANS, null, path("voices"), Map.of("cursor", docs));
        assertProblem(400, "invalid-request", voices);
        assertEquals("invalid_cursor", voices.body().path("issues").path(0).path("code").asText());
        String forged = "oc1." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("documents\nbm8tc3VjaC1pZA".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Answer refused = admin.call(AdminApi.LIST_ORPHANS, null, path("documents"), Map.of("cursor", forged));
        assertProblem(400, "invalid-request", refused);
        assertTrue(refused.body().path("detail").asText().contains("Runway refused it"), String.valueOf(refused.body()));
    }

    // ------------------------------------------------------------------ avatar conversations

    /** A realtime session created at Runway with the organization's key; its conversation has its id. */
    private String conversation(String presetId) {
        com.fasterxml.jackson.databind.node.ObjectNode body = com.runwayrelay.aws.gateway.GatewayJson.MAPPER
                .createObjectNode().put("model", "gwm1_avatars").put("maxDuration", 60);
        body.putObject("avatar").put("type", "runway-preset").put("presetId", presetId);
        return org.createRealtimeSession(body).path("id").asText();
    }

    /** The two records the gateway writes when an app creates a session. */
    private void session(String appId, String id, boolean conversationRecorded) {
        String name = "runway-preset:game-character";
        assertTrue(store.record(new Ownership(appId, ResourceKind.REALTIME_SESSIONS, id, name, T0, T0)));
        if (conversationRecorded) {
            assertTrue(store.record(new Ownership(appId, ResourceKind.AVATAR_CONVERSATIONS, id, name, T0, T0)));
        }
    }

    @Test
    void aDeletedAppsConversations_areFound_assignedToAnotherApp_andDeletedAtRunway() {
        String kept = app("kept");
        String gone = app("gone");
        String given = conversation("game-character");
        String erased = conversation("game-character");
        String mine = conversation("game-character");
        String lost = conversation("game-character");
        session(gone, given, true);
        session(gone, erased, true);
        session(kept, mine, true);
        session(kept, lost, false);
        assertEquals(200, admin.call(AdminApi.DELETE_APP, null, Map.of("appId", gone)).status());

        Answer page = admin.call(AdminApi.LIST_ORPHANS, null, path("avatar_conversations"));
        assertEquals(200, page.status(), String.valueOf(page.body()));
        assertEquals(4, page.body().path("examined").asInt());
        Map<String, JsonNode> found = new HashMap<>();
        page.body().path("data").forEach(item -> found.put(item.path("id").asText(), item));
        assertEquals(java.util.Set.of(given, erased, lost), found.keySet());
        assertEquals("app-deleted", found.get(given).path("reason").asText());
        assertEquals(gone, found.get(given).path("formerAppId").asText());
        assertEquals("runway-preset:game-character", found.get(given).path("name").asText());
        assertEquals("no-owner", found.get(lost).path("reason").asText());
        assertEquals(kept, found.get(lost).path("likelyAppId").asText(), "its session's record names the app");
        assertEquals(T0.toString(), found.get(lost).path("intentStartedAt").asText());

        Answer assigned = admin.call(AdminApi.ASSIGN_ORPHAN, "{\"appId\":\"" + kept + "\"}",
                path("avatar_conversations", given));
        assertEquals(200, assigned.status(), String.valueOf(assigned.body()));
        assertEquals(gone, assigned.body().path("formerAppId").asText());
        Ownership record = store.find(ResourceKind.AVATAR_CONVERSATIONS, given).orElseThrow();
        assertEquals(kept, record.appId());
        assertEquals("runway-preset:game-character", record.name(), "the name the app's list filters on");
        assertEquals(gone, store.find(ResourceKind.REALTIME_SESSIONS, given).orElseThrow().appId(),
                "only the conversation's record moves");

        Answer deleted = admin.call(AdminApi.DELETE_ORPHAN, null, path("avatar_conversations", erased));
        assertEquals(200, deleted.status(), String.valueOf(deleted.body()));
        assertEquals(gone, deleted.body().path("formerAppId").asText());
        assertThrows(RunwayException.NotFound.class, () -> org.getAvatarConversation(erased));
        assertEquals(Optional.empty(), store.find(ResourceKind.AVATAR_CONVERSATIONS, erased));
        assertEquals(gone, store.find(ResourceKind.REALTIME_SESSIONS, erased).orElseThrow().appId(),
                "the session's record stays");

        Answer owned = admin.call(AdminApi.DELETE_ORPHAN, null, path("avatar_conversations", given));
        assertProblem(409, "owned", owned);
        assertTrue(owned.body().path("detail").asText().contains("DELETE /v1/avatar_conversations/{id}"),
                String.valueOf(owned.body()));
        assertEquals(given, org.getAvatarConversation(given).path("id").asText());
        assertEquals(1, runway.requestCount("DELETE", "/v1/avatar_conversations/"));
    }
}
