package com.runwayrelay.bench.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The poller benchmarks at toy sizes, so they keep working; the real runs are in docs/BENCHMARKS.md.
 * Each invocation ends once its tasks advanced: the 60 s windows are hang guards, not a bound on
 * how fast a loaded machine must be (a 4 s window once left 15 of 150 tasks unread). Nor are call
 * counts exact where a loaded machine changes them: on a clean-clone run at load average 27, SDK
 * retries of timed-out writes made the poller read 12 tasks back, which an exact "GetItem=0" failed.
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
        assertEquals(result.runwayReads(), count(result.dynamoCalls(), "UpdateItem="),
                "one claim per read, counted for the measured invocation only: " + result);
        // A task is read back only after a conditional write failed (an SDK retry of a write that had
        // in fact succeeded, which a loaded machine provokes): with no failed call there is no read.
        assertTrue(count(result.dynamoCalls(), "GetItem=") <= count(result.dynamoCalls(), "errors "),
                "every read-back follows a failed write: " + result);
    }

    private static long count(String calls, String label) {
        int at = calls.indexOf(label);
        assertTrue(at >= 0, () -> label + " in " + calls);
        int start = at + label.length();
        int end = start;
        while (end < calls.length() && Character.isDigit(calls.charAt(end))) {
            end++;
        }
        return Long.parseLong(calls.substring(start, end));
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
