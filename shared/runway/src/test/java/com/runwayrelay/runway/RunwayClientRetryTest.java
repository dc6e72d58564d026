package com.runwayrelay.runway;

import static com.runwayrelay.runway.Fixtures.TASK_ID;
import static com.runwayrelay.runway.StubServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunwayClientRetryTest {

    private static final String PENDING = "{\"id\":\"" + TASK_ID + "\",\"status\":\"PENDING\","
            + "\"createdAt\":\"2026-10-01T11:59:00Z\"}";

    private StubServer server;
    private RecordingSleeper sleeper;
    private RunwayClient client;

    @BeforeEach
    void start() throws Exception {
        server = StubServer.start();
        sleeper = new RecordingSleeper();
        client = Fixtures.client(server, sleeper);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void retriesGet_whenServerAnswers503() {
        server.enqueue(json(503, "{\"error\":\"shedding load\"}"));
        server.enqueue(json(200, PENDING));

        Task task = client.getTask(TASK_ID);

        assertEquals(TASK_ID, task.id());
        assertEquals(2, server.requests().size());
        assertEquals(List.of(Duration.ofMillis(500)), sleeper.delays());
    }

    @Test
    void makesThreeAttemptsWithExponentialBackoff_whenEveryAttemptFailsByDefault() {
        server.always(json(500, "{\"error\":\"boom\"}"));

        assertThrows(RunwayException.Transient.class, () -> client.getTask(TASK_ID));

        assertEquals(3, server.requests().size());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(1)), sleeper.delays());
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 409, 429, 500, 502, 504})
    void retriesIdempotentCall_whenStatusIsRetryable(int status) {
        server.enqueue(json(status, "{\"error\":\"try again\"}"));
        server.enqueue(json(200, "{\"models\":[],\"results\":[]}"));

        client.usage();

        assertEquals(2, server.requests().size());
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 422})
    void doesNotRetry_whenStatusIsFinal(int status) {
        server.always(json(status, "{\"error\":\"no\"}"));

        assertThrows(RunwayException.class, () -> client.getTask(TASK_ID));

        assertEquals(1, server.requests().size());
        assertTrue(sleeper.delays().isEmpty());
    }

    @Test
    void honoursRetryAfterMs_whenPresent() {
        server.enqueue(json(503, "{}", "retry-after-ms", "1234", "retry-after", "9"));
        server.enqueue(json(200, PENDING));

        client.getTask(TASK_ID);

        assertEquals(List.of(Duration.ofMillis(1234)), sleeper.delays());
    }

    @Test
    void honoursRetryAfterSeconds_when429CarriesIt() {
        server.enqueue(json(429, "{\"error\":\"slow down\"}", "retry-after", "2.5"));
        server.enqueue(json(200, PENDING));

        client.getTask(TASK_ID);

        assertEquals(List.of(Duration.ofMillis(2500)), sleeper.delays());
    }

    @Test
    void honoursRetryAfterHttpDate_whenGivenAsDate() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Fixtures.NOW.plusSeconds(7).atZone(java.time.ZoneOffset.UTC));
        server.enqueue(json(429, "{}", "retry-after", date));
        server.enqueue(json(200, PENDING));

        client.getTask(TASK_ID);

        assertEquals(List.of(Duration.ofSeconds(7)), sleeper.delays());
    }

    @Test
    void givesUpAtOnceAndReportsWait_whenRetryAfterExceedsMaximum() {
        server.always(json(429, "{\"error\":\"slow down\"}", "retry-after", "120"));

        RunwayException.RateLimited e = assertThrows(RunwayException.RateLimited.class,
                () -> client.getTask(TASK_ID));

        assertEquals(Duration.ofSeconds(120), e.retryAfter().orElseThrow());
        assertEquals(1, server.requests().size());
        assertTrue(sleeper.delays().isEmpty());
    }

    @Test
    void doesNotRetry_whenDailyQuotaIsSpent() {
        server.always(json(429, "{\"error\":\"Your daily task limit has been reached.\"}"));

        RunwayException.RateLimited e = assertThrows(RunwayException.RateLimited.class,
                () -> client.createTask("text_to_image", Fixtures.textToImageBody()));

        assertTrue(e.dailyQuota());
        assertEquals(1, server.requests().size());
    }

    @Test
    void doesNotRetry_whenServerSaysShouldRetryFalse() {
        server.always(json(503, "{}", "x-should-retry", "false"));

        assertThrows(RunwayException.Transient.class, () -> client.getTask(TASK_ID));

        assertEquals(1, server.requests().size());
    }

    @Test
    void retriesOtherwiseFinalStatus_whenServerSaysShouldRetryTrue() {
        server.enqueue(json(400, "{}", "x-should-retry", "true"));
        server.enqueue(json(200, PENDING));

        client.getTask(TASK_ID);

        assertEquals(2, server.requests().size());
    }

    @Test
    void makesOneAttempt_whenMaxRetriesIsZero() {
        server.always(json(503, "{}"));
        try (RunwayClient noRetry = Fixtures.builder(server, sleeper).maxRetries(0).build()) {
            assertThrows(RunwayException.Transient.class, () -> noRetry.getTask(TASK_ID));
        }

        assertEquals(1, server.requests().size());
    }

    @Test
    void stopsRetryingAndKeepsInterruptFlag_whenSleepIsInterrupted() {
        server.always(json(503, "{}"));
        Sleeper interrupted = d -> {
            throw new InterruptedException();
        };
        try (RunwayClient c = Fixtures.builder(server, interrupted).build()) {
            assertThrows(RunwayException.Transient.class, () -> c.getTask(TASK_ID));
            assertTrue(Thread.interrupted());
        }

        assertEquals(1, server.requests().size());
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 409, 500, 503})
    void doesNotRetryCreate_whenStatusLeavesTaskPossiblyCreated(int status) {
        server.always(json(status, "{\"error\":\"busy\"}", "retry-after", "1"));

        assertThrows(RunwayException.Ambiguous.class,
                () -> client.createTask("text_to_image", Fixtures.textToImageBody()));

        assertEquals(1, server.requests().size());
        assertTrue(sleeper.delays().isEmpty());
    }

    @Test
    void doesNotRetryCreate_whenServerSaysShouldRetryTrueOn503() {
        server.always(json(503, "{}", "x-should-retry", "true"));

        assertThrows(RunwayException.Ambiguous.class,
                () -> client.createTask("text_to_image", Fixtures.textToImageBody()));

        assertEquals(1, server.requests().size());
    }

    @Test
    void retriesCreate_when429RejectedIt() {
        server.enqueue(json(429, "{\"error\":\"Too many requests\"}", "retry-after", "1"));
        server.enqueue(json(200, Fixtures.created(TASK_ID)));

        CreatedTask created = client.createTask("text_to_image", Fixtures.textToImageBody());

        assertEquals(TASK_ID, created.id());
        assertEquals(2, server.requests().size());
        assertEquals(List.of(Duration.ofSeconds(1)), sleeper.delays());
    }

    @Test
    void doesNotRetryCreate_when429SaysShouldRetryFalse() {
        server.always(json(429, "{}", "x-should-retry", "false"));

        assertThrows(RunwayException.RateLimited.class,
                () -> client.createTask("text_to_image", Fixtures.textToImageBody()));

        assertEquals(1, server.requests().size());
    }

    @Test
    void doesNotRetryCreate_whenConnectionDropsAfterRequestWasRead() {
        server.always(StubServer.dropConnection());

        RunwayException.Ambiguous e = assertThrows(RunwayException.Ambiguous.class,
                () -> client.createTask("text_to_video", Fixtures.textToImageBody()));

        assertEquals(1, server.requests().size());
        assertTrue(e.status().isEmpty());
        assertEquals("text_to_video", e.endpoint());
        assertTrue(sleeper.delays().isEmpty());
    }

    @Test
    void doesNotRetryCreate_whenConnectionIsResetAfterSend() throws Exception {
        try (ResettingServer resetting = new ResettingServer();
             RunwayClient c = RunwayClient.builder().apiKey(Fixtures.API_KEY).logger(new RecordingLogger())
                     .baseUri(resetting.baseUri()).sleeper(sleeper).build()) {

            assertThrows(RunwayException.Ambiguous.class,
                    () -> c.createTask("text_to_image", Fixtures.textToImageBody()));

            assertEquals(1, resetting.requestsRead());
        }
        assertTrue(sleeper.delays().isEmpty());
    }

    @Test
    void retriesGet_whenConnectionIsResetAfterSend() throws Exception {
        try (ResettingServer resetting = new ResettingServer();
             RunwayClient c = RunwayClient.builder().apiKey(Fixtures.API_KEY).logger(new RecordingLogger())
                     .baseUri(resetting.baseUri()).sleeper(sleeper).build()) {

            assertThrows(RunwayException.Transient.class, () -> c.getTask(TASK_ID));

            // The JDK client itself replays an idempotent GET once on a dropped connection, so
            // the server may see up to two requests per attempt; the client made three attempts.
            assertTrue(resetting.requestsRead() >= 3, "requests read: " + resetting.requestsRead());
        }
        assertEquals(2, sleeper.delays().size());
    }

    @Test
    void retriesCreateAndSucceeds_whenConnectionWasRefusedAtFirst() throws Exception {
        int port = freePort();
        AtomicReference<StubServer> late = new AtomicReference<>();
        RecordingSleeper startServerOnSleep = new RecordingSleeper().onSleep(() -> {
            if (late.get() == null) {
                try {
                    late.set(StubServer.startOn(port).always(json(200, Fixtures.created(TASK_ID))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        try (RunwayClient c = RunwayClient.builder().apiKey(Fixtures.API_KEY).logger(new RecordingLogger())
                .jitter(() -> 0).baseUri(URI.create("http://127.0.0.1:" + port)).sleeper(startServerOnSleep)
                .build()) {

            CreatedTask created = c.createTask("text_to_image", Fixtures.textToImageBody());

            assertEquals(TASK_ID, created.id());
            assertEquals(List.of(Duration.ofMillis(500)), startServerOnSleep.delays());
            assertEquals(1, late.get().requests().size());
        } finally {
            if (late.get() != null) {
                late.get().close();
            }
        }
    }

    @Test
    void throwsTransientAfterRetries_whenCreateNeverConnects() throws Exception {
        int port = freePort();
        try (RunwayClient c = RunwayClient.builder().apiKey(Fixtures.API_KEY).logger(new RecordingLogger())
                .jitter(() -> 0).baseUri(URI.create("http://127.0.0.1:" + port)).sleeper(sleeper).build()) {

            RunwayException.Transient e = assertThrows(RunwayException.Transient.class,
                    () -> c.createTask("text_to_image", Fixtures.textToImageBody()));

            assertTrue(e.getMessage().contains("could not connect"), e.getMessage());
        }
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(1)), sleeper.delays());
    }

    @Test
    void retriesGet_whenAttemptTimesOut() {
        server.enqueue(StubServer.stall(Duration.ofSeconds(5)));
        server.enqueue(json(200, PENDING));
        // The retry goes out only once the server has taken the stalled request: on a loaded
        // machine the timeout can fire first, and the retry would then be served the stall.
        RecordingSleeper awaitingFirst = new RecordingSleeper()
                .onSleep(() -> server.requestsOnceAtLeast(1, Duration.ofSeconds(10)));
        try (RunwayClient c = Fixtures.builder(server, awaitingFirst).requestTimeout(Duration.ofMillis(300)).build()) {

            assertEquals(TASK_ID, c.getTask(TASK_ID).id());
        }

        assertEquals(2, server.requests().size());
    }

    @Test
    void doesNotRetryCreate_whenAttemptTimesOut() {
        server.always(StubServer.stall(Duration.ofSeconds(5)));
        try (RunwayClient c = Fixtures.builder(server, sleeper).requestTimeout(Duration.ofMillis(300)).build()) {

            RunwayException.Ambiguous e = assertThrows(RunwayException.Ambiguous.class,
                    () -> c.createTask("text_to_image", Fixtures.textToImageBody()));

            assertTrue(e.getMessage().contains("no complete response within"), e.getMessage());
        }

        // The client gave up after 300 ms, possibly before the server had read the request.
        assertEquals(1, server.requestsOnceAtLeast(1, Duration.ofSeconds(10)).size());
    }

    @Test
    void retriesUploadSlot_whenServerAnswers503() {
        server.enqueue(json(503, "{}"));
        server.enqueue(json(200, "{\"uploadUrl\":\"https://storage.example/up\",\"fields\":{},"
                + "\"runwayUri\":\"runway://abc\"}"));

        UploadSlot slot = client.createUpload("clip.mp4");

        assertEquals("runway://abc", slot.runwayUri());
        assertEquals(2, server.requests().size());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
