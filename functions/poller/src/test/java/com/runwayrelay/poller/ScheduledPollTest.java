package com.runwayrelay.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.config.RunwaySettings;
import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskRepository.DueTask;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.InterceptingTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.memory.ScriptedRunwayGateway;
import com.runwayrelay.domain.poll.PollLog;
import com.runwayrelay.domain.poll.PollPolicy;
import com.runwayrelay.domain.poll.SubmittedClaims;
import com.runwayrelay.domain.runway.RunwayGateway.ReadOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.RunwayTask;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ScheduledPollTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(8);
    private final ScriptedRunwayGateway runway = new ScriptedRunwayGateway();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private PollerHandler handler(Duration runLength) {
        return handler(runLength, Clock.systemUTC());
    }

    private PollerHandler handler(Duration runLength, Clock clock) {
        return new PollerHandler(PollerFunction.create(config(runLength), tasks, runway, new InMemoryUsageLedger(),
                clock, new PrintStream(out, true, StandardCharsets.UTF_8)));
    }

    private static PollerConfig config(Duration runLength) {
        return new PollerConfig("relay-tasks",
                new RunwaySettings(URI.create("http://127.0.0.1:9"), Optional.empty(), Optional.of("key")),
                runLength, 8, PollPolicy.builder().idlePause(Duration.ofMillis(20)).build());
    }

    /**
     * Runs the handler on a clock that stands still: once {@code ready} holds, the clock is put 1 ms
     * before {@code window} and the run must still be sweeping; then at {@code window}, and the run
     * must end. Nothing depends on how fast the machine is; the waits are hang guards.
     */
    private Map<String, Object> runThroughWindow(Duration runLength, FakeContext context, BooleanSupplier ready,
                                                 Duration window) throws Exception {
        ManualClock clock = new ManualClock(Instant.now());
        Instant start = clock.instant();
        InterceptingTaskRepository counting = new InterceptingTaskRepository(tasks);
        PollerHandler handler = new PollerHandler(PollerFunction.create(config(runLength), counting,
                SubmittedClaims.over(counting), runway, new InMemoryUsageLedger(), clock,
                new PrintStream(out, true, StandardCharsets.UTF_8), PollLog.silent()));
        CompletableFuture<Map<String, Object>> run = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                run.complete(handler.handleRequest(everyMinute(), context));
            } catch (Throwable e) {
                run.completeExceptionally(e);
            }
        });
        // The run has read its start from the clock once it sweeps.
        awaitCondition(() -> counting.dueQueries() > 0 && ready.getAsBoolean(), HANG_GUARD);

        clock.set(start.plus(window).minusMillis(1));
        int before = counting.dueQueries();
        // Two sweeps' worth of index queries: at least one whole sweep began after the clock moved.
        awaitCondition(() -> counting.dueQueries() >= before + 2 * counting.shards(), HANG_GUARD);
        assertFalse(run.isDone(), "the run ended before " + window);
        clock.set(start.plus(window));

        return run.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    private static ScheduledEvent everyMinute() {
        return EventLoader.loadEvent("../../events/poller/scheduler-every-minute.json", ScheduledEvent.class);
    }

    private List<JsonNode> logLines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private Task submittedTask(String runwayId) {
        Instant created = Instant.now().minusSeconds(30);
        Task task = Task.accepted("t-" + runwayId, "app1", "text_to_image", "gen4_image",
                        "{\"promptText\":\"secret prompt\"}", 5, created)
                .state(TaskState.SUBMITTED).runwayTaskId(runwayId).runwayStatus(RunwayStatus.PENDING)
                .metadataJson("{\"user\":\"private\"}")
                .attempts(List.of(new Attempt(1, runwayId, created, AttemptOutcome.CREATED, null, null)))
                .dueAt(Instant.now().minusSeconds(1)).build();
        tasks.insert(task);
        return task;
    }

    @Test
    void runsForTheConfiguredLength_andReturnsTheSummary() throws Exception {
        Task task = submittedTask("rw-1");
        runway.answer("rw-1", new ReadOutcome.Found(new RunwayTask("rw-1", RunwayStatus.RUNNING, 0.5, List.of(), null, null, null)));

        Map<String, Object> summary = runThroughWindow(Duration.ofSeconds(1), FakeContext.standingStill("req-1",
                Duration.ofSeconds(60)), () -> RunwayStatus.RUNNING == tasks.find(task.id()).orElseThrow().runway().status(),
                Duration.ofSeconds(1));

        assertEquals("poller-req-1", summary.get("runId"));
        assertEquals(1L, summary.get("claimed"));
        assertEquals(1L, summary.get("advanced"));
        assertEquals(RunwayStatus.RUNNING, tasks.find(task.id()).orElseThrow().runway().status());
    }

    @Test
    void stopsClaimingEarly_whenTheLambdaHasLessTimeLeftThanTheRunLength() throws Exception {
        // 500 ms of claiming, not the 50 s run length: the run ends when the clock reaches 500 ms.
        Map<String, Object> summary = runThroughWindow(Duration.ofSeconds(50),
                FakeContext.standingStill("req-2", ScheduledPoll.CLAIM_MARGIN.plusMillis(500)), () -> true, Duration.ofMillis(500));

        assertEquals(0L, summary.get("claimed"));
    }

    @Test
    void claimsNothing_whenTheLambdaIsAlreadyOutOfTime() {
        submittedTask("rw-late");

        Map<String, Object> summary = handler(Duration.ofSeconds(50))
                .handleRequest(everyMinute(), new FakeContext("req-3", Duration.ofSeconds(2)));

        assertEquals(0L, summary.get("claimed"));
        assertNull(tasks.find("t-rw-late").orElseThrow().leaseOwner());
    }

    @Test
    void logsOneLinePerTransitionAndOnePerRun_withoutRequestContent() throws Exception {
        Task task = submittedTask("rw-2");
        runway.answer("rw-2", new ReadOutcome.Found(new RunwayTask("rw-2", RunwayStatus.FAILED, null, List.of(), 0L,
                "Your prompt 'secret prompt' was flagged", "SAFETY.INPUT.TEXT")));

        // The run's clock stands still until the task is failed, then passes the run length: a
        // real 300 ms run could end before its first claim on a loaded machine.
        ManualClock clock = new ManualClock(Instant.now());
        Thread.ofVirtual().start(() -> {
            awaitCondition(() -> tasks.find(task.id()).orElseThrow().state() == TaskState.FAILED, HANG_GUARD);
            clock.advance(Duration.ofMillis(300));
        });

        handler(Duration.ofMillis(300), clock).handleRequest(everyMinute(), new FakeContext("req-4", Duration.ofSeconds(60)));

        List<JsonNode> lines = logLines();
        assertEquals(2, lines.size(), lines.toString());
        JsonNode transition = lines.get(0);
        assertEquals("poller.transition", transition.get("event").asText());
        assertEquals(task.id(), transition.get("taskId").asText());
        assertEquals("SUBMITTED", transition.get("from").asText());
        assertEquals("FAILED", transition.get("to").asText());
        assertEquals("SAFETY.INPUT.TEXT", transition.get("failureCode").asText());
        JsonNode run = lines.get(1);
        assertEquals("poller.run", run.get("event").asText());
        assertEquals(1, run.get("claimed").asInt());
        assertEquals(1, run.get("transitions").asInt());
        assertTrue(run.has("durationMs") && run.has("peakInFlight") && run.has("skipped"));
        String all = out.toString(StandardCharsets.UTF_8);
        assertFalse(all.contains("secret prompt") || all.contains("private"), all);
    }

    /** Waits until {@code condition} holds or {@code limit} (a hang guard) has passed, whichever comes first. */
    private static void awaitCondition(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
