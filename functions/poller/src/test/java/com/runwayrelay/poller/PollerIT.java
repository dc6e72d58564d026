package com.runwayrelay.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.config.RunwaySettings;
import com.runwayrelay.aws.dynamodb.DynamoDbSubmittedClaims;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.memory.InterceptingTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.poll.PollPolicy;
import com.runwayrelay.domain.poll.Poller;
import com.runwayrelay.domain.runway.TaskCreation;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.gateway.RunwayClientGateway;
import com.runwayrelay.simulator.ModelLimits;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poller against DynamoDB Local and the Runway simulator. Most scenarios run on a clock ten
 * times faster than real time, shared by the poller and the simulator, so the real policy (5 s
 * between reads, 30 s for THROTTLED tasks, 60 s leases) plays out in seconds.
 */
@WithAwsEmulators
class PollerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHARDS = 8;
    private static final long SPEED = 10;
    private static final String MODEL = "gen4_image";

    private final AwsEmulators aws;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(logs, true, StandardCharsets.UTF_8);
    private final List<RunwaySimulator> simulators = new ArrayList<>();
    private final List<RunwayClient> clients = new ArrayList<>();
    private TaskRepository tasks;

    PollerIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeEach
    void emptyTable() {
        aws.resetData();
        tasks = new DynamoDbTaskRepository(aws.dynamoDb(), aws.tableName(), SHARDS);
    }

    @AfterEach
    void stop() {
        clients.forEach(RunwayClient::close);
        simulators.forEach(RunwaySimulator::close);
    }

    private RunwaySimulator simulator(SimulatorConfig.Builder config) {
        RunwaySimulator sim = RunwaySimulator.start(config.build());
        simulators.add(sim);
        return sim;
    }

    private RunwayClient client(RunwaySimulator sim) {
        RunwayClient client = RunwayClient.builder().baseUri(sim.baseUri()).apiKey(sim.apiKey())
                .requestTimeout(PollerFunction.RUNWAY_LIMITS.requestTimeout()).maxRetries(1).build();
        clients.add(client);
        return client;
    }

    private static String request(String prompt) {
        ObjectNode body = JSON.createObjectNode().put("model", MODEL).put("promptText", prompt).put("ratio", "1920:1080");
        return body.toString();
    }

    /** A Runway task created directly at the simulator, as the submit function would have. */
    private String createdAtRunway(RunwaySimulator sim, String prompt) throws Exception {
        return client(sim).createTask("text_to_image", (ObjectNode) JSON.readTree(request(prompt))).id();
    }

    private Task submitted(String runwayId, String prompt, Instant now) {
        Task task = Task.accepted(UUID.randomUUID().toString(), "app-it", "text_to_image", MODEL, request(prompt), 5,
                        now.minusSeconds(1))
                .state(TaskState.SUBMITTED).runwayTaskId(runwayId).runwayStatus(RunwayStatus.PENDING)
                .attempts(List.of(new Attempt(1, runwayId, now.minusSeconds(1), AttemptOutcome.CREATED, null, null)))
                .dueAt(now).build();
        tasks.insert(task);
        return task;
    }

    /** An ACCEPTED task the submit function left for the poller (created long enough ago). */
    private Task accepted(String prompt, Instant now) {
        Task task = Task.accepted(UUID.randomUUID().toString(), "app-it", "text_to_image", MODEL, request(prompt), 5,
                now.minus(Duration.ofMinutes(5))).dueAt(now).build();
        tasks.insert(task);
        return task;
    }

    private Task reread(Task task) {
        return tasks.find(task.id()).orElseThrow();
    }

    private PollerHandler handler(RunwaySimulator sim, Clock clock, PollPolicy policy, TaskRepository repository) {
        PollerConfig config = new PollerConfig(aws.tableName(),
                new RunwaySettings(sim.baseUri(), Optional.empty(), Optional.of(sim.apiKey())),
                Duration.ofSeconds(20), SHARDS, policy);
        return new PollerHandler(PollerFunction.create(config, repository,
                new DynamoDbSubmittedClaims(aws.dynamoDb(), aws.tableName()), new RunwayClientGateway(client(sim)),
                new DynamoDbUsageLedger(aws.dynamoDb(), aws.tableName()), clock, out));
    }

    private static Map<String, Object> invoke(PollerHandler handler) {
        ScheduledEvent event = EventLoader.loadEvent("../../events/poller/scheduler-every-minute.json",
                ScheduledEvent.class);
        return handler.handleRequest(event, new FakeContext(UUID.randomUUID().toString(), Duration.ofSeconds(60)));
    }

    /** Invokes the handler again and again, as the schedule would, until {@code done} or the time is up. */
    private static void driveUntil(PollerHandler handler, BooleanSupplier done, Duration realTimeout) {
        long deadline = System.nanoTime() + realTimeout.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not done within " + realTimeout);
            invoke(handler);
        }
    }

    /** Task reads the simulator has logged. */
    private static long taskReads(RunwaySimulator sim) {
        return sim.requestLog().stream()
                .filter(r -> r.method().equals("GET") && r.path().startsWith("/v1/tasks/")).count();
    }

    /** Whether the log shows {@code task} moved to {@code stateAndStatus} (e.g. {@code SUBMITTED/RUNNING}). */
    private boolean seen(Task task, String stateAndStatus) {
        try {
            return transitionsOf(task).stream()
                    .anyMatch(t -> (t.get("to").asText() + "/" + t.get("runwayStatus").asText()).equals(stateAndStatus));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> transitionsOf(Task task) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : logs.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("\"poller.transition\"")) {
                JsonNode node = JSON.readTree(line);
                if (task.id().equals(node.get("taskId").asText())) {
                    lines.add(node);
                }
            }
        }
        return lines;
    }

    @Test
    void twoOverlappingInvocationsNeverPollTheSameTask() throws Exception {
        RunwaySimulator sim = simulator(SimulatorConfig.builder()
                .pendingDuration(Duration.ofMinutes(5)).latency(Duration.ofMillis(30))
                .defaultLimits(ModelLimits.UNLIMITED));
        Instant now = Instant.now();
        Map<String, Task> byRunwayId = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            String runwayId = createdAtRunway(sim, "a lighthouse " + i);
            byRunwayId.put(runwayId, submitted(runwayId, "a lighthouse " + i, now));
        }
        Map<String, String> env = new HashMap<>(aws.environment());
        env.put("RUNWAY_API_BASE_URL", sim.baseUri().toString());
        env.put("RUNWAYML_API_SECRET", sim.apiKey());
        env.put("RELAY_POLLER_RUN_SECONDS", "3");
        env.put("RELAY_POLLER_CONCURRENCY", "4");
        // Both runs share a clock that stands still until every task was read, then passes their
        // 3 s run length: a real 3 s window could close first on a loaded machine.
        ManualClock clock = new ManualClock(Instant.now());
        PollerHandler first = new PollerHandler(PollerFunction.fromEnvironment(env, clock));
        PollerHandler second = new PollerHandler(PollerFunction.fromEnvironment(env, clock));

        List<Map<String, Object>> runs = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Map<String, Object>> a = pool.submit(() -> invoke(first));
            Future<Map<String, Object>> b = pool.submit(() -> invoke(second));
            long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (taskReads(sim) < byRunwayId.size() && System.nanoTime() - guard < 0) {
                Thread.sleep(20);
            }
            clock.advance(Duration.ofSeconds(3));
            runs.add(a.get());
            runs.add(b.get());
        }

        Map<String, Long> reads = sim.requestLog().stream()
                .filter(r -> r.method().equals("GET") && r.path().startsWith("/v1/tasks/"))
                .collect(Collectors.groupingBy(r -> r.path().substring("/v1/tasks/".length()), Collectors.counting()));
        assertEquals(byRunwayId.keySet(), reads.keySet());
        reads.forEach((id, count) -> assertEquals(1L, count, "task " + id + " read " + count + " times"));
        assertEquals(60L, (long) runs.get(0).get("claimed") + (long) runs.get(1).get("claimed"));
        assertTrue((long) runs.get(0).get("claimed") > 0 && (long) runs.get(1).get("claimed") > 0,
                "both runs worked: " + runs);
        for (Task task : byRunwayId.values()) {
            Task after = reread(task);
            // Still PENDING: the read found nothing new, so the claim stands and its lease lapses
            // exactly when the task is due again.
            assertEquals(task.version() + 1, after.version(), "one write per poll: the claim");
            assertEquals(after.leaseUntil(), after.dueAt());
            assertEquals(RunwayStatus.PENDING, after.runway().status());
            assertTrue(after.dueAt().isAfter(now.plusSeconds(5)));
        }
    }

    @Test
    void aThrottledTaskIsFollowedThroughRunningToOutputReady() throws Exception {
        ScaledClock clock = new ScaledClock(SPEED);
        // Runway's time stands still until the test moves it: the task waiting for the other's slot
        // stays THROTTLED until the poller has seen it so, however slow the machine.
        ManualClock runwayTime = new ManualClock(clock.instant());
        RunwaySimulator sim = simulator(SimulatorConfig.builder().clock(runwayTime)
                .pendingDuration(Duration.ofSeconds(5)).runningDuration(Duration.ofSeconds(30))
                .modelLimit(MODEL, new ModelLimits(1, null)));
        Instant now = clock.instant();
        Task first = accepted("a red fox", now);
        Task second = accepted("a blue fox", now.plusMillis(1));
        PollerHandler handler = handler(sim, clock, PollPolicy.builder().build(), tasks);

        driveUntil(handler, () -> seen(first, "SUBMITTED/THROTTLED") || seen(second, "SUBMITTED/THROTTLED"),
                Duration.ofSeconds(120));
        Task waiting = seen(first, "SUBMITTED/THROTTLED") ? first : second;
        // The slot holder ends at 35 s; the waiting task then runs from 40 s to 70 s.
        runwayTime.advance(Duration.ofSeconds(50));
        driveUntil(handler, () -> seen(waiting, "SUBMITTED/RUNNING"), Duration.ofSeconds(120));
        runwayTime.advance(Duration.ofMinutes(10));
        driveUntil(handler, () -> reread(first).state() == TaskState.OUTPUT_READY
                && reread(second).state() == TaskState.OUTPUT_READY, Duration.ofSeconds(120));

        List<String> statuses = new ArrayList<>();
        for (Task task : List.of(first, second)) {
            List<String> seen = transitionsOf(task).stream()
                    .map(t -> t.get("to").asText() + "/" + t.get("runwayStatus").asText()).toList();
            statuses.addAll(seen);
            if (seen.contains("SUBMITTED/THROTTLED")) {
                int throttled = seen.indexOf("SUBMITTED/THROTTLED");
                int running = seen.indexOf("SUBMITTED/RUNNING");
                assertTrue(running > throttled, "RUNNING after THROTTLED: " + seen);
                assertEquals("OUTPUT_READY/SUCCEEDED", seen.get(seen.size() - 1), seen.toString());
            }
        }
        assertTrue(statuses.contains("SUBMITTED/THROTTLED"), "one task waited for the other: " + statuses);
        for (Task task : List.of(first, second)) {
            Task after = reread(task);
            assertEquals(1, after.runway().outputs().size());
            assertNotNull(after.runway().actualCredits());
            assertNull(after.dueAt(), "the archiver takes over");
            assertEquals(TaskState.OUTPUT_READY.name(), after.state().name());
        }
        assertEquals(2, sim.createdTaskCount());
    }

    @Test
    void aRetryableFailureIsRetried_andTheSecondAttemptSucceeds() throws Exception {
        ScaledClock clock = new ScaledClock(SPEED);
        RunwaySimulator sim = simulator(SimulatorConfig.builder().clock(clock)
                .pendingDuration(Duration.ofSeconds(5)).runningDuration(Duration.ofSeconds(10)));
        // The first Runway task fails with a transient code; the stored request itself is fine.
        String failing = createdAtRunway(sim, "a harbour [fail:THIRD_PARTY.UNAVAILABLE]");
        Task task = submitted(failing, "a harbour", clock.instant());
        PollerHandler handler = handler(sim, clock, PollPolicy.builder().build(), tasks);

        driveUntil(handler, () -> reread(task).state() == TaskState.OUTPUT_READY, Duration.ofSeconds(90));

        Task after = reread(task);
        assertEquals(2, after.runway().attempts().size());
        Attempt firstAttempt = after.runway().attempts().get(0);
        assertEquals(AttemptOutcome.FAILED, firstAttempt.outcome());
        assertEquals("THIRD_PARTY.UNAVAILABLE", firstAttempt.failureCode());
        assertEquals(failing, firstAttempt.runwayTaskId());
        assertEquals(AttemptOutcome.SUCCEEDED, after.runway().attempts().get(1).outcome());
        assertEquals(after.runway().taskId(), after.runway().attempts().get(1).runwayTaskId());
        assertEquals(2, sim.createdTaskCount());
        assertEquals(1, after.runway().outputs().size());
    }

    @Test
    void aNonRetryableFailureEndsFailedWithItsCode() throws Exception {
        ScaledClock clock = new ScaledClock(SPEED);
        RunwaySimulator sim = simulator(SimulatorConfig.builder().clock(clock)
                .pendingDuration(Duration.ofSeconds(5)).runningDuration(Duration.ofSeconds(5)));
        Task task = accepted("a storm [fail:SAFETY.INPUT.TEXT]", clock.instant());
        PollerHandler handler = handler(sim, clock, PollPolicy.builder().build(), tasks);

        driveUntil(handler, () -> reread(task).state().isTerminal(), Duration.ofSeconds(60));

        Task after = reread(task);
        assertEquals(TaskState.FAILED, after.state());
        assertEquals("SAFETY.INPUT.TEXT", after.failureCode());
        assertNotNull(after.failure());
        assertNull(after.dueAt());
        assertEquals(1, after.runway().attempts().size());
        assertEquals(1, sim.createdTaskCount(), "never tried again");
    }

    @Test
    void aPassedDeadlineCancelsAtRunwayAndExpires() throws Exception {
        ScaledClock clock = new ScaledClock(SPEED);
        RunwaySimulator sim = simulator(SimulatorConfig.builder().clock(clock)
                .pendingDuration(Duration.ofSeconds(5)).runningDuration(Duration.ofMinutes(30)));
        String runwayId = createdAtRunway(sim, "a very long film");
        Instant now = clock.instant();
        Task task = tasks.find(submitted(runwayId, "a very long film", now).id()).orElseThrow();
        tasks.replace(task, task.next(now).deadline(now.plusSeconds(12)).build());
        PollerHandler handler = handler(sim, clock, PollPolicy.builder().build(), tasks);

        driveUntil(handler, () -> reread(task).state().isTerminal(), Duration.ofSeconds(60));

        Task after = reread(task);
        assertEquals(TaskState.EXPIRED, after.state());
        assertEquals(Poller.DEADLINE_EXCEEDED, after.failureCode());
        assertTrue(sim.task(runwayId).orElseThrow().cancelled(), "the simulator shows the task cancelled");
        assertEquals(1, sim.requestCount("DELETE", "/v1/tasks/" + runwayId));
    }

    /**
     * What a poller killed in the middle of its run leaves behind: its claims (and the IN_FLIGHT
     * attempts written before creates) reach the table, nothing written after that does.
     */
    private static TaskRepository killedAfterItsClaims(TaskRepository tasks) {
        return new InterceptingTaskRepository(tasks).onReplace((current, next) -> {
            if (next.leaseOwner() == null) {
                throw new IllegalStateException("the poller process was killed before this write");
            }
        });
    }

    @Test
    void aRunKilledMidwayIsRecoveredByTheNext() throws Exception {
        ScaledClock clock = new ScaledClock(SPEED);
        RunwaySimulator sim = simulator(SimulatorConfig.builder().clock(clock)
                .pendingDuration(Duration.ofSeconds(20)).runningDuration(Duration.ofMinutes(10))
                .defaultLimits(ModelLimits.UNLIMITED));
        Instant now = clock.instant();
        List<Task> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            running.add(submitted(createdAtRunway(sim, "a mill " + i), "a mill " + i, now));
        }
        List<Task> creating = List.of(accepted("a bridge", now), accepted("a tower", now));
        PollPolicy policy = PollPolicy.builder().inFlightGrace(Duration.ofSeconds(60)).build();

        invoke(handler(sim, clock, policy, killedAfterItsClaims(tasks)));

        for (Task task : running) {
            assertNotNull(reread(task).leaseOwner(), "the killed run left its lease");
        }
        for (Task task : creating) {
            Task left = reread(task);
            assertNotNull(left.leaseOwner());
            assertEquals(AttemptOutcome.IN_FLIGHT, left.lastAttempt().outcome(), "killed after sending the create");
        }
        assertEquals(5, sim.createdTaskCount());

        PollerHandler next = handler(sim, clock, policy, tasks);
        driveUntil(next, () -> running.stream().allMatch(t -> reread(t).leaseOwner() == null
                && reread(t).runway().status() != null && reread(t).version() > t.version() + 1)
                && creating.stream().allMatch(t -> TaskCreation.AMBIGUOUS.equals(reread(t).stateReason())),
                Duration.ofSeconds(90));

        for (Task task : running) {
            Task after = reread(task);
            assertEquals(TaskState.SUBMITTED, after.state());
            assertFalse(after.runway().status().wire().isBlank());
        }
        for (Task task : creating) {
            Task after = reread(task);
            assertEquals(TaskState.FAILED, after.state());
            assertEquals("RELAY.AMBIGUOUS_CREATE", after.failureCode());
            assertNull(after.dueAt(), "visible as ambiguous, never sent twice");
            assertNull(after.leaseOwner());
        }
        assertEquals(5, sim.createdTaskCount(), "no create was repeated");
    }
}
