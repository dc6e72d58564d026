package com.runwayrelay.submit;

import static com.runwayrelay.submit.Fixtures.FIXTURE_KEY;
import static com.runwayrelay.submit.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AdmissionControl;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.Idempotency;
import com.runwayrelay.domain.gateway.memory.InMemoryIdempotencyStore;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.MediaPolicySettings;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The body and {@code relay} rules added for hostile input, through {@link SubmitApi} with
 * in-memory stores: each refusal names where the problem is, and nothing is written or sent.
 */
class HostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-21T06:30:00Z");
    private static final String T2I = "{\"model\":\"gen4_image\",\"promptText\":\"A lighthouse\",\"ratio\":\"1920:1080\"";

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore();
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(8);
    private final FakeRunway runway = new FakeRunway();
    private final SubmitApi api;

    HostileInputTest() {
        apps.create(App.builder("app_fixture", "app_fixture", T0).dailyCreditBudget(1000).maxActiveTasks(5).build(),
                ApiKeys.hash(FIXTURE_KEY));
        Catalog catalog = Catalog.loadDefault();
        RequestCheck check = new RequestCheck(catalog, UnknownModelPolicy.REJECT,
                new MediaUriPolicy(MediaPolicySettings.of(List.of()), Fixtures.testDns()),
                new CallbackUrlCheck(AddressGuard.strict(Fixtures.testDns())));
        SubmitTask submit = new SubmitTask(check, catalog, 100, new Idempotency(idempotency, clock, Duration.ofHours(24),
                Duration.ofSeconds(30), Duration.ZERO, Duration.ofMillis(5)), new AdmissionControl(ledger, tasks, clock), ledger, tasks, runway,
                clock, () -> "task-1", SubmitApi::stored);
        api = new SubmitApi(new AppAuthenticator(apps, clock, Duration.ZERO, 10), catalog.endpoints(), submit,
                new CreateUpload(filename -> {
                    throw new AssertionError("no upload slot may be requested");
                }));
    }

    /** Nothing reached Runway, no task, no claim, no credits. */
    @AfterEach
    void nothingWasWrittenOrSent() {
        assertEquals(List.of(), runway.createdBodies);
        assertTrue(tasks.find("task-1").isEmpty());
        assertTrue(idempotency.find("app_fixture", "k-1", T0).isEmpty());
        assertEquals(0, ledger.usage("app_fixture", LocalDate.parse("2026-11-21")).usedCredits());
    }

    private APIGatewayV2HTTPResponse post(String body) {
        return api.apply(event("apigw-text-to-image", body, FIXTURE_KEY, "k-1"));
    }

    private static JsonNode onlyIssue(APIGatewayV2HTTPResponse response) throws Exception {
        assertEquals(400, response.getStatusCode(), response.getBody());
        JsonNode issues = JSON.readTree(response.getBody()).get("issues");
        assertEquals(1, issues.size(), issues.toString());
        return issues.get(0);
    }

    @Test
    void refusesAControlCharacterInAMetadataValue_namingTheKey() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(T2I + "}");
        body.putObject("relay").putObject("metadata").putObject("user").put("name", "bob\nINFO forged log line");
        JsonNode issue = onlyIssue(post(body.toString()));
        assertEquals("invalid_string", issue.get("code").asText());
        assertEquals("[\"relay\",\"metadata\",\"user\",\"name\"]", issue.get("path").toString());
        assertTrue(issue.get("message").asText().startsWith("relay.metadata.user.name contains U+000A at index 3"),
                issue.get("message").asText());
    }

    @Test
    void refusesControlAndBidiOverrideCharactersInMetadataKeysAndArrays() throws Exception {
        for (String bad : List.of("\u0000", "\u001b", "\u007f", "\u0085", "\u202e", "\u2067")) {
            ObjectNode body = (ObjectNode) JSON.readTree(T2I + "}");
            body.putObject("relay").putObject("metadata").put("order" + bad + "Id", 1);
            assertEquals("[\"relay\",\"metadata\",\"order" + JSON.writeValueAsString(bad).replace("\"", "") + "Id\"]",
                    onlyIssue(post(body.toString())).get("path").toString());
            body.putObject("relay").putObject("metadata").putArray("tags").add("ok").add("x" + bad);
            assertEquals("[\"relay\",\"metadata\",\"tags\",1]", onlyIssue(post(body.toString())).get("path").toString());
        }
    }

    @Test
    void refusesInvisibleCharactersInTheCallbackUrl() throws Exception {
        for (String url : List.of("https://hooks.example.com\u200b/h", "https://hooks.example.com/h\r\nX: 1",
                "https://hooks.example.com\\@10.0.0.1/", "https://hooks.example.com/\u00a0")) {
            ObjectNode body = (ObjectNode) JSON.readTree(T2I + "}");
            body.putObject("relay").put("callbackUrl", url);
            JsonNode issue = onlyIssue(post(body.toString()));
            assertEquals("illegal_character", issue.get("code").asText(), url);
            assertEquals("[\"relay\",\"callbackUrl\"]", issue.get("path").toString());
        }
    }

    @Test
    void answers413ForABodyOver6MiB_beforeReadingIt() throws Exception {
        APIGatewayV2HTTPResponse response = post(T2I + ",\"x\":\"" + "a".repeat(RequestBody.MAX_BYTES) + "\"}");
        assertEquals(413, response.getStatusCode());
        assertEquals("application/problem+json", response.getHeaders().get("content-type"));
        assertEquals(RequestBody.MAX_BYTES, JSON.readTree(response.getBody()).get("maxBytes").asInt());
    }

    @Test
    void answers400ForABase64BodyThatIsNotBase64OrNotUtf8_insteadOfFailing() throws Exception {
        APIGatewayV2HTTPEvent notBase64 = event("apigw-text-to-image", "eyJ!!!", FIXTURE_KEY, "k-1");
        notBase64.setIsBase64Encoded(true);
        assertEquals("invalid_encoding", onlyIssue(api.apply(notBase64)).get("code").asText());
        byte[] latin1 = (T2I + ",\"x\":\"caf\u00e9\"}").getBytes(StandardCharsets.ISO_8859_1);
        APIGatewayV2HTTPEvent notUtf8 = event("apigw-text-to-image", Base64.getEncoder().encodeToString(latin1),
                FIXTURE_KEY, "k-1");
        notUtf8.setIsBase64Encoded(true);
        assertEquals("invalid_encoding", onlyIssue(api.apply(notUtf8)).get("code").asText());
    }

    @Test
    void stillAsksForTheKeyFirst_andStillAnswers404ForAnUnknownEndpoint() {
        assertEquals(401, api.apply(event("apigw-text-to-image", "{\"a\":1,\"a\":2}", null, null)).getStatusCode());
        APIGatewayV2HTTPEvent unknown = event("apigw-text-to-image", "[".repeat(100), FIXTURE_KEY, null);
        unknown.setRouteKey("POST /v1/nonsense");
        assertEquals(404, api.apply(unknown).getStatusCode());
    }

    @Test
    void refusesDuplicateKeysOnTheUploadsRouteToo() throws Exception {
        APIGatewayV2HTTPEvent upload = event("apigw-uploads", "{\"filename\":\"a.png\",\"filename\":\"b.png\",\"type\":\"ephemeral\"}",
                FIXTURE_KEY, null);
        assertEquals("duplicate_key", onlyIssue(api.apply(upload)).get("code").asText());
    }
}
