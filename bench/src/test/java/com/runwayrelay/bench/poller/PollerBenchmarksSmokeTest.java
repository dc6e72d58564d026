package com.runwayrelay.bench.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The poller benchmarks at toy sizes, so they keep working; the real runs are in docs/BENCHMARKS.md.
 * Each invocation ends once its tasks advanced: the 60 s windows are hang guards, not a bound on
 * how fast a loaded machine must be (a 4 s window once left 15 of 150 tasks unread).
 */
class PollerBenchmarksSmokeTest {

    @Test
    void activeTasksBenchmarkAdvancesEveryTaskInOneInvocation() throws Exception {
        ActiveTasksBenchmark.Result result = ActiveTasksBenchmark.run(new ActiveTasksBenchmark.Settings(
                150, Duration.ofMillis(100), 64, 1_000, Duration.ofSeconds(60), false, 20), true);

        assertEquals(150, result.advanced(), result.toString());
        assertNotNull(result.timeToAdvanceAll(), result.toString());
        assertTrue(result.tasksPerSecond() > 0);
        assertTrue(result.runwayReads() >= 150, result.toString());
        assertTrue(result.dynamoCalls().startsWith("GetItem=0 UpdateItem=" + result.runwayReads() + " "),
                "one claim per read, counted for the measured invocation only: " + result);
    }

    @Test
    void finishedTasksBenchmarkReadsOnlyTheActiveTasks() throws Exception {
        FinishedTasksBenchmark.Result result = FinishedTasksBenchmark.run(new FinishedTasksBenchmark.Settings(
                2_000, 20, 8, Duration.ofSeconds(60)), false, true);

        assertEquals(2_020, result.tableItems(), result.toString());
        assertEquals(20, result.advanced(), result.toString());
        assertEquals(0, result.scans(), "the poller never scans");
        assertEquals(20, result.getItems(), "each active task read once: " + result);
        assertEquals(20, result.distinctDueTasks(), "the due index holds only the active tasks: " + result);
        assertEquals(result.dueEntries(), result.queryScanned(), "nothing examined was filtered out: " + result);
    }
}
