package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

// try-with-resources keeps readers and folders alive for the block; the block need not name them
@SuppressWarnings("try")
@WithAwsEmulators
class StreamConsumerIT {
    private static final StreamConsumer.Settings FAST = new StreamConsumer.Settings(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(200));
    /** A hang guard: every wait is for a condition. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final AwsEmulators aws;
    private final String run = UUID.randomUUID().toString();
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final StackLog log = new StackLog(new PrintStream(logged, true, StandardCharsets.UTF_8), StackLog.Level.VERBOSE);
    private String streamArn;

    @TempDir
    Path temp;

    StreamConsumerIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeEach
    void findStream() {
        streamArn = aws.dynamoDb().describeTable(r -> r.tableName(aws.tableName())).table().latestStreamArn();
    }

    /** Only this test's items with {@code color = blue} pass; batches of 2; 2 retries. */
    private FunctionSpec.StreamSubscription subscription(int maxRetries) {
        return new FunctionSpec.StreamSubscription("Test", 2, maxRetries, true,
                List.of("{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":{\"run\":{\"S\":[\"" + run + "\"]},\"color\":{\"S\":[\"blue\"]}}}}"));
    }

    /** Like {@link #subscription} but with lanes, and rewrites of an item (MODIFY) pass too. */
    private FunctionSpec.StreamSubscription parallel(int batchSize, int maxRetries, int lanes) {
        return new FunctionSpec.StreamSubscription("Test", batchSize, maxRetries, true,
                List.of("{\"eventName\":[\"INSERT\",\"MODIFY\"],\"dynamodb\":{\"NewImage\":{\"run\":{\"S\":[\"" + run
                        + "\"]},\"color\":{\"S\":[\"blue\"]}}}}"), lanes);
    }

    private StreamConsumer start(FunctionSpec.StreamSubscription subscription, Function<DynamodbEvent, StreamsEventResponse> handler,
                                 Optional<Path> positions, Optional<Path> failures) {
        return StreamConsumer.start("TestFunction", subscription, aws.dynamoDbStreams(), streamArn, event -> {
            batches.add(event.getRecords().stream().map(r -> r.getDynamodb().getNewImage().get("name").getS()).toList());
            return handler.apply(event);
        }, StreamCheckpoints.load(positions, streamArn), FAST, new OnFailureDestination(failures, Clock.systemUTC()), log);
    }

    private void put(String name, String color) {
        putItem(name, name, color);
    }

    /** Writes item {@code key} (several writes of one key are several records of one item). */
    private void putItem(String key, String name, String color) {
        aws.dynamoDb().putItem(r -> r.tableName(aws.tableName()).item(Map.of(
                "pk", AttributeValue.fromS("test#" + run + "#" + key),
                "run", AttributeValue.fromS(run),
                "name", AttributeValue.fromS(name),
                "color", AttributeValue.fromS(color))));
    }

    private static StreamsEventResponse ok() {
        return new StreamsEventResponse(List.of());
    }

    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private List<String> delivered() {
        synchronized (batches) {
            return batches.stream().flatMap(List::stream).toList();
        }
    }

    @Test
    void delivers_recordsWrittenAfterStart_thatPassTheFilter_inBatches() throws Exception {
        put("before", "blue");
        try (StreamConsumer consumer = start(subscription(2), event -> ok(), Optional.empty(), Optional.empty())) {
            put("a", "blue");
            put("x", "red");
            put("b", "blue");
            put("c", "blue");
            // A last record marks the end: once it is delivered, everything before it was handled
            // (no sleep that hopes a stray record would have shown up by then).
            put("end", "blue");
            await("the last record", () -> delivered().contains("end"));
            assertEquals(List.of("a", "b", "c", "end"), delivered(), "first start begins at the end of the stream; red is filtered out");
            assertTrue(batches.stream().allMatch(batch -> batch.size() <= 2), batches.toString());
        }
    }

    @Test
    void handsABacklogOver_inFullBatchesOfTheBatchSize_notOneRecordPerInvocation() throws Exception {
        java.util.concurrent.CountDownLatch firstCalled = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (StreamConsumer consumer = start(subscription(2), event -> {
            firstCalled.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok();
        }, Optional.empty(), Optional.empty())) {
            try {
                put("a", "blue");
                assertTrue(firstCalled.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "the first record is handed over");
                // While the function works on "a", six more records wait in the stream (a red one among them).
                for (String name : List.of("b", "c", "x", "d", "e", "f")) {
                    put(name, name.equals("x") ? "red" : "blue");
                }
                put("end", "blue");
            } finally {
                release.countDown();
            }
            await("the last record", () -> delivered().contains("end"));
            assertEquals(List.of(List.of("a"), List.of("b", "c"), List.of("d", "e"), List.of("f", "end")), List.copyOf(batches),
                    "the waiting records go out BatchSize at a time, filtered, in order");
        }
    }

    @Test
    void retries_fromTheEarliestFailedRecord_thenGivesUpAndRecordsTheFailure() throws Exception {
        Path failures = temp.resolve("failures.jsonl");
        Function<DynamodbEvent, StreamsEventResponse> failB = event -> new StreamsEventResponse(event.getRecords().stream()
                .filter(r -> r.getDynamodb().getNewImage().get("name").getS().equals("b"))
                .map(r -> new StreamsEventResponse.BatchItemFailure(r.getDynamodb().getSequenceNumber())).toList());
        try (StreamConsumer consumer = start(subscription(2), failB, Optional.empty(), Optional.of(failures))) {
            put("a", "blue");
            put("b", "blue");
            await("b to be given up on", () -> Files.exists(failures));
            put("c", "blue");
            await("c", () -> delivered().contains("c"));
        }
        List<List<String>> seen = List.copyOf(batches);
        assertEquals(1, seen.stream().filter(batch -> batch.contains("a")).count(), "a succeeded, so no retry repeats it: " + seen);
        List<List<String>> withB = seen.stream().filter(batch -> batch.contains("b")).toList();
        assertEquals(3, withB.size(), "the first attempt and 2 retries: " + seen);
        assertEquals(List.of("b"), withB.get(1), "a retry starts at the failed record: " + seen);
        assertEquals(List.of("c"), seen.getLast(), "then the reader moves on: " + seen);
        var failure = new ObjectMapper().readTree(Files.readAllLines(failures).getFirst());
        assertEquals("TestFunction", failure.path("function").asText());
        assertEquals(1, failure.path("records").asInt());
        assertEquals("test#" + run + "#b", failure.path("keys").get(0).asText());
        assertTrue(failure.path("reason").asText().contains("gave up after 3 attempt(s)"), failure.toString());
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("retry 1 of 2"));
    }

    @Test
    void aThrowingFunction_failsTheWholeBatch() throws Exception {
        int[] calls = {0};
        try (StreamConsumer consumer = start(subscription(3), event -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("first call fails");
            }
            return ok();
        }, Optional.empty(), Optional.empty())) {
            put("a", "blue");
            await("a second delivery", () -> batches.size() >= 2);
        }
        assertEquals(List.of("a"), batches.get(0));
        assertEquals(List.of("a"), batches.get(1));
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("the function threw java.lang.IllegalStateException: first call fails"));
    }

    @Test
    void restart_resumesAfterTheLastHandledRecord() throws Exception {
        Path positions = temp.resolve("positions.json");
        try (StreamConsumer consumer = start(subscription(2), event -> ok(), Optional.of(positions), Optional.empty())) {
            put("a", "blue");
            await("a", () -> delivered().contains("a"));
        }
        put("written-while-stopped", "blue");
        try (StreamConsumer consumer = start(subscription(2), event -> ok(), Optional.of(positions), Optional.empty())) {
            put("b", "blue");
            await("b", () -> delivered().contains("b"));
        }
        assertEquals(List.of("a", "written-while-stopped", "b"), delivered(), "nothing replayed, nothing skipped");
    }

    /** The lane the consumer puts item {@code key}'s records in. */
    private int lane(String key, int lanes) {
        return StreamConsumer.laneOf(software.amazon.awssdk.services.dynamodb.model.Record.builder()
                .dynamodb(d -> d.keys(Map.of("pk", AttributeValue.fromS("test#" + run + "#" + key)))).build(), lanes);
    }

    /** A key whose records go to another lane than {@code key}'s. */
    private String keyInAnotherLaneThan(String key, int lanes) {
        for (int i = 0; ; i++) {
            if (lane("other" + i, lanes) != lane(key, lanes)) {
                return "other" + i;
            }
        }
    }

    @Test
    void withParallelization_aBusyLaneDoesNotHoldUpTheRecordsOfAnotherKey() throws Exception {
        FunctionSpec.StreamSubscription parallel = parallel(2, 2, 10);
        String other = keyInAnotherLaneThan("a", 10);
        java.util.concurrent.CountDownLatch aCalled = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (StreamConsumer consumer = start(parallel, event -> {
            if (event.getRecords().stream().anyMatch(r -> r.getDynamodb().getNewImage().get("name").getS().equals("a"))) {
                aCalled.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ok();
        }, Optional.empty(), Optional.empty())) {
            try {
                putItem("a", "a", "blue");
                assertTrue(aCalled.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "a is handed over");
                putItem("a", "a-2", "blue");
                putItem(other, other, "blue");
                // The function still holds a's batch: the other key's record is handed over all the same.
                await("the other key's record while a is held", () -> delivered().contains(other));
                assertEquals(1L, release.getCount(), "a is still held");
                assertTrue(!delivered().contains("a-2"), "a's next record waits for a: " + batches);
            } finally {
                release.countDown();
            }
            await("a's second record", () -> delivered().contains("a-2"));
            List<String> seen = delivered();
            assertTrue(seen.indexOf("a") < seen.indexOf("a-2"), "one key's records in order: " + seen);
            assertTrue(batches.stream().noneMatch(batch -> batch.contains("a") && batch.contains(other)),
                    "a batch holds the records of one lane only: " + batches);
        }
    }

    @Test
    void withParallelization_eachKeysRecordsArriveInOrder_inBatchesOfOneLane() throws Exception {
        FunctionSpec.StreamSubscription parallel = parallel(3, 2, 4);
        List<String> keys = List.of("k0", "k1", "k2", "k3", "k4", "k5");
        boolean[] failedOnce = {false};
        try (StreamConsumer consumer = start(parallel, event -> {
            // k1#2 fails on its first delivery: the retry starts there, and k1#3.. only follow it.
            synchronized (failedOnce) {
                for (var record : event.getRecords()) {
                    if (record.getDynamodb().getNewImage().get("name").getS().equals("k1#2") && !failedOnce[0]) {
                        failedOnce[0] = true;
                        return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber())));
                    }
                }
            }
            return ok();
        }, Optional.empty(), Optional.empty())) {
            for (int version = 1; version <= 5; version++) {
                for (String key : keys) {
                    putItem(key, key + "#" + version, "blue");
                }
            }
            await("every key's last record", () -> keys.stream().allMatch(key -> delivered().contains(key + "#5")));
        }
        List<String> seen = delivered();
        for (String key : keys) {
            List<String> ofKey = seen.stream().filter(name -> name.startsWith(key + "#")).distinct().toList();
            assertEquals(List.of(key + "#1", key + "#2", key + "#3", key + "#4", key + "#5"), ofKey, "in order: " + batches);
        }
        assertTrue(failedOnce[0]);
        for (List<String> batch : List.copyOf(batches)) {
            assertTrue(batch.size() <= 3, "BatchSize: " + batch);
            assertEquals(1L, batch.stream().map(name -> lane(name.substring(0, name.indexOf('#')), 4)).distinct().count(),
                    "one lane per batch: " + batch);
        }
    }

    @Test
    void withParallelization_aRestartDeliversAgainWhatALaneHadNotHandled_evenIfALaterRecordWasHandled() throws Exception {
        Path positions = temp.resolve("positions.json");
        FunctionSpec.StreamSubscription parallel = parallel(2, -1, 10);
        String other = keyInAnotherLaneThan("a", 10);
        try (StreamConsumer consumer = StreamConsumer.start("TestFunction", parallel, aws.dynamoDbStreams(), streamArn, event -> {
            List<String> names = event.getRecords().stream().map(r -> r.getDynamodb().getNewImage().get("name").getS()).toList();
            batches.add(names);
            if (names.contains("a")) {
                throw new IllegalStateException("down");
            }
            return ok();
        }, StreamCheckpoints.load(Optional.of(positions), streamArn), new StreamConsumer.Settings(Duration.ofMillis(50), Duration.ofSeconds(30),
                Duration.ofSeconds(30)), new OnFailureDestination(Optional.empty(), Clock.systemUTC()), log)) {
            putItem("a", "a", "blue");
            await("the first failure", () -> delivered().contains("a"));
            putItem(other, other, "blue");
            await("the other key, handled while a waits for its retry", () -> delivered().contains(other));
        }
        batches.clear();
        try (StreamConsumer consumer = start(parallel, event -> ok(), Optional.of(positions), Optional.empty())) {
            putItem("end", "end", "blue");
            await("the record written after the restart", () -> delivered().contains("end"));
        }
        assertTrue(delivered().contains("a"), "a was not handled, so the position did not move past it: " + batches);
    }

    @Test
    void closeDuringARetryWait_keepsThePosition_soARestartDeliversAgain() throws Exception {
        Path positions = temp.resolve("positions.json");
        FunctionSpec.StreamSubscription patient = subscription(-1);
        try (StreamConsumer consumer = StreamConsumer.start("TestFunction", patient, aws.dynamoDbStreams(), streamArn, event -> {
            batches.add(List.of("failing"));
            throw new IllegalStateException("down");
        }, StreamCheckpoints.load(Optional.of(positions), streamArn), new StreamConsumer.Settings(Duration.ofMillis(50), Duration.ofSeconds(30),
                Duration.ofSeconds(30)), new OnFailureDestination(Optional.empty(), Clock.systemUTC()), log)) {
            put("a", "blue");
            await("the first failure", () -> !batches.isEmpty());
        }
        batches.clear();
        try (StreamConsumer consumer = start(patient, event -> ok(), Optional.of(positions), Optional.empty())) {
            await("a again", () -> delivered().contains("a"));
        }
    }
}
