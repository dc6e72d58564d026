package com.runwayrelay.runway;

import static com.runwayrelay.runway.Fixtures.API_KEY;
import static com.runwayrelay.runway.Fixtures.TASK_ID;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The API key must never leave the client except in the Authorization header to the API. */
class RedactionTest {

    private StubServer server;
    private RecordingLogger logger;
    private RunwayClient client;

    /** Echoes the request's Authorization header back in the error text, as a careless proxy might. */
    private static StubServer.Responder echoingAuth(int status) {
        return (exchange, request) -> StubServer.json(status,
                "{\"error\":\"bad credentials: " + request.header("Authorization") + "\","
                        + "\"issues\":[{\"code\":\"x\",\"path\":[\"h\"],\"message\":\"" + API_KEY + "\"}]}")
                .respond(exchange, request);
    }

    @BeforeEach
    void start() throws Exception {
        server = StubServer.start();
        logger = new RecordingLogger();
        client = Fixtures.builder(server, new RecordingSleeper()).logger(logger).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static String everything(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out + " " + t.getMessage() + " " + t;
    }

    private void assertNoKey(String text) {
        assertFalse(text.contains(API_KEY), () -> "API key leaked into: " + text);
    }

    private void assertKeyAbsentFromFailure(Executable call) {
        RunwayException e = assertThrows(RunwayException.class, call);
        assertNoKey(everything(e));
        e.runwayError().ifPresent(this::assertNoKey);
        if (e instanceof RunwayException.BadRequest bad) {
            assertNoKey(bad.issues().toString());
        }
    }

    @Test
    void keepsKeyOutOfClientToString_whenPrinted() {
        assertNoKey(client.toString());
        assertNoKey(RunwayClient.builder().apiKey(API_KEY).toString());
    }

    @Test
    void masksEchoedKey_whenErrorBodiesContainIt() {
        server.enqueue(echoingAuth(400), echoingAuth(401), echoingAuth(404), echoingAuth(429));
        server.always(echoingAuth(500));

        assertKeyAbsentFromFailure(() -> client.createTask("text_to_image", Fixtures.textToImageBody()));
        assertKeyAbsentFromFailure(() -> client.getTask(TASK_ID));
        assertKeyAbsentFromFailure(() -> client.deleteTask(TASK_ID));
        assertKeyAbsentFromFailure(() -> client.createTask("text_to_image", Fixtures.textToImageBody()));
        assertKeyAbsentFromFailure(() -> client.getTask(TASK_ID));
        assertKeyAbsentFromFailure(() -> client.createTask("text_to_image", Fixtures.textToImageBody()));
    }

    @Test
    void keepsKeyOutOfMessage_whenKeyIsUsedAsMalformedResponseText() {
        server.enqueue(StubServer.text(200, "application/json", "{\"status\":\"" + API_KEY + "\"}"));

        assertKeyAbsentFromFailure(() -> client.getTask(TASK_ID));
    }

    @Test
    void keepsKeyOutOfLogs_whenRetryingAndFailingAmbiguously() {
        server.enqueue(echoingAuth(503));
        server.enqueue(StubServer.json(200,
                "{\"id\":\"t\",\"status\":\"PENDING\",\"createdAt\":\"2026-01-01T00:00:00Z\"}"));
        server.enqueue(echoingAuth(503));

        client.getTask(TASK_ID);
        assertThrows(RunwayException.Ambiguous.class,
                () -> client.createTask("text_to_image", Fixtures.textToImageBody()));

        List<String> lines = logger.lines();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("DEBUG Retrying GET /v1/tasks/")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("WARNING POST /v1/text_to_image: 503")), lines.toString());
        lines.forEach(this::assertNoKey);
    }

    @Test
    void keepsKeyOutOfTimeoutAndConnectionMessages_whenNoResponseArrives() {
        server.always(StubServer.stall(Duration.ofSeconds(5)));
        try (RunwayClient slow = Fixtures.builder(server, new RecordingSleeper()).logger(logger)
                .requestTimeout(Duration.ofMillis(200)).maxRetries(0).build()) {
            assertKeyAbsentFromFailure(() -> slow.createTask("text_to_image", Fixtures.textToImageBody()));
            assertKeyAbsentFromFailure(() -> slow.getTask(TASK_ID));
        }
        logger.lines().forEach(this::assertNoKey);
    }

    @Test
    void keepsKeyOutOfRequestToString_whenHeadersHoldIt() {
        Transport.Request request = new Transport.Request("GET", URI.create("https://api.example/v1/tasks/x"),
                Map.of("Authorization", "Bearer " + API_KEY), null, Duration.ofSeconds(1),
                Transport.RetryMode.IDEMPOTENT);

        assertNoKey(request.toString());
    }

    @Test
    void keepsKeyOutOfValidationMessage_whenKeyIsMalformed() {
        String badKey = API_KEY + " trailing";

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunwayClient.builder().apiKey(badKey));

        assertFalse(e.getMessage().contains(API_KEY), e.getMessage());
    }
}
