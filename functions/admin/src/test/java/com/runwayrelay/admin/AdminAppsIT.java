package com.runwayrelay.admin;

import static com.runwayrelay.admin.AdminCalls.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.admin.AdminCalls.Answer;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The apps routes of the admin API, wired from an environment map as Lambda wires them, against
 * DynamoDB Local and s3proxy: each route's happy path and its bad input (400 with every
 * violation, 404 for unknown ids, nothing changed).
 */
@WithAwsEmulators
class AdminAppsIT {
    private final AwsEmulators aws;
    private AdminCalls admin;
    private DynamoDbAppRepository apps;

    AdminAppsIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        aws.resetData();
        admin = new AdminCalls(AdminFunction.fromEnvironment(AdminCalls.environment(aws, "http://127.0.0.1:9"),
                AdminCalls::dns));
        apps = new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName());
    }

    private JsonNode create(String body) {
        Answer created = admin.call(AdminApi.CREATE_APP, body);
        assertEquals(201, created.status(), String.valueOf(created.body()));
        return created.body();
    }

    private static Map<String, String> app(String id) {
        return Map.of("appId", id);
    }

    private static List<String> paths(Answer answer) {
        List<String> paths = new ArrayList<>();
        answer.body().path("issues").forEach(issue -> paths.add(issue.path("path").toString()));
        return paths;
    }

    @Test
    void createsAnApp_showingItsKeyOnce() {
        JsonNode created = create("""
                {"name":"storyboard","dailyCreditBudget":500,"maxActiveTasks":3,"allowedEndpoints":["text_to_image"],
                 "allowedModels":["gen4_image"],"defaultCallbackUrl":"https://hooks.example.com/runway",
                 "ambiguousCreates":"retry-once"}""");

        String id = created.path("id").asText();
        String key = created.path("key").asText();
        assertTrue(ApiKeys.looksValid(key), key);
        assertTrue(created.path("webhookSecret").asText().startsWith("whsec_"));
        assertEquals(500, created.path("dailyCreditBudget").asLong());
        assertEquals("https://hooks.example.com/runway", created.path("defaultCallbackUrl").asText());
        assertEquals("retry-once", created.path("ambiguousCreates").asText());
        assertEquals(1, created.path("keys").asInt());
        App stored = apps.findByKeyHash(ApiKeys.hash(key)).orElseThrow();
        assertEquals(id, stored.id());
        assertEquals("https://hooks.example.com/runway", stored.defaultCallbackUrl());

        Answer got = admin.call(AdminApi.GET_APP, null, app(id));
        assertEquals(200, got.status());
        assertFalse(got.body().has("key"), "a key is never shown again");
        assertFalse(got.body().has("webhookSecret"));
        assertEquals("storyboard", got.body().path("name").asText());
    }

    @Test
    void refusesACreate_listingEveryViolation_andStoresNothing() {
        Answer answer = admin.call(AdminApi.CREATE_APP, """
                {"dailyCreditBudget":-5,"maxActiveTasks":"ten","allowedEndpoints":["text_to_sing"],
                 "allowedModels":["gen9"],"defaultCallbackUrl":"https://internal.example.com/h",
                 "ambiguousCreates":"maybe","colour":"red"}""");

        assertProblem(400, "invalid-request", answer);
        assertEquals(List.of("[\"colour\"]", "[\"maxActiveTasks\"]", "[\"name\"]", "[\"dailyCreditBudget\"]",
                "[\"allowedEndpoints\"]", "[\"allowedModels\"]", "[\"ambiguousCreates\"]", "[\"defaultCallbackUrl\"]"),
                paths(answer));
        assertEquals(List.of(), apps.list());
    }

    @Test
    void refusesABodyThatIsNotAJsonObject() {
        assertProblem(400, "invalid-request", admin.call(AdminApi.CREATE_APP, "{\"name\":"));
        assertProblem(400, "invalid-request", admin.call(AdminApi.CREATE_APP, "[1]"));
        assertEquals(List.of(), apps.list());
    }

    @Test
    void listsEveryApp_andRefusesAQueryParameter() {
        create("{\"name\":\"a\"}");
        create("{\"name\":\"b\"}");

        Answer list = admin.call(AdminApi.LIST_APPS, null);
        assertEquals(200, list.status());
        assertEquals(2, list.body().path("data").size());
        list.body().path("data").forEach(app -> assertFalse(app.has("key")));

        Answer bad = admin.call(AdminApi.LIST_APPS, null, Map.of(), Map.of("limit", "5"));
        assertProblem(400, "invalid-request", bad);
        assertEquals(List.of("[\"query\",\"limit\"]"), paths(bad));
        assertEquals("Validation of query failed: query parameter 'limit' is not taken by this route (it takes none)",
                bad.body().path("detail").asText());
    }

    @Test
    void answersNotFound_forAnUnknownAppOnEveryRoute() {
        for (String route : List.of(AdminApi.GET_APP, AdminApi.UPDATE_APP, AdminApi.ROTATE_APP, AdminApi.DISABLE_APP,
                AdminApi.ENABLE_APP, AdminApi.DELETE_APP)) {
            Answer answer = admin.call(route, route.equals(AdminApi.UPDATE_APP) ? "{\"name\":\"x\"}" : null,
                    app("app_00000000000000000000000000"));
            assertProblem(404, "not-found", answer);
        }
    }

    @Test
    void setsAllowUnsafeLatest_offByDefault_andRefusesANonBoolean() {
        JsonNode created = create("{\"name\":\"recipes\"}");
        String id = created.path("id").asText();
        assertFalse(created.path("allowUnsafeLatest").asBoolean(true));
        assertFalse(apps.find(id).orElseThrow().allowUnsafeLatest());

        Answer allowed = admin.call(AdminApi.UPDATE_APP, "{\"allowUnsafeLatest\":true}", app(id));
        assertEquals(200, allowed.status(), String.valueOf(allowed.body()));
        assertTrue(allowed.body().path("allowUnsafeLatest").asBoolean());
        assertTrue(apps.find(id).orElseThrow().allowUnsafeLatest());

        Answer bad = admin.call(AdminApi.UPDATE_APP, "{\"allowUnsafeLatest\":\"yes\"}", app(id));
        assertProblem(400, "invalid-request", bad);
        assertEquals(List.of("[\"allowUnsafeLatest\"]"), paths(bad));
        assertTrue(apps.find(id).orElseThrow().allowUnsafeLatest(), "a refused update changes nothing");

        assertProblem(400, "invalid-request", admin.call(AdminApi.UPDATE_APP, "{\"allowedModels\":[\"2026-06\"]}",
                app(id)));
        assertEquals(200, admin.call(AdminApi.UPDATE_APP, "{\"allowedEndpoints\":[\"recipes/product_ad\"]}",
                app(id)).status());
    }

    @Test
    void setsAllowedRouterConfigs_noneByDefault_andRefusesAMalformedSlug() {
        JsonNode created = create("{\"name\":\"routed\",\"allowedRouterConfigs\":[\"cheap-video\"]}");
        String id = created.path("id").asText();
        assertEquals("[\"cheap-video\"]", created.path("allowedRouterConfigs").toString());
        assertEquals(Set.of("cheap-video"), apps.find(id).orElseThrow().allowedRouterConfigs());
        assertEquals("[]", create("{\"name\":\"plain\"}").path("allowedRouterConfigs").toString());

        Answer bad = admin.call(AdminApi.UPDATE_APP, "{\"allowedRouterConfigs\":[\"Cheap Video\",\"ok\"]}", app(id));
        assertProblem(400, "invalid-request", bad);
        assertEquals(List.of("[\"allowedRouterConfigs\"]"), paths(bad));
        assertTrue(String.valueOf(bad.body()).contains("Cheap Video"), String.valueOf(bad.body()));
        assertEquals(Set.of("cheap-video"), apps.find(id).orElseThrow().allowedRouterConfigs(),
                "a refused update changes nothing");

        Answer cleared = admin.call(AdminApi.UPDATE_APP, "{\"allowedRouterConfigs\":[]}", app(id));
        assertEquals(200, cleared.status(), String.valueOf(cleared.body()));
        assertEquals(Set.of(), apps.find(id).orElseThrow().allowedRouterConfigs());
    }

    @Test
    void updatesOnlyTheMembersGiven() {
        JsonNode created = create("{\"name\":\"a\",\"dailyCreditBudget\":10,\"defaultCallbackUrl\":\"https://hooks.example.com/x\"}");
        String id = created.path("id").asText();

        Answer updated = admin.call(AdminApi.UPDATE_APP, "{\"maxActiveTasks\":4,\"allowedModels\":[\"gen4_image\"]}", app(id));
        assertEquals(200, updated.status(), String.valueOf(updated.body()));
        assertEquals(10, updated.body().path("dailyCreditBudget").asLong());
        assertEquals(4, updated.body().path("maxActiveTasks").asInt());
        assertEquals("[\"gen4_image\"]", updated.body().path("allowedModels").toString());
        assertEquals(2, updated.body().path("version").asLong());

        Answer cleared = admin.call(AdminApi.UPDATE_APP, "{\"defaultCallbackUrl\":null}", app(id));
        assertTrue(cleared.body().path("defaultCallbackUrl").isNull());
        assertEquals(null, apps.find(id).orElseThrow().defaultCallbackUrl());
    }

    @Test
    void refusesABadUpdate_andChangesNothing() {
        String id = create("{\"name\":\"a\"}").path("id").asText();
        App before = apps.find(id).orElseThrow();

        Answer bad = admin.call(AdminApi.UPDATE_APP,
                "{\"maxActiveTasks\":0,\"defaultCallbackUrl\":\"ftp://hooks.example.com/x\",\"keys\":3}", app(id));
        assertProblem(400, "invalid-request", bad);
        assertEquals(List.of("[\"keys\"]", "[\"maxActiveTasks\"]", "[\"defaultCallbackUrl\"]"), paths(bad));
        assertProblem(400, "invalid-request", admin.call(AdminApi.UPDATE_APP, "{}", app(id)));
        assertEquals(before, apps.find(id).orElseThrow());
    }

    @Test
    void rotatesTheKey_revokingTheOldOne() {
        JsonNode created = create("{\"name\":\"a\"}");
        String id = created.path("id").asText();

        Answer rotated = admin.call(AdminApi.ROTATE_APP, "{\"graceHours\":1}", app(id));

        assertEquals(200, rotated.status(), String.valueOf(rotated.body()));
        String key = rotated.body().path("key").asText();
        assertTrue(ApiKeys.looksValid(key));
        assertEquals(1, rotated.body().path("revokedKeys").asInt());
        assertTrue(apps.findByKeyHash(ApiKeys.hash(created.path("key").asText())).isEmpty());
        assertEquals(id, apps.findByKeyHash(ApiKeys.hash(key)).orElseThrow().id());
        assertEquals(2, apps.find(id).orElseThrow().webhookSecrets().size(), "the old secret signs for the grace");

        Answer defaultGrace = admin.call(AdminApi.ROTATE_APP, null, app(id));
        assertEquals(200, defaultGrace.status());
    }

    @Test
    void refusesABadRotation_andKeepsTheKey() {
        JsonNode created = create("{\"name\":\"a\"}");
        String id = created.path("id").asText();

        Answer bad = admin.call(AdminApi.ROTATE_APP, "{\"graceHours\":100000,\"now\":true}", app(id));

        assertProblem(400, "invalid-request", bad);
        assertEquals(List.of("[\"now\"]", "[\"graceHours\"]"), paths(bad));
        assertEquals(id, apps.findByKeyHash(ApiKeys.hash(created.path("key").asText())).orElseThrow().id());
        assertEquals(1, apps.keyHashes(id).size());
    }

    @Test
    void disablesAndEnablesAnApp() {
        String id = create("{\"name\":\"a\"}").path("id").asText();

        Answer disabled = admin.call(AdminApi.DISABLE_APP, null, app(id));
        assertEquals(200, disabled.status());
        assertTrue(disabled.body().path("disabled").asBoolean());
        assertTrue(apps.find(id).orElseThrow().disabled());

        Answer enabled = admin.call(AdminApi.ENABLE_APP, null, app(id));
        assertEquals(200, enabled.status());
        assertFalse(enabled.body().path("disabled").asBoolean());
        assertFalse(apps.find(id).orElseThrow().disabled());
        assertProblem(400, "invalid-request", admin.call(AdminApi.DISABLE_APP, null, app(id), Map.of("force", "1")));
    }

    @Test
    void deletesAnApp_revokingItsKeys_andKeepsItsTasksAndArchivedOutputs() {
        JsonNode created = create("{\"name\":\"a\"}");
        String id = created.path("id").asText();
        DynamoDbTaskRepository tasks = new DynamoDbTaskRepository(aws.dynamoDb(), aws.tableName(), 8);
        Task task = Task.accepted("task-of-deleted-app", id, "text_to_image", "gen4_image", "{}", 8,
                Instant.parse("2026-12-03T08:00:00Z")).build();
        tasks.insert(task);
        String output = "tasks/task-of-deleted-app/0.png";
        aws.s3().putObject(PutObjectRequest.builder().bucket(aws.bucketName()).key(output).build(),
                RequestBody.fromString("png"));

        Answer deleted = admin.call(AdminApi.DELETE_APP, null, app(id));

        assertEquals(200, deleted.status(), String.valueOf(deleted.body()));
        assertEquals(1, deleted.body().path("revokedKeys").asInt());
        assertEquals("[\"tasks\",\"archivedOutputs\",\"usage\",\"ownedResources\"]",
                deleted.body().path("kept").toString());
        assertTrue(apps.find(id).isEmpty());
        assertTrue(apps.findByKeyHash(ApiKeys.hash(created.path("key").asText())).isEmpty());
        assertTrue(tasks.find(task.id()).isPresent(), "its tasks are kept");
        assertEquals("png", aws.s3().getObjectAsBytes(b -> b.bucket(aws.bucketName()).key(output)).asUtf8String(),
                "its archived outputs are kept");
        assertProblem(404, "not-found", admin.call(AdminApi.GET_APP, null, app(id)));
        assertEquals(0, admin.call(AdminApi.LIST_APPS, null).body().path("data").size());
    }
}
