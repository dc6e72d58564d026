package com.runwayrelay.bench.poller;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.runwayrelay.aws.config.RunwaySettings;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.poll.PollPolicy;
import com.runwayrelay.aws.dynamodb.DynamoDbSubmittedClaims;
import com.runwayrelay.poller.PollerConfig;
import com.runwayrelay.poller.PollerFunction;
import com.runwayrelay.poller.PollerHandler;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.gateway.RunwayClientGateway;
import com.runwayrelay.simulator.ModelLimits;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A big table of finished tasks and a few active ones: what one poller cycle reads. The due index
 * holds only the active tasks, so the items read should follow them, not the table.
 *
 * <p>Arguments ({@code name=value}): {@code finished} (1000000), {@code active} (1000),
 * {@code writers} (parallel BatchWriteItem calls while loading, 16), {@code cycleSeconds} (10: long
 * enough for every active task to be advanced once; a task advanced early may be read a second time
 * 5 s later, which the output shows as reads beyond the distinct tasks).
 */
public final class FinishedTasksBenchmark {
    private static final int SHARDS = ActiveTasksBenchmark.SHARDS;
    private static final int CHUNK = 20_000;
    private static final int CONCURRENCY = 64;

    private FinishedTasksBenchmark() {
    }

    record Settings(int finished, int active, int writers, Duration cycle) {
        static Settings parse(String[] args) {
            BenchArgs a = new BenchArgs(args, Set.of("finished", "active", "writers", "cycleSeconds"));
            return new Settings(a.integer("finished", 1_000_000), a.integer("active", 1_000), a.integer("writers", 16),
                    Duration.ofSeconds(a.integer("cycleSeconds", 10)));
        }
    }

    /**
     * @param tableItems    items in the table (DescribeTable's ItemCount)
     * @param load          time to load the finished tasks
     * @param advanced      active tasks the cycle advanced
     * @param timeToAdvanceAll from the cycle's start to the last active task's first advance (null if not all)
     * @param dueEntries    due-index entries the cycle's queries returned (a task still in hand is returned
     *                      again by the next sweep)
     * @param distinctDueTasks distinct tasks among them
     * @param queryScanned  items DynamoDB examined for those queries ({@code ScannedCount})
     * @param getItems      items the cycle read by key (GetItem) plus items its claims returned (UpdateItem)
     * @param scans         Scan calls the cycle made (must be 0)
     */
    record Result(Settings settings, long tableItems, Duration load, int advanced, Duration timeToAdvanceAll,
                  long queries, long dueEntries, int distinctDueTasks, long queryScanned, long getItems, long scans,
                  Map<String, Object> summary) {
        long itemsRead() {
            return queryScanned + getItems;
        }

        @Override
        public String toString() {
            return String.format("""
                    finished=%d active=%d writers=%d cycleSeconds=%d
                    load of the finished tasks: %.1f s (%.0f items/s)
                    table items: %d
                    cycle: advanced %d of %d active (all within %s)
                    cycle: Query calls %d, due entries returned %d (%d distinct tasks), items examined (ScannedCount) %d
                    cycle: items read by key (GetItem + claims' UpdateItem) %d, Scan %d
                    items read / table items: %d / %d = %.4f %%
                    run summary: %s""",
                    settings.finished(), settings.active(), settings.writers(), settings.cycle().toSeconds(),
                    BenchFixture.seconds(load.toNanos()), settings.finished() / BenchFixture.seconds(load.toNanos()),
                    tableItems, advanced, settings.active(), timeToAdvanceAll == null ? "-"
                            : String.format("%.2f s", BenchFixture.seconds(timeToAdvanceAll.toNanos())), queries, dueEntries, distinctDueTasks, queryScanned, getItems, scans,
                    itemsRead(), tableItems, 100.0 * itemsRead() / tableItems, summary);
        }
    }

    public static void main(String[] args) throws Exception {
        ActiveTasksBenchmark.keepConnections(CONCURRENCY);
        System.out.println(run(Settings.parse(args), true));
    }

    static Result run(Settings settings, boolean progress) throws Exception {
        return run(settings, progress, false);
    }

    /**
     * As {@link #run(Settings, boolean)}; with {@code endOnceAllAdvanced}, the cycle ends as soon as
     * every active task advanced, its length then only a bound (the smoke test's).
     */
    static Result run(Settings settings, boolean progress, boolean endOnceAllAdvanced) throws Exception {
        SimulatorConfig simConfig = SimulatorConfig.builder()
                .pendingDuration(Duration.ofHours(1))
                .defaultLimits(ModelLimits.UNLIMITED)
                .creditBalance(1_000_000_000L)
                .build();
        try (RunwaySimulator sim = RunwaySimulator.start(simConfig);
             AwsEmulators aws = AwsEmulators.start();
             RunwayClient client = RunwayClient.builder().baseUri(sim.baseUri()).apiKey(sim.apiKey())
                     .requestTimeout(Duration.ofSeconds(15)).maxRetries(1).build()) {
            long loadStarted = System.nanoTime();
            Instant finishedAt = Instant.now().minus(Duration.ofDays(1));
            for (int from = 0; from < settings.finished(); from += CHUNK) {
                List<Task> chunk = new ArrayList<>(CHUNK);
                for (int i = from; i < Math.min(settings.finished(), from + CHUNK); i++) {
                    chunk.add(BenchFixture.finished(i, finishedAt));
                }
                BenchFixture.load(aws.dynamoDb(), aws.tableName(), SHARDS, chunk, settings.writers());
                if (progress && (from + CHUNK) % 100_000 == 0) {
                    System.out.printf("loaded %d finished tasks in %.0f s%n", from + CHUNK,
                            BenchFixture.seconds(System.nanoTime() - loadStarted));
                }
            }
            Duration load = BenchFixture.since(loadStarted);
            List<String> runwayIds = BenchFixture.createAtRunway(sim, settings.active(), 64);
            Instant due = Instant.now().minusSeconds(1);
            BenchFixture.load(aws.dynamoDb(), aws.tableName(), SHARDS,
                    runwayIds.stream().map(id -> BenchFixture.submitted(id, due)).toList(), settings.writers());
            long tableItems = BenchFixture.itemCount(aws.dynamoDb(), aws.tableName());

            DynamoCalls calls = new DynamoCalls();
            DynamoDbClient counted = BenchFixture.countingClient(aws, calls);
            AdvanceTracker tracker = new AdvanceTracker(new DynamoDbTaskRepository(counted, aws.tableName(), SHARDS));
            PollerConfig config = new PollerConfig(aws.tableName(),
                    new RunwaySettings(sim.baseUri(), Optional.empty(), Optional.of(sim.apiKey())),
                    settings.cycle(), SHARDS, PollPolicy.builder().concurrency(CONCURRENCY).requestsPerSecond(2_000).build());
            PollerHandler handler = new PollerHandler(PollerFunction.create(config, tracker,
                    new DynamoDbSubmittedClaims(counted, aws.tableName()), new RunwayClientGateway(client), new DynamoDbUsageLedger(aws.dynamoDb(), aws.tableName()),
                    endOnceAllAdvanced
                            ? BenchFixture.endingOnce(() -> tracker.advanced() >= settings.active(), settings.cycle())
                            : Clock.systemUTC(),
                    new PrintStream(OutputStream.nullOutputStream()), tracker));
            long started = System.nanoTime();
            Map<String, Object> summary = handler.handleRequest(new ScheduledEvent(), null);
            Duration all = tracker.advanced() == settings.active()
                    ? Duration.ofNanos(tracker.lastFirstAdvanceNanos() - started) : null;
            return new Result(settings, tableItems, load, tracker.advanced(), all, calls.calls("Query"),
                    calls.returnedItems(), tracker.distinctDueTasks(), calls.scannedItems(), calls.calls("GetItem") + calls.calls("UpdateItem"), calls.calls("Scan"), summary);
        }
    }
}
