package com.runwayrelay.domain.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.TaskSummary;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthReportTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(4);
    private QueueDepths.Depth streamFailures = new QueueDepths.Depth.NotAvailable("no stream-failure queue locally");
    private final QueueDepths queues = new QueueDepths() {
        @Override
        public Depth pollerDeadLetters() {
            return new Depth.Known(3);
        }

        @Override
        public Depth streamFailures() {
            return streamFailures;
        }
    };
    private final HealthReport health = new HealthReport(tasks, queues, clock);

    private void task(String id, TaskState state, Duration age) {
        tasks.insert(Task.accepted(id, "appA", "text_to_image", "gen4_image", "{}", 8, NOW.minus(age)).state(state).build());
    }

    @Test
    void countsUnfinishedTasksOlderThanTheThreshold_showingTheOldestFirst() {
        task("young", TaskState.SUBMITTED, Duration.ofMinutes(5));
        task("old", TaskState.SUBMITTED, Duration.ofMinutes(90));
        task("older", TaskState.ACCEPTED, Duration.ofHours(5));
        task("oldest", TaskState.OUTPUT_READY, Duration.ofHours(30));
        task("ended", TaskState.ARCHIVED, Duration.ofHours(40));

        HealthReport.Health h = health.report(Duration.ofMinutes(60), 2);

        assertEquals(3, h.stuck().count());
        assertEquals(List.of("oldest", "older"), h.stuck().oldest().stream().map(TaskSummary::id).toList());
        assertEquals(NOW, h.asOf());
    }

    @Test
    void passesQueueDepthsThrough_keepingNotAvailableApartFromZero() {
        HealthReport.Health h = health.report(HealthReport.DEFAULT_STUCK_AFTER, HealthReport.DEFAULT_OLDEST);
        assertEquals(new QueueDepths.Depth.Known(3), h.pollerDeadLetters());
        assertEquals(new QueueDepths.Depth.NotAvailable("no stream-failure queue locally"), h.streamFailures());
    }

    @Test
    void passesAFailedCheckThrough_apartFromAQueueTheStackLacks() {
        streamFailures = new QueueDepths.Depth.CheckFailed("could not read q: Access denied");

        HealthReport.Health h = health.report(HealthReport.DEFAULT_STUCK_AFTER, HealthReport.DEFAULT_OLDEST);

        assertEquals(new QueueDepths.Depth.CheckFailed("could not read q: Access denied"), h.streamFailures());
        assertNotEquals(new QueueDepths.Depth.NotAvailable("could not read q: Access denied"), h.streamFailures());
    }

    @Test
    void refusesANonPositiveThresholdOrTooManyOldest() {
        assertThrows(IllegalArgumentException.class, () -> health.report(Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> health.report(Duration.ofMinutes(1), 101));
    }
}
