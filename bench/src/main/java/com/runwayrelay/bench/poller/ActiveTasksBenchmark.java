package com.runwayrelay.bench.poller;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.runwayrelay.aws.config.RunwaySettings;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.poll.PollPolicy;
import com.runwayrelay.domain.poll.SubmittedClaims;
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
 * Many active tasks, one poller invocation: how long until every task was advanced once, at what
 * rate, with how many in flight. Runway is the simulator with a fixed added latency per request;
 * the table is DynamoDB Local (or the in-memory repository, {@code store=memory}, to see the
 * poller's own ceiling).
 *
 * <p>Arguments ({@code name=value}): {@code tasks} (10000), {@code latencyMs} (100),
 * {@code concurrency} (64), {@code rate} (requests/s to Runway, 2000), {@code runSeconds} (30),
 * {@code store} ({@code dynamodb} or {@code memory}), {@code warmupTasks} (2000).
 *
 * <p>Before the measured invocation, an untimed warm-up invocation ({@link #WARMUP_RUN}) polls
 * {@code warmupTasks} other tasks, which are then taken out of the due index: the JIT has compiled
 * the poller's, the SDK's and DynamoDB Local's paths, as in a warm Lambda container talking to
 * DynamoDB, and the measured run sees only its own tasks.
 */
public final class ActiveTasksBenchmark {
    static final int SHARDS = 8;

    private ActiveTasksBenchmark() {
    }

    /**
     * @param tasks       active tasks, each with its own Runway task
     * @param latency     added by the simulator to every response
     * @param concurrency the poller's concurrency
     * @param rate        the poller's request cap towards Runway
     * @param runLength   the invocation's claim window
     * @param inMemory    the in-memory repository instead of DynamoDB Local
     * @param warmupTasks tasks polled by the untimed warm-up invocation (0: none)
     */
    record Settings(int tasks, Duration latency, int concurrency, int rate, Duration runLength, boolean inMemory,
                    int warmupTasks) {
        static Settings parse(String[] args) {
            BenchArgs a = new BenchArgs(args, Set.of("tasks", "latencyMs", "concurrency", "rate", "runSeconds",
                    "store", "warmupTasks"));
            String store = a.string("store", "dynamodb");
            if (!store.equals("dynamodb") && !store.equals("memory")) {
                throw new IllegalArgumentException("store must be dynamodb or memory");
            }
            return new Settings(a.integer("tasks", 10_000), Duration.ofMillis(a.integer("latencyMs", 100)),
                    a.integer("concurrency", 64), a.integer("rate", 2_000),
                    Duration.ofSeconds(a.integer("runSeconds", 30)), store.equals("memory"),
                    a.integer("warmupTasks", 2_000));
        }
    }

    /**
     * @param advanced          tasks advanced at least once by the invocation
     * @param timeToAdvanceAll  from the invocation's start to the last task's first advance (null if not all)
     * @param runwayReads       GET /v1/tasks requests the simulator served during the invocation
     * @param dynamoCalls       DynamoDB calls the poller made, per operation
     * @param summary           the invocation's own summary
     */
    record Result(Settings settings, int advanced, Duration timeToAdvanceAll, long runwayReads, String dynamoCalls,
                  Map<String, Object> summary, Duration setup) {
        double tasksPerSecond() {
            return timeToAdvanceAll == null ? 0 : advanced / BenchFixture.seconds(timeToAdvanceAll.toNanos());
        }

        @Override
        public String toString() {
            return String.format("""
                    store=%s tasks=%d latency=%dms concurrency=%d rate=%d/s runSeconds=%d warmupTasks=%d
                    setup (Runway creates + table load): %.1f s
                    advanced: %d of %d
                    time to advance all: %s
                    tasks/s: %.0f
                    peak in flight: %s
                    Runway reads: %d
                    DynamoDB calls: %s
                    run summary: %s""",
                    settings.inMemory() ? "memory" : "dynamodb-local", settings.tasks(), settings.latency().toMillis(),
                    settings.concurrency(), settings.rate(), settings.runLength().toSeconds(), settings.warmupTasks(),
                    BenchFixture.seconds(setup.toNanos()), advanced, settings.tasks(),
                    timeToAdvanceAll == null ? "not all advanced"
                            : String.format("%.2f s", BenchFixture.seconds(timeToAdvanceAll.toNanos())),
                    tasksPerSecond(), summary.get("peakInFlight"), runwayReads, dynamoCalls, summary);
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        keepConnections(settings.concurrency());
        System.out.println(run(settings));
    }

    /**
     * What the poller's composition root does at init: one kept-alive connection per worker (the
     * JDK keeps five per host by default). Must run before the first URLConnection is opened, so
     * before the emulators start.
     */
    static void keepConnections(int concurrency) {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(concurrency + 8));
        }
    }

    static Result run(Settings settings) throws Exception {
        return run(settings, false);
    }

    /**
     * As {@link #run(Settings)}; with {@code endOnceAllAdvanced}, each invocation ends as soon as
     * every task it was given advanced, its claim window then only a bound (the smoke test's).
     */
    static Result run(Settings settings, boolean endOnceAllAdvanced) throws Exception {
        SimulatorConfig simConfig = SimulatorConfig.builder()
                .pendingDuration(Duration.ofHours(1))
                .latency(settings.latency())
                .defaultLimits(ModelLimits.UNLIMITED)
                .creditBalance(1_000_000_000L)
                .build();
        try (RunwaySimulator sim = RunwaySimulator.start(simConfig);
             AwsEmulators aws = settings.inMemory() ? null : AwsEmulators.start();
             RunwayClient client = RunwayClient.builder().baseUri(sim.baseUri()).apiKey(sim.apiKey())
                     .requestTimeout(Duration.ofSeconds(15)).maxRetries(1).build()) {
            DynamoCalls calls = new DynamoCalls();
            TaskRepository repository;
            SubmittedClaims claims;
            UsageLedger ledger;
            if (aws == null) {
                repository = new InMemoryTaskRepository(SHARDS);
                claims = null;
                ledger = new InMemoryUsageLedger();
            } else {
                DynamoDbClient counted = BenchFixture.countingClient(aws, calls);
                repository = new DynamoDbTaskRepository(counted, aws.tableName(), SHARDS);
                claims = new DynamoDbSubmittedClaims(counted, aws.tableName());
                ledger = new DynamoDbUsageLedger(aws.dynamoDb(), aws.tableName());
            }
            Stage stage = new Stage(settings, sim, aws, repository, claims, ledger, client, endOnceAllAdvanced);

            if (settings.warmupTasks() > 0) {
                List<Task> warm = stage.load(settings.warmupTasks());
                stage.invoke(new AdvanceTracker(repository),
                        settings.runLength().compareTo(WARMUP_RUN) < 0 ? settings.runLength() : WARMUP_RUN,
                        settings.warmupTasks());
                stage.retire(warm);
            }

            long setupStarted = System.nanoTime();
            stage.load(settings.tasks());
            Duration setup = BenchFixture.since(setupStarted);

            AdvanceTracker tracker = new AdvanceTracker(repository);
            calls.reset();
            long readsBefore = sim.requestCount("GET", "/v1/tasks/");
            long started = System.nanoTime();
            Map<String, Object> summary = stage.invoke(tracker, settings.runLength(), settings.tasks());
            Duration all = tracker.advanced() == settings.tasks()
                    ? Duration.ofNanos(tracker.lastFirstAdvanceNanos() - started) : null;
            String dynamo = aws == null ? "-" : String.format("GetItem=%d UpdateItem=%d PutItem=%d Query=%d Scan=%d (HTTP requests %d, errors %d)",
                    calls.calls("GetItem"), calls.calls("UpdateItem"), calls.calls("PutItem"), calls.calls("Query"),
                    calls.calls("Scan"),
                    calls.transmissions(), calls.failures());
            return new Result(settings, tracker.advanced(), all, sim.requestCount("GET", "/v1/tasks/") - readsBefore,
                    dynamo, summary, setup);
        }
    }

    /** The claim window of the untimed warm-up invocation (at most the measured one's). */
    static final Duration WARMUP_RUN = Duration.ofSeconds(8);

    /** The pieces one benchmark run shares between the warm-up and the measured invocation. */
    private record Stage(Settings settings, RunwaySimulator sim, AwsEmulators aws, TaskRepository repository,
                         SubmittedClaims claims, UsageLedger ledger, RunwayClient client,
                         boolean endOnceAllAdvanced) {

        /** Creates {@code count} tasks at Runway and stores them SUBMITTED and due. */
        List<Task> load(int count) throws Exception {
            List<String> runwayIds = BenchFixture.createAtRunway(sim, count, 64);
            Instant due = Instant.now().minusSeconds(1);
            List<Task> tasks = new ArrayList<>(count);
            runwayIds.forEach(id -> tasks.add(BenchFixture.submitted(id, due)));
            if (aws == null) {
                tasks.forEach(repository::insert);
            } else {
                BenchFixture.load(aws.dynamoDb(), aws.tableName(), SHARDS, tasks, 16);
            }
            return tasks;
        }

        /**
         * One poller invocation, wired as in production, with {@code tracker} observing it; ended
         * early once {@code expected} tasks advanced when the stage says so.
         */
        Map<String, Object> invoke(AdvanceTracker tracker, Duration runLength, int expected) {
            Clock clock = endOnceAllAdvanced
                    ? BenchFixture.endingOnce(() -> tracker.advanced() >= expected, runLength) : Clock.systemUTC();
            PollPolicy policy = PollPolicy.builder().concurrency(settings.concurrency())
                    .requestsPerSecond(settings.rate()).build();
            PollerConfig config = new PollerConfig(aws == null ? "memory" : aws.tableName(),
                    new RunwaySettings(sim.baseUri(), Optional.empty(), Optional.of(sim.apiKey())),
                    runLength, SHARDS, policy);
            PollerHandler handler = new PollerHandler(PollerFunction.create(config, tracker,
                    claims == null ? SubmittedClaims.over(tracker) : claims,
                    new RunwayClientGateway(client), ledger, clock,
                    new PrintStream(OutputStream.nullOutputStream()), tracker));
            return handler.handleRequest(new ScheduledEvent(), null);
        }

        /** Takes the warm-up tasks out of the due index (CANCELLED), so the measured run sees only its own. */
        void retire(List<Task> tasks) {
            for (Task task : tasks) {
                while (true) {
                    Task current = repository.find(task.id()).orElseThrow();
                    Task retired = current.next(Instant.now()).state(TaskState.CANCELLED).dueAt(null)
                            .withoutLease().build();
                    if (repository.replace(current, retired)) {
                        break;
                    }
                }
            }
        }
    }
}
