package com.runwayrelay.bench.admin;

import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.dynamodb.TaskItems;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskPage;
import com.runwayrelay.domain.TaskQuery;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.TaskSummary;
import com.runwayrelay.testkit.aws.AwsEmulators;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Listing one app's newest tasks in a table full of other apps' tasks: what the admin list reads.
 * Loads {@code others} tasks of {@code otherApps} other apps (lean, realistic task items written by
 * the production mapping, {@link TaskItems#toItem}) and {@code own} tasks of the measured app spread
 * among them in time, then lists the measured app's {@code limit} newest tasks through the real
 * adapter ({@link DynamoDbTaskRepository#list}) {@code repeats} times, and follows the cursor to the
 * second page once. Every Query is counted with the items DynamoDB examined ({@code ScannedCount})
 * and the capacity it reports ({@code ReturnConsumedCapacity=TOTAL}, added to each request).
 *
 * <p>It also measures, once each, the first page of every app's tasks (the list index's two parts
 * merged) and the health report's read of unfinished tasks ({@code open} of the other apps' tasks are
 * left SUBMITTED, spread in time, all older than the threshold).
 *
 * <p>Arguments ({@code name=value}): {@code others} (1000000), {@code otherApps} (50), {@code own}
 * (500), {@code open} (1000), {@code limit} (50), {@code writers} (parallel BatchWriteItem calls, 16),
 * {@code repeats} (20).
 */
public final class TaskListBenchmark {
    private static final int BATCH = 25;
    private static final int SHARDS = 8;
    private static final String OWN_APP = "app_measured";
    private static final Instant NEWEST = Instant.parse("2026-12-03T00:00:00Z");
    private static final String REQUEST = "{\"model\":\"gen4_image\",\"promptText\":\"a lighthouse at dusk\",\"ratio\":\"1280:720\"}";

    private TaskListBenchmark() {
    }

    record Settings(int others, int otherApps, int own, int open, int limit, int writers, int repeats) {
        static Settings parse(String[] args) {
            Map<String, Integer> values = new HashMap<>(Map.of("others", 1_000_000, "otherApps", 50, "own", 500,
                    "open", 1_000, "limit", 50, "writers", 16, "repeats", 20));
            for (String arg : args) {
                String[] kv = arg.split("=", 2);
                if (kv.length != 2 || !values.containsKey(kv[0])) {
                    throw new IllegalArgumentException("unknown argument " + arg + "; known: " + values.keySet());
                }
                values.put(kv[0], Integer.parseInt(kv[1]));
            }
            return new Settings(values.get("others"), values.get("otherApps"), values.get("own"), values.get("open"),
                    values.get("limit"), values.get("writers"), values.get("repeats"));
        }
    }

    /**
     * What was measured.
     *
     * @param tableItems       items in the table (DescribeTable)
     * @param load             time to load them
     * @param pageCorrect      the first page held exactly the app's {@code limit} newest tasks, newest first, and
     *                         the second page the next ones
     * @param queriesPerPage   Query calls of one first-page list
     * @param scannedPerPage   index entries DynamoDB examined for one first-page list
     * @param capacityPerPage  read capacity DynamoDB reported for one first-page list
     * @param secondPageScanned index entries examined for the page after the cursor
     * @param medianMillis     median latency of a first-page list over the repeats
     * @param maxMillis        slowest of them
     * @param everyAppScanned  index entries examined for the first page of every app's tasks
     * @param openCount        unfinished tasks the health read counted
     * @param openScanned      index entries it examined (count and oldest 10)
     */
    record Result(Settings settings, long tableItems, Duration load, boolean pageCorrect, long queriesPerPage,
                  long scannedPerPage, double capacityPerPage, long secondPageScanned, double medianMillis,
                  double maxMillis, long everyAppScanned, long openCount, long openScanned) {
        String report() {
            return String.format("""
                    others=%d otherApps=%d own=%d open=%d limit=%d writers=%d repeats=%d
                    table items: %d, loaded in %.1f s (%.0f items/s)
                    first page correct (the app's %d newest, newest first; second page continues): %s
                    per first page: %d Query call(s), %d index entries examined, %.1f read capacity units
                    second page (cursor): %d index entries examined
                    latency of a first page: median %.1f ms, max %.1f ms
                    every app's first page: %d index entries examined
                    health: %d unfinished tasks counted, %d index entries examined
                    """, settings.others(), settings.otherApps(), settings.own(), settings.open(), settings.limit(),
                    settings.writers(),
                    settings.repeats(), tableItems, load.toMillis() / 1000.0,
                    tableItems / Math.max(0.001, load.toMillis() / 1000.0), settings.limit(), pageCorrect,
                    queriesPerPage, scannedPerPage, capacityPerPage, secondPageScanned, medianMillis, maxMillis,
                    everyAppScanned, openCount, openScanned);
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.print(run(Settings.parse(args), true).report());
    }

    static Result run(Settings settings, boolean progress) throws Exception {
        try (AwsEmulators aws = AwsEmulators.start()) {
            long started = System.nanoTime();
            List<Task> own = new ArrayList<>();
            int total = settings.others() + settings.own();
            // The measured app's tasks are spread evenly among the others in time.
            int ownEvery = settings.own() == 0 ? Integer.MAX_VALUE : Math.max(1, total / settings.own());
            int openEvery = settings.open() == 0 ? Integer.MAX_VALUE : Math.max(2, total / settings.open());
            int opened = 0;
            List<Task> chunk = new ArrayList<>();
            int loaded = 0;
            for (int i = 0; i < total; i++) {
                Instant createdAt = NEWEST.minusMillis((long) i * 1_500);
                boolean mine = own.size() < settings.own() && i % ownEvery == 0;
                boolean open = !mine && opened < settings.open() && i % openEvery == 1;
                Task task = open ? unfinished("app_other_" + (i % settings.otherApps()), createdAt)
                        : task(mine ? OWN_APP : "app_other_" + (i % settings.otherApps()), i, createdAt);
                opened += open ? 1 : 0;
                if (mine) {
                    own.add(task);
                }
                chunk.add(task);
                if (chunk.size() == 10_000 || i == total - 1) {
                    load(aws.dynamoDb(), aws.tableName(), chunk, settings.writers());
                    loaded += chunk.size();
                    chunk = new ArrayList<>();
                    if (progress && loaded % 100_000 == 0) {
                        System.out.printf("loaded %d tasks in %.0f s%n", loaded, (System.nanoTime() - started) / 1e9);
                    }
                }
            }
            Duration load = Duration.ofNanos(System.nanoTime() - started);
            long tableItems = aws.dynamoDb().describeTable(b -> b.tableName(aws.tableName())).table().itemCount();

            QueryMeter meter = new QueryMeter();
            try (DynamoDbClient metered = DynamoDbClient.builder()
                    .endpointOverride(aws.dynamoEndpoint()).region(aws.region()).credentialsProvider(aws.credentials())
                    .httpClient(UrlConnectionHttpClient.builder().build())
                    .overrideConfiguration(c -> c.addExecutionInterceptor(meter))
                    .build()) {
                DynamoDbTaskRepository repository = new DynamoDbTaskRepository(metered, aws.tableName(), SHARDS);
                TaskQuery query = new TaskQuery(OWN_APP, null, null, null, null, null, settings.limit(), null);
                List<String> expected = own.stream().sorted(Comparator.comparing(Task::createdAt).reversed())
                        .map(Task::id).toList();

                double[] millis = new double[settings.repeats()];
                TaskPage first = null;
                for (int r = 0; r < settings.repeats(); r++) {
                    meter.reset();
                    long t0 = System.nanoTime();
                    first = repository.list(query);
                    millis[r] = (System.nanoTime() - t0) / 1e6;
                }
                // The meter was reset before the last repeat: these are one list call's numbers.
                long queries = meter.queries.sum();
                long scanned = meter.scanned.sum();
                double capacity = meter.capacity.sum();
                meter.reset();
                TaskPage second = first.nextCursor() == null ? null : repository.list(query.withCursor(first.nextCursor()));
                long secondScanned = meter.scanned.sum();
                meter.reset();
                repository.list(new TaskQuery(null, null, null, null, null, null, settings.limit(), null));
                long everyAppScanned = meter.scanned.sum();
                meter.reset();
                long openCount = repository.openTasks(NEWEST.plusSeconds(3600), 10).count();
                long openScanned = meter.scanned.sum();

                int n = Math.min(settings.limit(), expected.size());
                List<String> firstIds = first.tasks().stream().map(TaskSummary::id).toList();
                boolean correct = firstIds.equals(expected.subList(0, n))
                        && (expected.size() <= n ? second == null || second.tasks().isEmpty()
                        : second.tasks().stream().map(TaskSummary::id).toList()
                                .equals(expected.subList(n, Math.min(expected.size(), 2 * n))));
                Arrays.sort(millis);
                return new Result(settings, tableItems, load, correct, queries, scanned, capacity, secondScanned,
                        millis[millis.length / 2], millis[millis.length - 1], everyAppScanned, openCount, openScanned);
            }
        }
    }

    /** A finished task as the gateway writes it: archived, one attempt, one output record. */
    private static Task task(String appId, int n, Instant createdAt) {
        Task accepted = Task.accepted(UUID.randomUUID().toString(), appId, "text_to_image", "gen4_image", REQUEST, 5,
                createdAt).build();
        return accepted.next(createdAt.plusSeconds(20)).state(TaskState.ARCHIVED).version(6)
                .runwayTaskId(UUID.randomUUID().toString()).runwayStatus(RunwayStatus.SUCCEEDED).actualCredits(5L).dueAt(null)
                .archive(List.of(new com.runwayrelay.domain.ArchiveRecord("outputs/" + appId + "/" + n + "/0.png",
                        1_234_567, "0".repeat(64), "image/png")))
                .build();
    }

    /** A task Runway is still working on: in the due index and the list index's open part. */
    private static Task unfinished(String appId, Instant createdAt) {
        return Task.accepted(UUID.randomUUID().toString(), appId, "text_to_image", "gen4_image", REQUEST, 5, createdAt)
                .state(TaskState.SUBMITTED).version(2).runwayTaskId(UUID.randomUUID().toString()).runwayStatus(RunwayStatus.RUNNING)
                .dueAt(createdAt.plusSeconds(5)).build();
    }

    private static void load(DynamoDbClient dynamo, String table, List<Task> tasks, int writers) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore permits = new Semaphore(writers);
            List<Future<?>> done = new ArrayList<>();
            for (int from = 0; from < tasks.size(); from += BATCH) {
                List<WriteRequest> batch = tasks.subList(from, Math.min(tasks.size(), from + BATCH)).stream()
                        .map(t -> WriteRequest.builder()
                                .putRequest(PutRequest.builder().item(TaskItems.toItem(t, SHARDS)).build()).build())
                        .toList();
                permits.acquire();
                done.add(pool.submit(() -> {
                    try {
                        Map<String, List<WriteRequest>> pending = Map.of(table, batch);
                        while (!pending.getOrDefault(table, List.of()).isEmpty()) {
                            pending = dynamo.batchWriteItem(BatchWriteItemRequest.builder().requestItems(pending).build())
                                    .unprocessedItems();
                        }
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

    /** Asks every Query for its consumed capacity and adds up what DynamoDB reports. */
    private static final class QueryMeter implements ExecutionInterceptor {
        final LongAdder queries = new LongAdder();
        final LongAdder scanned = new LongAdder();
        final DoubleAdder capacity = new DoubleAdder();

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (context.request() instanceof QueryRequest query) {
                return query.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            }
            return context.request();
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof QueryResponse query) {
                queries.increment();
                scanned.add(query.scannedCount());
                if (query.consumedCapacity() != null && query.consumedCapacity().capacityUnits() != null) {
                    capacity.add(query.consumedCapacity().capacityUnits());
                }
            }
        }

        void reset() {
            queries.reset();
            scanned.reset();
            capacity.reset();
        }
    }
}
