package com.runwayrelay.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.runwayrelay.aws.config.RunwaySettings;
import com.runwayrelay.aws.dynamodb.DynamoDbOwnershipStore;
import com.runwayrelay.aws.dynamodb.DynamoDbSubmittedClaims;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.domain.admin.InterruptedCreates;
import com.runwayrelay.domain.admin.Orphans;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.memory.ScriptedRunwayGateway;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.metrics.memory.RecordingMetrics;
import com.runwayrelay.domain.owned.CreateIntent;
import com.runwayrelay.domain.owned.Documents;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.owned.RunwayDocuments;
import com.runwayrelay.domain.poll.PollLog;
import com.runwayrelay.domain.poll.PollPolicy;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A document create that stops between Runway's create and the ownership record, against DynamoDB Local
 * (the real ownership store, its due-index shard of intents): the next invocation after
 * {@link Orphans#SETTLE} reports it once, and the intent stays for the orphan scan's hint.
 */
@WithAwsEmulators
class InterruptedCreatesIT {
    private final AwsEmulators aws;
    private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final Instant startedAt = clock.instant();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final RecordingMetrics metrics = new RecordingMetrics();

    InterruptedCreatesIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeEach
    void reset() {
        aws.resetData();
    }

    private DynamoDbOwnershipStore store() {
        return new DynamoDbOwnershipStore(aws.dynamoDb(), aws.tableName());
    }

    /** Runway's documents where a create never comes back: the function stops while Runway creates. */
    private static final class StoppingRunway implements RunwayDocuments {
        @Override
        public Answer create(String name, String content) {
            throw new Error("the function timed out waiting for Runway");
        }

        @Override
        public Answer get(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Answer update(String id, String name, String content) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Answer delete(String id) {
            throw new UnsupportedOperationException();
        }
    }

    private PollerHandler poller() {
        PollerConfig config = new PollerConfig(aws.tableName(),
                new RunwaySettings(URI.create("http://127.0.0.1:9"), Optional.empty(), Optional.of("key")),
                Duration.ofSeconds(20), 8, PollPolicy.builder().build());
        return new PollerHandler(PollerFunction.create(config,
                new DynamoDbTaskRepository(aws.dynamoDb(), aws.tableName(), 8),
                new DynamoDbSubmittedClaims(aws.dynamoDb(), aws.tableName()), new ScriptedRunwayGateway(),
                new DynamoDbUsageLedger(aws.dynamoDb(), aws.tableName()), clock,
                new PrintStream(logs, true, StandardCharsets.UTF_8), PollLog.silent(), metrics, null,
                new InterruptedCreates(store(), clock)));
    }

    /** One scheduled invocation; with under 10 s left it claims no task, so the manual clock never has to move. */
    private void invoke(PollerHandler handler) {
        ScheduledEvent event = EventLoader.loadEvent("../../events/poller/scheduler-every-minute.json", ScheduledEvent.class);
        handler.handleRequest(event, FakeContext.standingStill(UUID.randomUUID().toString(), Duration.ofSeconds(5)));
    }

    private long reported() {
        return logs.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("\"event\":\"documents.interrupted_create\"")).count();
    }

    @Test
    void reportsACreateThatStoppedBeforeItsRecord_once_andKeepsItsIntent() {
        Documents documents = new Documents(store(), new StoppingRunway(), clock);
        assertThrows(Error.class, () -> documents.create("app_it", "handbook", "# handbook"));
        PollerHandler poller = poller();

        clock.advance(Orphans.SETTLE.minusSeconds(1));
        invoke(poller);
        assertEquals(0, reported());

        clock.advance(Duration.ofSeconds(1));
        invoke(poller);
        invoke(poller());
        assertEquals(1, reported(), logs.toString(StandardCharsets.UTF_8));
        String line = logs.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("documents.interrupted_create")).findFirst().orElseThrow();
        assertTrue(line.contains("\"appId\":\"app_it\"") && line.contains("\"name\":\"handbook\"")
                && line.contains("\"startedAt\":\"" + startedAt + "\""), line);
        assertEquals(List.of(new RecordingMetrics.Recorded(RelayMetric.POSSIBLE_ORPHANS, 1, List.of("documents"))),
                metrics.of(RelayMetric.POSSIBLE_ORPHANS));

        List<CreateIntent> kept = store().intentsStarted(ResourceKind.DOCUMENTS, startedAt, startedAt, 10);
        assertEquals(1, kept.size(), "kept for the orphan scan's hint");
        assertEquals("app_it", kept.getFirst().appId());
    }
}
