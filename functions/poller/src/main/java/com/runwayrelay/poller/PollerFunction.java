package com.runwayrelay.poller;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.dynamodb.DynamoDbOwnershipStore;
import com.runwayrelay.aws.dynamodb.DynamoDbSubmittedClaims;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.aws.gateway.RunwayClientRealtime;
import com.runwayrelay.aws.log.JsonLog;
import com.runwayrelay.aws.metrics.EmfMetrics;
import com.runwayrelay.aws.runway.RunwayCallLimits;
import com.runwayrelay.aws.runway.RunwayClients;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.admin.InterruptedCreates;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.metrics.MeteredTaskRepository;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.domain.owned.RealtimePricing;
import com.runwayrelay.domain.owned.RealtimeSessions;
import com.runwayrelay.domain.owned.SessionSettlementPass;
import com.runwayrelay.domain.poll.PollLog;
import com.runwayrelay.domain.poll.Poller;
import com.runwayrelay.domain.poll.SubmittedClaims;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.gateway.RunwayClientGateway;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Composition root of the poller: reads the configuration and wires the use case, once. */
public final class PollerFunction {
    /**
     * One Runway call must fit well inside a lease and the run's closing margin: a short timeout
     * and one retry; a longer retry-after is not slept through but becomes the task's next due time.
     */
    static final RunwayCallLimits RUNWAY_LIMITS = new RunwayCallLimits(Duration.ofSeconds(5), Duration.ofSeconds(15),
            1, Duration.ofSeconds(5));

    /**
     * The SDK's URLConnection client keeps at most this many idle connections per host (JDK default
     * 5). The workers talk to DynamoDB concurrently; with the default, all but five connections are
     * closed after each call and the next call opens (and over TLS, negotiates) a new one.
     */
    static final String KEEP_ALIVE_PROPERTY = "http.maxConnections";

    private PollerFunction() {
    }

    /**
     * The value to give {@value #KEEP_ALIVE_PROPERTY} so every worker can keep its connection: the
     * concurrency plus room for the run's own queries; nothing when it is already set. Takes effect
     * only before the first URLConnection is opened, which is why the composition root sets it first.
     */
    static Optional<String> keptConnections(String current, int concurrency) {
        return current != null ? Optional.empty() : Optional.of(Integer.toString(concurrency + 8));
    }

    /** The scheduled run the handler invokes, wired from {@code env} (the process environment in Lambda). */
    public static BiFunction<ScheduledEvent, Context, Map<String, Object>> fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, Clock.systemUTC());
    }

    /** As {@link #fromEnvironment(Map)}, on a clock chosen by a test. */
    static BiFunction<ScheduledEvent, Context, Map<String, Object>> fromEnvironment(Map<String, String> env,
                                                                                  Clock clock) {
        PollerConfig config = PollerConfig.from(new Env(env));
        EmfMetrics metrics = EmfMetrics.fromEnvironment(env);
        keptConnections(System.getProperty(KEEP_ALIVE_PROPERTY), config.policy().concurrency())
                .ifPresent(value -> System.setProperty(KEEP_ALIVE_PROPERTY, value));
        AwsClients aws = new AwsClients(AwsSettings.from(env));
        DynamoDbClient dynamo = aws.dynamoDb();
        RunwayClient client = RunwayClients.create(config.runway(), aws, RUNWAY_LIMITS, metrics);
        UsageLedger ledger = new DynamoDbUsageLedger(dynamo, config.table());
        DynamoDbOwnershipStore owned = new DynamoDbOwnershipStore(dynamo, config.table());
        SessionSettlementPass sessions = new RealtimeSessions(owned,
                new RunwayClientRealtime(client), ledger, new RealtimePricing(config.realtimeCreditsPerSecond()), clock)
                .settlementPass();
        return metrics.flushingAfter(create(config,
                new MeteredTaskRepository(new DynamoDbTaskRepository(dynamo, config.table(), config.dueShards()), metrics),
                new DynamoDbSubmittedClaims(dynamo, config.table()),
                new RunwayClientGateway(client),
                ledger,
                clock, JsonLog.currentStandardOutput(), PollLog.silent(), metrics, sessions,
                new InterruptedCreates(owned, clock)));
    }

    /**
     * The scheduled run over the given ports: for tests, the local stack and the benchmarks.
     * SUBMITTED tasks are claimed through {@code tasks} (a read and a conditional write).
     */
    public static BiFunction<ScheduledEvent, Context, Map<String, Object>> create(
            PollerConfig config, TaskRepository tasks, RunwayGateway runway, UsageLedger ledger, Clock clock,
            PrintStream out) {
        return create(config, tasks, SubmittedClaims.over(tasks), runway, ledger, clock, out);
    }

    /** As {@link #create(PollerConfig, TaskRepository, RunwayGateway, UsageLedger, Clock, PrintStream)}, with one-step claims. */
    public static BiFunction<ScheduledEvent, Context, Map<String, Object>> create(
            PollerConfig config, TaskRepository tasks, SubmittedClaims claims, RunwayGateway runway,
            UsageLedger ledger, Clock clock, PrintStream out) {
        return create(config, tasks, claims, runway, ledger, clock, out, PollLog.silent());
    }

    /** As above, with {@code observer} told every event of the run besides the JSON log (for the benchmarks). */
    public static BiFunction<ScheduledEvent, Context, Map<String, Object>> create(
            PollerConfig config, TaskRepository tasks, SubmittedClaims claims, RunwayGateway runway,
            UsageLedger ledger, Clock clock, PrintStream out, PollLog observer) {
        return create(config, tasks, claims, runway, ledger, clock, out, observer, Metrics.none());
    }

    /** As above, recording the run's poll lag and stuck tasks in {@code metrics}. */
    public static BiFunction<ScheduledEvent, Context, Map<String, Object>> create(
            PollerConfig config, TaskRepository tasks, SubmittedClaims claims, RunwayGateway runway,
            UsageLedger ledger, Clock clock, PrintStream out, PollLog observer, Metrics metrics) {
        return create(config, tasks, claims, runway, ledger, clock, out, observer, metrics, null);
    }

    /**
     * As above, with the realtime sessions' settlement pass run first in every invocation
     * ({@link ScheduledPoll}); null runs none.
     */
    public static BiFunction<ScheduledEvent, Context, Map<String, Object>> create(
            PollerConfig config, TaskRepository tasks, SubmittedClaims claims, RunwayGateway runway,
            UsageLedger ledger, Clock clock, PrintStream out, PollLog observer, Metrics metrics,
            SessionSettlementPass sessions) {
        return create(config, tasks, claims, runway, ledger, clock, out, observer, metrics, sessions, null);
    }

    /**
     * As above, with the sweep that reports create intents no create finished ({@link InterruptedCreates})
     * run after the settlement pass in every invocation; null runs none.
     */
    public static BiFunction<ScheduledEvent, Context, Map<String, Object>> create(
            PollerConfig config, TaskRepository tasks, SubmittedClaims claims, RunwayGateway runway,
            UsageLedger ledger, Clock clock, PrintStream out, PollLog observer, Metrics metrics,
            SessionSettlementPass sessions, InterruptedCreates intents) {
        JsonLinePollLog log = new JsonLinePollLog(new ObjectMapper(), out);
        Poller poller = new Poller(tasks, claims, runway, ledger, config.policy(), clock, PollLog.both(log, observer),
                metrics, config.stuckAfter());
        return new ScheduledPoll(poller, config.runSeconds(), clock, log, sessions, intents, metrics);
    }
}
