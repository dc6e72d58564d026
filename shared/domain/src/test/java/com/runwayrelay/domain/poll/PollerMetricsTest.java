package com.runwayrelay.domain.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.metrics.memory.RecordingMetrics;
import com.runwayrelay.domain.runway.RunwayGateway.ReadOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.RunwayTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The poller's own metrics: poll lag per claim and stuck tasks per run, on a clock that does not move. */
class PollerMetricsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private final InMemoryTaskRepository repo = new InMemoryTaskRepository(2);
    private final RecordingRunway runway = new RecordingRunway();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final ManualClock clock = new ManualClock(NOW);

    private Task submittedDue(String id, Duration overdue) {
        Task task = Task.accepted(id, "app1", "text_to_image", "gen4_image", "{}", 5, NOW.minusSeconds(3600))
                .state(TaskState.SUBMITTED).version(3).runwayTaskId("rw-" + id).runwayStatus(RunwayStatus.PENDING)
                .attempts(List.of(new Attempt(1, "rw-" + id, NOW.minusSeconds(3600), AttemptOutcome.CREATED, null, null)))
                .dueAt(NOW.minus(overdue)).build();
        repo.insert(task);
        runway.scripted.answer("rw-" + id, new ReadOutcome.Found(
                new RunwayTask("rw-" + id, RunwayStatus.RUNNING, 0.5, List.of(), null, null, null)));
        return task;
    }

    private void runUntilIdle() {
        PollPolicy policy = PollPolicy.builder().idlePause(Duration.ofMillis(20)).build();
        new Poller(repo, SubmittedClaims.over(repo), runway, new InMemoryUsageLedger(), policy, clock, PollLog.silent(),
                () -> 0.5, RunWaits.REAL, metrics, Duration.ofMinutes(10))
                .run("run-1", NOW.plusSeconds(60), NOW.plusSeconds(62), true);
    }

    @Test
    void recordsHowLongEachClaimedTaskWasDue() {
        submittedDue("a", Duration.ofSeconds(30));
        submittedDue("b", Duration.ofMinutes(20));

        runUntilIdle();

        assertEquals(List.of(30.0, 1200.0), metrics.of(RelayMetric.POLL_LAG).stream()
                .map(RecordingMetrics.Recorded::value).sorted().toList());
    }

    @Test
    void countsTasksDueLongerThanTheThresholdOncePerRun() {
        submittedDue("a", Duration.ofSeconds(30));
        submittedDue("b", Duration.ofMinutes(20));
        submittedDue("c", Duration.ofMinutes(11));

        runUntilIdle();

        List<RecordingMetrics.Recorded> stuck = metrics.of(RelayMetric.STUCK_TASKS);
        assertEquals(1, stuck.size(), "one value per run");
        assertEquals(2.0, stuck.getFirst().value());
    }

    @Test
    void recordsZeroStuckTasks_whenNothingIsLate() {
        submittedDue("a", Duration.ofSeconds(5));

        runUntilIdle();

        assertEquals(List.of(0.0), metrics.of(RelayMetric.STUCK_TASKS).stream().map(RecordingMetrics.Recorded::value).toList());
    }
}
