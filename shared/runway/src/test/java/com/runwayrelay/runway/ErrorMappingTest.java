package com.runwayrelay.runway;

import static com.runwayrelay.runway.Fixtures.TASK_ID;
import static com.runwayrelay.runway.StubServer.json;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Status codes and bodies to exception types; retries are off so each case is one exchange. */
class ErrorMappingTest {

    private StubServer server;
    private RunwayClient client;

    @BeforeEach
    void start() throws Exception {
        server = StubServer.start();
        client = Fixtures.builder(server, new RecordingSleeper()).maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void throwsBadRequestWithIssues_when400HasValidationIssues() {
        server.enqueue(json(400, """
                {"error": "Validation of body failed",
                 "issues": [{"code": "too_big", "path": ["promptText"], "message": "at most 1000 characters"},
                            {"code": "invalid_string", "path": ["referenceImages", 0, "uri"], "message": "bad uri"}],
                 "docUrl": "https://docs.dev.runwayml.com/errors"}""", "x-request-id", "req-123"));

        RunwayException.BadRequest e = assertThrows(RunwayException.BadRequest.class,
                () -> client.createTask("text_to_image", Fixtures.textToImageBody()));

        assertEquals(List.of(
                new RunwayException.Issue("too_big", List.of("promptText"), "at most 1000 characters"),
                new RunwayException.Issue("invalid_string", List.of("referenceImages", 0, "uri"), "bad uri")),
                e.issues());
        assertEquals("Validation of body failed", e.runwayError().orElseThrow());
        assertEquals("https://docs.dev.runwayml.com/errors", e.docUrl().orElseThrow());
        assertEquals(400, e.status().getAsInt());
        assertEquals("req-123", e.requestId().orElseThrow());
        assertEquals("POST /v1/text_to_image", e.operation());
        assertTrue(e.getMessage().startsWith("POST /v1/text_to_image: 400 Validation of body failed"), e.getMessage());
    }

    @Test
    void throwsBadRequestWithErrorOnly_when400HasNoIssues() {
        server.enqueue(json(400, "{\"error\":\"promptImage: Unsupported Content-Type response header\"}"));

        RunwayException.BadRequest e = assertThrows(RunwayException.BadRequest.class,
                () -> client.createTask("image_to_video", Fixtures.textToImageBody()));

        assertTrue(e.issues().isEmpty());
        assertTrue(e.docUrl().isEmpty());
        assertEquals("promptImage: Unsupported Content-Type response header", e.runwayError().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(ints = {405, 413, 415, 422})
    void throwsBadRequest_whenOther4xx(int status) {
        server.enqueue(json(status, "{\"error\":\"nope\"}"));

        RunwayException.BadRequest e = assertThrows(RunwayException.BadRequest.class, () -> client.getTask(TASK_ID));

        assertEquals(status, e.status().getAsInt());
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void throwsAuthentication_when401Or403(int status) {
        server.enqueue(json(status, "{\"error\":\"Model variant gen3_alphaturbo is not available\"}"));

        RunwayException.Authentication e = assertThrows(RunwayException.Authentication.class,
                () -> client.createTask("image_to_video", Fixtures.textToImageBody()));

        assertEquals(status, e.status().getAsInt());
        assertEquals("Model variant gen3_alphaturbo is not available", e.runwayError().orElseThrow());
    }

    @Test
    void throwsNotFound_when404() {
        server.enqueue(json(404, "{\"error\":\"Task not found\"}"), json(404, "{\"error\":\"Task not found\"}"));

        assertThrows(RunwayException.NotFound.class, () -> client.getTask(TASK_ID));
        assertThrows(RunwayException.NotFound.class, () -> client.deleteTask(TASK_ID));
    }

    @Test
    void throwsRateLimitedWithRetryAfter_when429() {
        server.enqueue(json(429, "{\"error\":\"Too many requests\"}", "retry-after", "3"));

        RunwayException.RateLimited e = assertThrows(RunwayException.RateLimited.class,
                () -> client.createTask("text_to_image", Fixtures.textToImageBody()));

        assertEquals(Duration.ofSeconds(3), e.retryAfter().orElseThrow());
        assertFalse(e.dailyQuota());
    }

    @Test
    void marksDailyQuota_when429SaysDailyLimitReached() {
        server.enqueue(json(429, "{\"error\":\"Your daily task limit has been reached.\"}"));

        RunwayException.RateLimited e = assertThrows(RunwayException.RateLimited.class,
                () -> client.createTask("text_to_image", Fixtures.textToImageBody()));

        assertTrue(e.dailyQuota());
        assertTrue(e.retryAfter().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 409, 500, 502, 503, 504})
    void throwsTransient_whenIdempotentCallGetsServerError(int status) {
        server.enqueue(json(status, "{\"error\":\"busy\"}", "retry-after-ms", "1500"));

        RunwayException.Transient e = assertThrows(RunwayException.Transient.class, () -> client.getTask(TASK_ID));

        assertEquals(status, e.status().getAsInt());
        assertEquals(Duration.ofMillis(1500), e.retryAfter().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 409, 500, 502, 503, 504})
    void throwsAmbiguous_whenCreateGetsServerError(int status) {
        server.enqueue(json(status, "{\"error\":\"busy\"}"));

        RunwayException.Ambiguous e = assertThrows(RunwayException.Ambiguous.class,
                () -> client.createTask("text_to_video", Fixtures.textToImageBody()));

        assertEquals("text_to_video", e.endpoint());
        assertEquals(status, e.status().getAsInt());
        assertTrue(e.getMessage().contains("may have been created"), e.getMessage());
    }

    @Test
    void throwsTransientWithExcerpt_whenGatewayAnswersHtml() {
        server.enqueue(StubServer.text(502, "text/html", "<html>\n  <body>Bad   Gateway</body>\n</html>"));

        RunwayException.Transient e = assertThrows(RunwayException.Transient.class,
                () -> client.organization());

        assertEquals("<html> <body>Bad Gateway</body> </html>", e.runwayError().orElseThrow());
    }

    @Test
    void throwsInvalidResponse_whenIdempotentCallIsRedirected() {
        server.enqueue(StubServer.status(302, Map.of("Location", "https://elsewhere.example/")));

        RunwayException.InvalidResponse e = assertThrows(RunwayException.InvalidResponse.class,
                () -> client.getTask(TASK_ID));

        assertEquals(302, e.status().getAsInt());
    }

    @Test
    void throwsAmbiguous_whenCreateSucceedsWithUnreadableBody() {
        server.enqueue(StubServer.text(200, "application/json", "{\"estimatedCost\":{\"credits\":5}}"));

        RunwayException.Ambiguous e = assertThrows(RunwayException.Ambiguous.class,
                () -> client.createTask("text_to_image", Fixtures.textToImageBody()));

        assertTrue(e.getMessage().contains("'id' is missing"), e.getMessage());
    }

    @Test
    void throwsInvalidResponse_whenOrganizationLacksBalance() {
        server.enqueue(json(200, "{\"tier\":{}}"));

        RunwayException.InvalidResponse e = assertThrows(RunwayException.InvalidResponse.class,
                () -> client.organization());

        assertTrue(e.getMessage().contains("creditBalance"), e.getMessage());
    }

    @Test
    void throwsTransientWithoutStatus_whenConnectionRefused() throws Exception {
        int port;
        try (StubServer gone = StubServer.start()) {
            port = gone.port();
        }
        try (RunwayClient refused = RunwayClient.builder().apiKey(Fixtures.API_KEY).maxRetries(0)
                .baseUri(java.net.URI.create("http://127.0.0.1:" + port)).build()) {

            RunwayException.Transient e = assertThrows(RunwayException.Transient.class, () -> refused.getTask(TASK_ID));

            assertTrue(e.status().isEmpty());
            assertTrue(e.getMessage().contains("could not connect"), e.getMessage());
        }
    }

    @Test
    void throwsTransientWithoutKeepingBody_whenResponseExceedsCap() {
        server.enqueue(json(200, "{\"id\":\"" + "x".repeat(2000) + "\"}"));
        try (RunwayClient capped = Fixtures.builder(server, new RecordingSleeper()).maxRetries(0)
                .maxResponseBytes(1024).build()) {

            RunwayException.Transient e = assertThrows(RunwayException.Transient.class,
                    () -> capped.getTask(TASK_ID));

            assertTrue(e.getMessage().contains("larger than 1024 bytes"), e.getMessage());
        }
    }

    @Test
    void refusesToStart_whenJdkWouldReplayPosts() {
        for (String value : new String[] {"", "true", "TRUE"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> JdkHttpTransport.requireNoReplayOfAllMethods(value));
            assertTrue(e.getMessage().contains("duplicate billable"), e.getMessage());
        }
        assertDoesNotThrow(() -> JdkHttpTransport.requireNoReplayOfAllMethods(null));
        assertDoesNotThrow(() -> JdkHttpTransport.requireNoReplayOfAllMethods("false"));
    }

    @Test
    void coversEveryReaction_whenSwitchingOverException() {
        server.enqueue(json(404, "{\"error\":\"gone\"}"));

        RunwayException caught = assertThrows(RunwayException.class, () -> client.getTask(TASK_ID));
        String reaction = switch (caught) {
            case RunwayException.BadRequest b -> "fix the request";
            case RunwayException.Authentication a -> "check the key";
            case RunwayException.NotFound n -> "already gone";
            case RunwayException.RateLimited r -> "later";
            case RunwayException.Transient t -> "retry";
            case RunwayException.Ambiguous a -> "record and reconcile";
            case RunwayException.InvalidResponse i -> "investigate";
        };

        assertEquals("already gone", reaction);
    }
}
