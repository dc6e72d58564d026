package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin routes on the local stack, guarded as API Gateway guards AWS_IAM routes: a request
 * signed with the stack's credentials (stack.json, {@code aws}) reaches AdminFunction; an
 * unsigned, wrongly signed or expired one gets 403 before any function runs; the app routes are
 * unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminLocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final StackLog log = new StackLog(new PrintStream(logged, true, StandardCharsets.UTF_8), StackLog.Level.VERBOSE);
    private final Clock clock = Clock.systemUTC();

    private LocalStack stack;
    private URI api;
    private String keyId;
    private String secret;
    private String region;

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        stack = LocalStack.start(StackOptions.ephemeral().withDataDir(temp.resolve("data"))
                .withPollInterval(Duration.ofMillis(300)), log, clock);
        api = stack.apiUrl();
        JsonNode aws = JSON.readTree(stack.stackFile().orElseThrow().toFile()).path("aws");
        keyId = aws.path("accessKeyId").asText();
        secret = aws.path("secretAccessKey").asText();
        region = aws.path("region").asText();
    }

    @AfterAll
    void stop() {
        stack.close();
        http.close();
    }

    private HttpResponse<String> send(String method, String path, String body, List<Map.Entry<String, String>> headers)
            throws Exception {
        return http.send(SigV4Signing.httpRequest(method, api.resolve(path), body, headers),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> signed(String method, String path, String body, String withSecret, Instant at)
            throws Exception {
        return send(method, path, body, SigV4Signing.sign(method, api.resolve(path), body, keyId, withSecret, region, at));
    }

    private int appCount() throws Exception {
        HttpResponse<String> list = signed("GET", "/admin/v1/apps", "", secret, clock.instant());
        assertEquals(200, list.statusCode(), list.body());
        return JSON.readTree(list.body()).path("data").size();
    }

    @Test
    void managesAModelRouterThroughTheSignedAdminRoutes_andRefusesAnUnsignedOne() throws Exception {
        String body = "{\"slug\":\"local-router\",\"settings\":{\"maxCreditsPerGeneration\":{\"video\":30}}}";
        HttpResponse<String> unsigned = send("POST", "/admin/v1/routers", body, List.of());
        assertEquals(403, unsigned.statusCode(), unsigned.body());

        HttpResponse<String> created = signed("POST", "/admin/v1/routers", body, secret, clock.instant());
        assertEquals(201, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).path("id").asText();
        HttpResponse<String> read = signed("GET", "/admin/v1/routers/" + id, "", secret, clock.instant());
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(30, JSON.readTree(read.body()).path("settings").path("maxCreditsPerGeneration").path("video").asInt());
        HttpResponse<String> deleted = signed("DELETE", "/admin/v1/routers/" + id, "", secret, clock.instant());
        assertEquals(204, deleted.statusCode(), deleted.body());
        HttpResponse<String> gone = signed("GET", "/admin/v1/routers/" + id, "", secret, clock.instant());
        assertEquals(404, gone.statusCode(), gone.body());
    }

    @Test
    void refusesAnUnsignedAdminRequest_beforeAnyFunctionRuns() throws Exception {
        int before = appCount();

        HttpResponse<String> answer = send("POST", "/admin/v1/apps", "{\"name\":\"x\"}",
                List.of(Map.entry("content-type", "application/json")));

        assertEquals(403, answer.statusCode());
        assertEquals("{\"message\":\"Forbidden\"}", answer.body());
        assertEquals(before, appCount());
    }

    @Test
    void refusesAWronglySignedAdminRequest() throws Exception {
        int before = appCount();

        HttpResponse<String> answer = signed("POST", "/admin/v1/apps", "{\"name\":\"x\"}", "not-the-secret", clock.instant());

        assertEquals(403, answer.statusCode());
        assertEquals("InvalidSignatureException", answer.headers().firstValue("x-amzn-errortype").orElse(""));
        assertTrue(JSON.readTree(answer.body()).path("message").asText().startsWith("The request signature we calculated"));
        assertEquals(before, appCount());
    }

    @Test
    void refusesAnExpiredAdminRequest_signedTwentyMinutesAgo() throws Exception {
        int before = appCount();

        HttpResponse<String> answer = signed("POST", "/admin/v1/apps", "{\"name\":\"x\"}", secret,
                clock.instant().minus(Duration.ofMinutes(20)));

        assertEquals(403, answer.statusCode());
        assertTrue(JSON.readTree(answer.body()).path("message").asText().startsWith("Signature expired"), answer.body());
        assertEquals(before, appCount());
    }

    @Test
    void servesACorrectlySignedAdminRequest_whoseKeyThenWorksOnTheAppRoutes() throws Exception {
        HttpResponse<String> created = signed("POST", "/admin/v1/apps", "{\"name\":\"local-admin\"}", secret, clock.instant());

        assertEquals(201, created.statusCode(), created.body());
        JsonNode app = JSON.readTree(created.body());
        HttpResponse<String> got = signed("GET", "/admin/v1/apps/" + app.path("id").asText(), "", secret, clock.instant());
        assertEquals(200, got.statusCode(), got.body());
        HttpResponse<String> organization = http.send(HttpRequest.newBuilder(api.resolve("/v1/organization"))
                .header("Authorization", "Bearer " + app.path("key").asText())
                .header("X-Runway-Version", "2024-11-06").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, organization.statusCode(), "app routes need no signature: " + organization.body());
        assertEquals(app.path("id").asText(), JSON.readTree(organization.body()).path("relay").path("appId").asText());
    }

    @Test
    void servesSignedReadsWithAQueryString_tasksAndHealth() throws Exception {
        HttpResponse<String> tasks = signed("GET", "/admin/v1/tasks?limit=5&appId=app_nobody", "", secret, clock.instant());
        assertEquals(200, tasks.statusCode(), tasks.body());
        assertEquals(0, JSON.readTree(tasks.body()).path("data").size());

        HttpResponse<String> health = signed("GET", "/admin/v1/health?stuckAfterMinutes=30", "", secret, clock.instant());
        assertEquals(200, health.statusCode(), health.body());
        assertEquals(30, JSON.readTree(health.body()).path("stuckAfterMinutes").asInt());

        HttpResponse<String> tampered = send("GET", "/admin/v1/tasks?limit=6&appId=app_nobody",
                "", SigV4Signing.sign("GET", api.resolve("/admin/v1/tasks?limit=5&appId=app_nobody"), "", keyId, secret,
                        region, clock.instant()));
        assertEquals(403, tampered.statusCode(), "a changed query string breaks the signature");
    }

    @Test
    void leavesTheAppRoutesUnsigned() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(api.resolve("/v1/organization"))
                .header("Authorization", "Bearer " + stack.devApp().key())
                .header("X-Runway-Version", "2024-11-06").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertNotEquals(403, answer.statusCode(), answer.body());
        assertEquals(200, answer.statusCode(), answer.body());
    }

    private HttpResponse<String> app(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path))
                .header("Authorization", "Bearer " + stack.devApp().key()).header("X-Runway-Version", "2024-11-06");
        return http.send(body == null ? request.GET().build() : request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The series of {@code metric} whose dimensions are {@code dimensions}, or a missing node. */
    private static JsonNode series(JsonNode overview, String metric, Map<String, String> dimensions) {
        for (JsonNode m : overview.path("metrics")) {
            if (m.path("name").asText().equals(metric)) {
                for (JsonNode s : m.path("series")) {
                    if (JSON.convertValue(s.path("dimensions"), Map.class).equals(dimensions)) {
                        return s;
                    }
                }
            }
        }
        return JSON.missingNode();
    }

    @Test
    void showsTheMetricsTheFunctionsWrote_aggregatedByTheStack_afterATaskRan() throws Exception {
        HttpResponse<String> invalid = app("POST", "/v1/text_to_image", "{\"model\":\"gen4_image\"}");
        assertEquals(400, invalid.statusCode(), invalid.body());
        HttpResponse<String> submitted = app("POST", "/v1/text_to_image",
                "{\"model\":\"gen4_image\",\"promptText\":\"a lighthouse\",\"ratio\":\"1024:1024\"}");
        assertEquals(200, submitted.statusCode(), submitted.body());
        String taskId = JSON.readTree(submitted.body()).path("id").asText();
        String appId = stack.devApp().appId();

        // The task ends ARCHIVED and the functions' metrics reach the stack: await them through the route itself.
        JsonNode overview = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            HttpResponse<String> answer = signed("GET", "/admin/v1/metrics?hours=2&period=300", "", secret, clock.instant());
            assertEquals(200, answer.statusCode(), answer.body());
            overview = JSON.readTree(answer.body());
            // Each function's documents are written when its invocation ends: the poller run that read the task
            // may end after the archiver's, so wait for every writer's.
            if (series(overview, "TasksFinished", Map.of("State", "ARCHIVED", "FailureCode", "none")).isObject()
                    && series(overview, "CreditsCharged", Map.of("AppId", appId)).isObject()
                    && series(overview, "RunwayCalls", Map.of("Outcome", "2xx")).path("sum").asLong() >= 2
                    && series(overview, "ArchiveBytes", Map.of()).isObject()) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "the task's metrics never showed: " + overview);
            Thread.sleep(200);
        }
        HttpResponse<String> task = signed("GET", "/admin/v1/tasks/" + taskId, "", secret, clock.instant());
        JsonNode details = JSON.readTree(task.body());
        assertEquals("ARCHIVED", details.path("state").asText(), task.body());

        assertEquals(300, overview.path("period").asInt());
        JsonNode accepted = series(overview, "Submits", Map.of("Outcome", "accepted"));
        assertEquals(1, accepted.path("sum").asLong(), overview.toString());
        assertEquals(1, accepted.path("count").asLong());
        assertEquals(1, accepted.path("points").size());
        assertEquals(1, series(overview, "Submits", Map.of("Outcome", "invalid")).path("sum").asLong(), overview.toString());
        assertEquals(1, series(overview, "TasksFinished", Map.of("State", "ARCHIVED", "FailureCode", "none"))
                .path("sum").asLong());
        assertEquals(details.path("estimatedCredits").asLong(),
                series(overview, "CreditsReserved", Map.of("AppId", appId)).path("sum").asLong());
        assertEquals(details.path("actualCredits").asLong(),
                series(overview, "CreditsCharged", Map.of("AppId", appId)).path("sum").asLong());
        JsonNode creates = series(overview, "RunwayLatency", Map.of("Operation", "create"));
        assertEquals(1, creates.path("count").asLong(), overview.toString());
        assertTrue(creates.path("p95").isNumber() && creates.path("max").isNumber(), creates.toString());
        assertTrue(series(overview, "RunwayCalls", Map.of("Outcome", "2xx")).path("sum").asLong() >= 2,
                "at least the create and one read");
        assertTrue(series(overview, "ArchiveBytes", Map.of()).path("sum").asLong() > 0);

        HttpResponse<String> bad = signed("GET", "/admin/v1/metrics?hours=0&detail=1", "", secret, clock.instant());
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals(2, JSON.readTree(bad.body()).path("issues").size(), bad.body());
    }
}
