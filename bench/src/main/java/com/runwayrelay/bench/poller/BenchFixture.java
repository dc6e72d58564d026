package com.runwayrelay.bench.poller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.dynamodb.TaskItems;
import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.runway.Json;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.RunwayException;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.testkit.aws.AwsEmulators;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Setting up a benchmark: Runway tasks at the simulator, task items in DynamoDB Local, clients. */
final class BenchFixture {
    static final String MODEL = "gen4_image";
    static final String ENDPOINT = "text_to_image";
    private static final int BATCH = 25;

    /**
     * The system clock until {@code done} holds, then {@code skip} ahead of it: an invocation whose
     * claim window is {@code skip} long ends as soon as its work is done. The smoke tests use it so
     * that the window is only a hang guard; the benchmarks themselves run their windows out.
     */
    static Clock endingOnce(BooleanSupplier done, Duration skip) {
        return new Clock() {
            @Override
            public Instant instant() {
                Instant now = Instant.now();
                return done.getAsBoolean() ? now.plus(skip) : now;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
    }

    private BenchFixture() {
    }

    static String request(String prompt) {
        return Json.MAPPER.createObjectNode().put("model", MODEL).put("promptText", prompt).put("ratio", "1920:1080")
                .toString();
    }

    /** Creates {@code count} Runway tasks at the simulator, {@code parallel} at a time; returns their ids. */
    static List<String> createAtRunway(RunwaySimulator sim, int count, int parallel) throws Exception {
        try (RunwayClient client = RunwayClient.builder().baseUri(sim.baseUri()).apiKey(sim.apiKey()).build();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore permits = new Semaphore(parallel);
            List<Future<String>> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ObjectNode body = (ObjectNode) Json.MAPPER.readTree(request("a lighthouse at dusk " + i));
                permits.acquire();
                ids.add(pool.submit(() -> {
                    try {
                        return createOne(client, body);
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<String> result = new ArrayList<>(count);
            for (Future<String> id : ids) {
                result.add(id.get());
            }
            return result;
        }
    }

    /**
     * One create, tried again when the connection failed: a bench only needs a task per entry, and a
     * stray extra task at the simulator changes nothing it measures.
     */
    private static String createOne(RunwayClient client, ObjectNode body) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.createTask(ENDPOINT, body).id();
            } catch (RunwayException.Ambiguous | RunwayException.Transient e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** A SUBMITTED task tracking {@code runwayId}, due at {@code dueAt}. */
    static Task submitted(String runwayId, Instant dueAt) {
        Instant created = dueAt.minusSeconds(10);
        return Task.accepted(UUID.randomUUID().toString(), "bench-app", ENDPOINT, MODEL, request("bench"), 5, created)
                .state(TaskState.SUBMITTED).version(3).runwayTaskId(runwayId).runwayStatus(RunwayStatus.PENDING)
                .attempts(List.of(new Attempt(1, runwayId, created, AttemptOutcome.CREATED, null, null)))
                .dueAt(dueAt).build();
    }

    /** A finished (ARCHIVED) task: not in the due index. */
    static Task finished(int n, Instant at) {
        return Task.accepted(UUID.randomUUID().toString(), "bench-app", ENDPOINT, MODEL, request("done " + n), 5, at)
                .state(TaskState.ARCHIVED).version(6).runwayTaskId(UUID.randomUUID().toString())
                .runwayStatus(RunwayStatus.SUCCEEDED).progress(1.0).actualCredits(5L).dueAt(null).build();
    }

    /** Writes tasks with BatchWriteItem, {@code writers} batches at a time; retries unprocessed items. */
    static void load(DynamoDbClient dynamo, String table, int shards, List<Task> tasks, int writers)
            throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore permits = new Semaphore(writers);
            List<Future<?>> done = new ArrayList<>();
            for (int from = 0; from < tasks.size(); from += BATCH) {
                List<WriteRequest> batch = tasks.subList(from, Math.min(tasks.size(), from + BATCH)).stream()
                        .map(t -> WriteRequest.builder()
                                .putRequest(PutRequest.builder().item(TaskItems.toItem(t, shards)).build()).build())
                        .toList();
                permits.acquire();
                done.add(pool.submit(() -> {
                    try {
                        writeAll(dynamo, table, batch);
                    } finally {
                        permits.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    private static void writeAll(DynamoDbClient dynamo, String table, List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = Map.of(table, batch);
        while (!pending.isEmpty() && !pending.getOrDefault(table, List.of()).isEmpty()) {
            BatchWriteItemResponse response = dynamo.batchWriteItem(BatchWriteItemRequest.builder()
                    .requestItems(pending).build());
            pending = response.unprocessedItems();
        }
    }

    /** A DynamoDB client for the emulator whose calls {@code calls} counts. */
    static DynamoDbClient countingClient(AwsEmulators aws, DynamoCalls calls) {
        return DynamoDbClient.builder()
                .endpointOverride(aws.dynamoEndpoint())
                .region(aws.region())
                .credentialsProvider(aws.credentials())
                .httpClient(UrlConnectionHttpClient.builder().build())
                .overrideConfiguration(c -> c.addExecutionInterceptor(calls))
                .build();
    }

    /** The table's item count as DynamoDB reports it (DescribeTable; DynamoDB Local keeps it current). */
    static long itemCount(DynamoDbClient dynamo, String table) {
        return dynamo.describeTable(b -> b.tableName(table)).table().itemCount();
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
