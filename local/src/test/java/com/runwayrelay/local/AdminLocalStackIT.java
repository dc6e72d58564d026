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
        stack = LocalStack.start(StackOptions.ephemeral().withDataDir(temp.resolve("data")), log, clock);
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
}
