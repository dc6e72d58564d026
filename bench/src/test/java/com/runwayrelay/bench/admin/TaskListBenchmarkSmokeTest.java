package com.runwayrelay.bench.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The list benchmark at a toy size, so it keeps working; the real run is in docs/BENCHMARKS.md. */
class TaskListBenchmarkSmokeTest {

    @Test
    void listsTheAppsNewestTasks_readingOnlyThePage_whenOtherAppsFillTheTable() throws Exception {
        TaskListBenchmark.Result result = TaskListBenchmark.run(
                new TaskListBenchmark.Settings(3_000, 10, 120, 30, 50, 8, 2), false);

        assertEquals(3_120, result.tableItems(), result.report());
        assertTrue(result.pageCorrect(), result.report());
        assertEquals(1, result.queriesPerPage(), result.report());
        assertEquals(51, result.scannedPerPage(), "the page and one more, nothing of the other apps: " + result.report());
        assertEquals(52, result.secondPageScanned(), result.report());
        assertTrue(result.everyAppScanned() <= 102, "two parts of at most 51 each: " + result.report());
        assertEquals(30, result.openCount(), result.report());
        assertEquals(30 + 10, result.openScanned(), "the unfinished tasks once to count, the oldest 10 once more: "
                + result.report());
    }
}
