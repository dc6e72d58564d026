package com.runwayrelay.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.config.RunwaySettings;
import com.runwayrelay.domain.admin.InterruptedCreates;
import com.runwayrelay.domain.admin.Orphans;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.memory.ScriptedRunwayGateway;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.metrics.memory.RecordingMetrics;
import com.runwayrelay.domain.owned.CreateIntent;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.owned.memory.InMemoryOwnershipStore;
import com.runwayrelay.domain.poll.PollLog;
import com.runwayrelay.domain.poll.PollPolicy;
import com.runwayrelay.domain.poll.SubmittedClaims;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The poller's sweep of create intents no create finished: reported once per intent, as an error-level
 * {@code <kind>.interrupted_create} line and one {@code PossibleOrphans} for the kind, on a manual clock.
 */
class InterruptedCreatesPollTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-04T06:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryOwnershipStore store = new InMemoryOwnershipStore();
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(8);
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private PollerHandler handler() {
        PollerConfig config = new PollerConfig("relay-tasks",
                new RunwaySettings(URI.create("http://127.0.0.1:9"), Optional.empty(), Optional.of("key")),
                Duration.ofSeconds(20), 8, PollPolicy.builder().build());
        return new PollerHandler(PollerFunction.create(config, tasks, SubmittedClaims.over(tasks), new ScriptedRunwayGateway(),
                new InMemoryUsageLedger(), clock, new PrintStream(out, true, StandardCharsets.UTF_8), PollLog.silent(),
                metrics, null, new InterruptedCreates(store, clock)));
    }

    /** One scheduled invocation; with under 10 s left it claims no task, so the manual clock never has to move. */
    private void invoke(PollerHandler handler) {
        ScheduledEvent event = EventLoader.loadEvent("../../events/poller/scheduler-every-minute.json", ScheduledEvent.class);
        handler.handleRequest(event, FakeContext.standingStill(UUID.randomUUID().toString(), Duration.ofSeconds(5)));
    }

    private List<JsonNode> lines(String event) {
        return Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> !l.isBlank()).map(l -> {
            try {
                return JSON.readTree(l);
            } catch (java.io.IOException e) {
                throw new AssertionError(l, e);
            }
        }).filter(n -> n.path("event").asText().equals(event)).toList();
    }

    @Test
    void reportsAnInterruptedCreateOnce_asAnErrorLineAndAPossibleOrphan() {
        store.recordIntent(new CreateIntent("i-1", ResourceKind.AVATARS, "app_a", "host", T0, null));
        PollerHandler poller = handler();

        clock.advance(Orphans.SETTLE.minusSeconds(1));
        invoke(poller);
        assertTrue(lines("avatars.interrupted_create").isEmpty(), "a create may still be running");
        assertTrue(metrics.of(RelayMetric.POSSIBLE_ORPHANS).isEmpty());

        clock.advance(Duration.ofSeconds(1));
        invoke(poller);
        List<JsonNode> reported = lines("avatars.interrupted_create");
        assertEquals(1, reported.size(), out.toString(StandardCharsets.UTF_8));
        JsonNode line = reported.getFirst();
        assertEquals("ERROR", line.get("level").asText());
        assertEquals("app_a", line.get("appId").asText());
        assertEquals("avatars", line.get("kind").asText());
        assertEquals("host", line.get("name").asText());
        assertEquals(T0.toString(), line.get("startedAt").asText());
        assertEquals("i-1", line.get("intentId").asText());
        assertEquals(List.of(new RecordingMetrics.Recorded(RelayMetric.POSSIBLE_ORPHANS, 1, List.of("avatars"))),
                metrics.of(RelayMetric.POSSIBLE_ORPHANS));

        clock.advance(Duration.ofMinutes(5));
        invoke(poller);
        invoke(handler());
        assertEquals(1, lines("avatars.interrupted_create").size(), "reported once, whichever invocation comes next");
        assertEquals(1, metrics.of(RelayMetric.POSSIBLE_ORPHANS).size());
    }

    @Test
    void stillRunsTheTasks_whenTheSweepFails() {
        store.recordIntent(new CreateIntent("i-1", ResourceKind.DOCUMENTS, "app_a", "faq", T0, null));
        store.failIntents(new IllegalStateException("table unreachable"));
        clock.advance(Duration.ofHours(1));

        invoke(handler());

        List<JsonNode> problems = lines("poller.problem");
        assertEquals(1, problems.size(), out.toString(StandardCharsets.UTF_8));
        JsonNode problem = problems.getFirst();
        assertEquals("i-1", problem.path("intentId").asText(), "the problem names the intent whose claim failed");
        assertEquals("documents", problem.path("kind").asText());
        assertEquals("app_a", problem.path("appId").asText());
        assertEquals(IllegalStateException.class.getName(), problem.path("error").asText());
        assertFalse(lines("poller.run").isEmpty(), "the tasks' run went on");
        assertTrue(metrics.of(RelayMetric.POSSIBLE_ORPHANS).isEmpty());
    }
}
