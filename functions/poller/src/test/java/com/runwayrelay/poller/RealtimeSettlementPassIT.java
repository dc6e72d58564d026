package com.runwayrelay.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.runwayrelay.aws.config.RunwaySettings;
import com.runwayrelay.aws.dynamodb.DynamoDbOwnershipStore;
import com.runwayrelay.aws.dynamodb.DynamoDbSubmittedClaims;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.aws.gateway.RunwayClientRealtime;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.domain.owned.Ownership;
import com.runwayrelay.domain.owned.RealtimePricing;
import com.runwayrelay.domain.owned.RealtimeSessions;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.poll.PollLog;
import com.runwayrelay.domain.poll.PollPolicy;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.gateway.RunwayClientGateway;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poller's realtime settlement pass against DynamoDB Local (the real ownership store, its due-index
 * shard, the real usage ledger) and the Runway simulator, on one manual clock: a session the app never
 * reads again after it ends is settled by a scheduled invocation once its maxDuration has passed, once.
 */
@WithAwsEmulators
class RealtimeSettlementPassIT {
    private static final String APP = "app-realtime-it";
    private final AwsEmulators aws;
    private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    private final Instant createdAt = clock.instant();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private RunwaySimulator sim;
    private RunwayClient client;

    RealtimeSettlementPassIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        aws.resetData();
        sim = RunwaySimulator.start(SimulatorConfig.builder().clock(clock).pendingDuration(Duration.ofSeconds(1)).build());
        client = RunwayClient.builder().baseUri(sim.baseUri()).apiKey(sim.apiKey())
                .requestTimeout(PollerFunction.RUNWAY_LIMITS.requestTimeout()).maxRetries(1).build();
    }

    @AfterEach
    void stop() {
        client.close();
        sim.close();
    }

    private RealtimeSessions sessions() {
        return new RealtimeSessions(new DynamoDbOwnershipStore(aws.dynamoDb(), aws.tableName()),
                new RunwayClientRealtime(client), ledger(), new RealtimePricing(1), clock);
    }

    private UsageLedger ledger() {
        return new DynamoDbUsageLedger(aws.dynamoDb(), aws.tableName());
    }

    private PollerHandler poller() {
        PollerConfig config = new PollerConfig(aws.tableName(),
                new RunwaySettings(sim.baseUri(), Optional.empty(), Optional.of(sim.apiKey())),
                Duration.ofSeconds(20), 8, PollPolicy.builder().build());
        return new PollerHandler(PollerFunction.create(config,
                new DynamoDbTaskRepository(aws.dynamoDb(), aws.tableName(), 8),
                new DynamoDbSubmittedClaims(aws.dynamoDb(), aws.tableName()), new RunwayClientGateway(client), ledger(),
                clock, new PrintStream(logs, true, StandardCharsets.UTF_8), PollLog.silent(), Metrics.none(),
                sessions().settlementPass()));
    }

    /** One scheduled invocation; with under 10 s left it claims no task, so the manual clock never has to move. */
    private void invoke(PollerHandler handler) {
        ScheduledEvent event = EventLoader.loadEvent("../../events/poller/scheduler-every-minute.json",
                ScheduledEvent.class);
        handler.handleRequest(event, FakeContext.standingStill(UUID.randomUUID().toString(), Duration.ofSeconds(5)));
    }

    /** The credits of the day the session was created on (the day its reservation counts against). */
    private long used() {
        return ledger().usage(APP, UsageLedger.dayOf(createdAt)).usedCredits();
    }

    @Test
    void settlesASessionThatEndedUnread_onceItsMaxDurationHasPassed_andOnlyOnce() {
        RealtimeSessions.Outcome created = sessions().create(APP, 10_000, 5, new RealtimeSessions.Request(
                "{\"model\":\"gwm1_avatars\",\"avatar\":{\"type\":\"runway-preset\",\"presetId\":\"influencer\"},"
                        + "\"maxDuration\":60}", 60, "runway-preset", "influencer"));
        String id = assertInstanceOf(RealtimeSessions.Outcome.Created.class, created).id();
        assertEquals(60, used(), "maxDuration × 1 credit reserved");
        sim.completeRealtimeSession(id, 12.5);
        PollerHandler poller = poller();

        clock.advance(Duration.ofSeconds(59));
        invoke(poller);
        assertEquals(60, used(), "not due before its maxDuration has passed");
        assertEquals(0, sim.requestCount("GET", "/v1/realtime_sessions/" + id));

        clock.advance(Duration.ofSeconds(1));
        invoke(poller);
        assertEquals(13, used(), "settled at 13 started seconds without any read by the app");
        Ownership record = new DynamoDbOwnershipStore(aws.dynamoDb(), aws.tableName())
                .find(ResourceKind.REALTIME_SESSIONS, id).orElseThrow();
        assertNull(record.charge());
        assertEquals(12.5, record.measuredSeconds());
        assertEquals(0, ledger().activeSlots(APP).size(), "its slot is free");
        String log = logs.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("\"event\":\"poller.sessions\"") && log.contains("\"settled\":1"), log);

        clock.advance(Duration.ofHours(2));
        invoke(poller);
        assertEquals(1, sim.requestCount("GET", "/v1/realtime_sessions/" + id), "never looked at again");
        assertEquals(13, used());
        assertInstanceOf(RealtimeSessions.Outcome.Session.class, sessions().get(APP, id));
        assertEquals(13, used(), "the app's later read changes nothing");
    }
}
