package com.runwayrelay.domain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.metrics.memory.RecordingMetrics;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeteredTaskRepositoryTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private final InMemoryTaskRepository stored = new InMemoryTaskRepository(2);
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final MeteredTaskRepository tasks = new MeteredTaskRepository(stored, metrics);

    private static Task submitted(String id) {
        return Task.accepted(id, "app_1", "text_to_image", "gen4_image", "{}", 8, NOW.minusSeconds(60))
                .state(TaskState.SUBMITTED).version(2).runwayTaskId("rw-" + id).runwayStatus(RunwayStatus.RUNNING)
                .attempts(List.of(new Attempt(1, "rw-" + id, NOW.minusSeconds(60), AttemptOutcome.CREATED, null, null))).build();
    }

    @Test
    void countsTheTaskAndChargesItsCredits_whenAReplaceEndsIt() {
        Task task = submitted("t1");
        tasks.insert(task);
        assertEquals(List.of(), metrics.all(), "a task that has not ended counts nothing");

        tasks.replace(task, task.next(NOW).state(TaskState.FAILED).failureCode("SAFETY.INPUT.TEXT").build());

        assertEquals(1, metrics.sum(RelayMetric.TASKS_FINISHED, "FAILED", "SAFETY.INPUT.TEXT"));
        assertEquals(8, metrics.sum(RelayMetric.CREDITS_CHARGED, "app_1"),
                "a FAILED task Runway created counts its estimate (the settlement rule)");
    }

    @Test
    void chargesRunwaysCost_andRecordsNoneAsTheCode_whenATaskIsArchived() {
        Task task = submitted("t2").toBuilder().state(TaskState.OUTPUT_READY).actualCredits(5L).build();
        tasks.insert(task);

        tasks.replace(task, task.next(NOW).state(TaskState.ARCHIVED).build());

        assertEquals(1, metrics.sum(RelayMetric.TASKS_FINISHED, "ARCHIVED", "none"));
        assertEquals(5, metrics.sum(RelayMetric.CREDITS_CHARGED, "app_1"));
    }

    @Test
    void countsNothing_whenTheReplaceLosesTheRace() {
        Task task = submitted("t3");
        tasks.insert(task);
        Task other = task.next(NOW).progress(0.5).build();
        stored.replace(task, other);

        boolean replaced = tasks.replace(task, task.next(NOW).state(TaskState.CANCELLED).build());

        assertFalse(replaced);
        assertEquals(List.of(), metrics.all());
    }

    @Test
    void countsNothing_whenAnEndedTaskIsWrittenAgain() {
        Task ended = submitted("t4").toBuilder().state(TaskState.CANCELLED).build();
        tasks.insert(ended);
        int afterInsert = metrics.of(RelayMetric.TASKS_FINISHED).size();

        tasks.replace(ended, ended.next(NOW).stateReason("webhook bookkeeping").build());

        assertEquals(1, afterInsert, "a task stored already ended (e.g. refused by Runway) counts once");
        assertEquals(1, metrics.of(RelayMetric.TASKS_FINISHED).size());
        assertEquals(0, metrics.sum(RelayMetric.CREDITS_CHARGED, "app_1"), "a cancelled task is refunded");
    }
}
