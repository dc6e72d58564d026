package com.runwayrelay.aws.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.config.Env;
import com.runwayrelay.domain.admin.QueueDepths.Depth;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The SQS adapter against a loopback stand-in answering GetQueueAttributes, and the local stack's file-based one. */
class QueueDepthsTest {
    private static final String DLQ = "https://sqs.eu-west-1.example.test/123/poller-dlq";
    private static final String FAILURES = "https://sqs.eu-west-1.example.test/123/stream-failures";
    private static final String SILENT = "https://sqs.eu-west-1.example.test/123/silent";

    private HttpServer server;
    private SqsClient sqs;
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            byte[] answer;
            int status = 200;
            if (body.contains("poller-dlq")) {
                answer = "{\"Attributes\":{\"ApproximateNumberOfMessages\":\"3\",\"ApproximateNumberOfMessagesNotVisible\":\"2\"}}"
                        .getBytes(StandardCharsets.UTF_8);
            } else if (body.contains("silent")) {
                answer = "{\"Attributes\":{\"ApproximateNumberOfMessages\":\"3\"}}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 400;
                answer = "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\",\"message\":\"no such queue\"}"
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("content-type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        sqs = SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @AfterEach
    void stop() {
        sqs.close();
        server.stop(0);
    }

    @Test
    void addsVisibleAndInFlightMessages_whenTheQueueAnswers() {
        Depth depth = new SqsQueueDepths(sqs, DLQ, FAILURES).pollerDeadLetters();

        assertEquals(new Depth.Known(5), depth);
        assertTrue(bodies.getFirst().contains("ApproximateNumberOfMessagesNotVisible"), bodies.getFirst());
    }

    @Test
    void reportsAFailedCheckWithTheReason_whenTheQueueCannotBeRead() {
        Depth depth = new SqsQueueDepths(sqs, DLQ, FAILURES).streamFailures();

        String reason = assertInstanceOf(Depth.CheckFailed.class, depth, "a failed read is not a queue the stack lacks").reason();
        assertTrue(reason.startsWith("could not read " + FAILURES + ": "), reason);
        assertTrue(reason.contains("no such queue"), reason);
    }

    @Test
    void reportsAFailedCheck_whenTheQueueLeavesOutACount() {
        Depth depth = new SqsQueueDepths(sqs, SILENT, FAILURES).pollerDeadLetters();

        assertEquals(new Depth.CheckFailed(SILENT + " did not report ApproximateNumberOfMessagesNotVisible"), depth);
    }

    @Test
    void reportsAFailedCheck_whenNoUrlIsConfigured_andAsksNothing() {
        SqsQueueDepths depths = SqsQueueDepths.fromEnv(sqs, new Env(Map.of(SqsQueueDepths.POLLER_DLQ_URL, "")));

        assertEquals(new Depth.CheckFailed("RELAY_POLLER_DLQ_URL is not set"), depths.pollerDeadLetters(),
                "a deployed stack has the queue: a missing URL is a setting to fix, not a queue to ignore");
        assertEquals(new Depth.CheckFailed("RELAY_STREAM_FAILURE_QUEUE_URL is not set"), depths.streamFailures());
        assertEquals(List.of(), bodies);
    }

    @Test
    void countsTheLocalStacksStreamFailureLines_andZeroBeforeTheFirst(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("stream-failures.jsonl");
        LocalQueueDepths local = new LocalQueueDepths(Optional.of(file));
        assertEquals(new Depth.Known(0), local.streamFailures());

        Files.writeString(file, "{\"function\":\"NotifierFunction\"}\n{\"function\":\"ArchiverFunction\"}\n");

        assertEquals(new Depth.Known(2), local.streamFailures());
    }

    @Test
    void theLocalStacksMissingQueuesAreAbsentByDesign_notFailedChecks() {
        LocalQueueDepths ephemeral = new LocalQueueDepths(Optional.empty());

        assertEquals(new Depth.NotAvailable("the local stack has no poller dead-letter queue: a failed poller run is logged"
                + " and the next tick runs again"), ephemeral.pollerDeadLetters());
        assertEquals(new Depth.NotAvailable("an ephemeral local stack records stream failures only in its log"),
                ephemeral.streamFailures());
    }

    @Test
    void aLocalStreamFailureFileThatCannotBeRead_isAFailedCheck(@TempDir Path dir) throws IOException {
        Path notAFile = Files.createDirectory(dir.resolve("stream-failures.jsonl"));

        Depth depth = new LocalQueueDepths(Optional.of(notAFile)).streamFailures();

        String reason = assertInstanceOf(Depth.CheckFailed.class, depth, "not a failure of the whole report").reason();
        assertTrue(reason.startsWith("could not read " + notAFile + ": "), reason);
    }

    @Test
    void choosesTheLocalDepthsOnlyWhenTheLocalStackSaysSo(@TempDir Path dir) {
        Env local = new Env(Map.of(LocalQueueDepths.STREAM_FAILURE_FILE, dir.resolve("f.jsonl").toString()));
        Env ephemeral = new Env(Map.of(LocalQueueDepths.STREAM_FAILURE_FILE, LocalQueueDepths.EPHEMERAL));
        Env deployed = new Env(Map.of(SqsQueueDepths.POLLER_DLQ_URL, DLQ));

        assertEquals(new Depth.Known(0), QueueDepthsFromEnv.create(local, () -> sqs).streamFailures());
        assertInstanceOf(Depth.NotAvailable.class, QueueDepthsFromEnv.create(ephemeral, () -> sqs).streamFailures());
        assertInstanceOf(Depth.CheckFailed.class, QueueDepthsFromEnv.create(deployed, () -> sqs).streamFailures());
        assertEquals(new Depth.Known(5), QueueDepthsFromEnv.create(deployed, () -> sqs).pollerDeadLetters());
    }
}
