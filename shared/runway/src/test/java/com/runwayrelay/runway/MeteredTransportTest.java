package com.runwayrelay.runway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.metrics.memory.RecordingMetrics;
import com.runwayrelay.runway.Transport.Request;
import com.runwayrelay.runway.Transport.Response;
import com.runwayrelay.runway.Transport.RetryMode;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MeteredTransportTest {
    private static final String TASK_ID = "4d5e6f70-0000-4000-8000-000000000001";

    private final RecordingMetrics metrics = new RecordingMetrics();
    /** Each reading of the clock moves it 25 ms: every attempt lasts exactly 25 ms. */
    private final AtomicLong nanos = new AtomicLong();
    private final Scripted scripted = new Scripted();
    private final MeteredTransport transport = new MeteredTransport(scripted, metrics,
            () -> nanos.getAndAdd(25_000_000));

    /** Answers from a script: a status, or a failure to throw. */
    private static final class Scripted implements Transport {
        final Deque<Object> answers = new ArrayDeque<>();

        @Override
        public Response send(Request request) throws TransportFailure {
            Object next = answers.remove();
            if (next instanceof TransportFailure failure) {
                throw failure;
            }
            String body = (int) next == 200 ? "{\"id\":\"" + TASK_ID + "\",\"createdAt\":\"2026-12-01T10:00:00Z\","
                    + "\"status\":\"RUNNING\",\"progress\":0.5}" : "{}";
            return new Response((int) next, HttpHeaders.of(Map.of(), (a, b) -> true),
                    body.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
        }
    }

    private static Request request(String method, String uri) {
        return new Request(method, URI.create(uri), Map.of("Authorization", "Bearer key_x"), null,
                Duration.ofSeconds(5), RetryMode.IDEMPOTENT);
    }

    @Test
    void countsEveryAnswerByItsClass_andTimesIt() throws TransportFailure {
        scripted.answers.addAll(List.of(200, 404, 429, 503));
        for (int i = 0; i < 4; i++) {
            transport.send(request("GET", "https://api.dev.runwayml.com/v1/tasks/abc"));
        }

        for (String outcome : List.of("2xx", "4xx", "429", "5xx")) {
            assertEquals(1, metrics.sum(RelayMetric.RUNWAY_CALLS, outcome), outcome);
        }
        assertEquals(List.of(25.0, 25.0, 25.0, 25.0), metrics.of(RelayMetric.RUNWAY_LATENCY).stream()
                .map(RecordingMetrics.Recorded::value).toList());
        assertEquals(4, metrics.sum(RelayMetric.RUNWAY_LATENCY, "read") / 25.0);
    }

    @Test
    void countsTimeoutsApartFromOtherFailures_andStillThrows() {
        scripted.answers.add(new TransportFailure("read timed out", true, true, null));
        scripted.answers.add(new TransportFailure("connection refused", false, false, null));
        Request create = request("POST", "https://api.dev.runwayml.com/v1/text_to_image");

        assertThrows(TransportFailure.class, () -> transport.send(create));
        assertThrows(TransportFailure.class, () -> transport.send(create));

        assertEquals(1, metrics.sum(RelayMetric.RUNWAY_CALLS, "timeout"));
        assertEquals(1, metrics.sum(RelayMetric.RUNWAY_CALLS, "connection_error"));
        assertEquals(50, metrics.sum(RelayMetric.RUNWAY_LATENCY, "create"));
    }

    @Test
    void namesTheOperationOfEveryKindOfRequest() {
        assertEquals("create", MeteredTransport.operation(request("POST", "https://x/v1/image_to_video")));
        assertEquals("read", MeteredTransport.operation(request("GET", "https://x/v1/tasks/t1")));
        assertEquals("cancel", MeteredTransport.operation(request("DELETE", "https://x/v1/tasks/t1")));
        assertEquals("upload", MeteredTransport.operation(request("POST", "https://x/v1/uploads")));
        assertEquals("upload", MeteredTransport.operation(request("PUT", "https://storage.example/bucket/f")));
        assertEquals("other", MeteredTransport.operation(request("GET", "https://x/v1/organization")));
    }

    @Test
    void countsEachRetryAsTheCallItIs_whenUnderTheClientsRetries() {
        scripted.answers.addAll(List.of(503, 200));
        RecordingSleeper sleeper = new RecordingSleeper();
        try (RunwayClient client = RunwayClient.builder().apiKey(Fixtures.API_KEY).logger(new RecordingLogger())
                .jitter(() -> 0).sleeper(sleeper).transport(scripted).metrics(metrics)
                .nanoTime(() -> nanos.getAndAdd(25_000_000)).build()) {

            assertEquals("RUNNING", client.getTask(TASK_ID).status());
        }

        assertEquals(1, metrics.sum(RelayMetric.RUNWAY_CALLS, "5xx"));
        assertEquals(1, metrics.sum(RelayMetric.RUNWAY_CALLS, "2xx"));
        assertEquals(1, sleeper.delays().size(), "the 503 was retried once");
    }
}
