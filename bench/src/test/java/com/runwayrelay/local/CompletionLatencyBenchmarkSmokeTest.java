package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The completion-latency benchmark on a few short tasks and a fast poller schedule: every task is
 * submitted, archived and announced once, each figure is there and in causal order. No timing is
 * asserted; the benchmark's own deadline is only a hang guard.
 */
class CompletionLatencyBenchmarkSmokeTest {

    @Test
    void measuresEveryTask_fromFinishToArchivedAndWebhook_whenTheStackRunsAFewShortTasks() throws Exception {
        List<CompletionLatencyBenchmark.Kind> mix = List.of(
                new CompletionLatencyBenchmark.Kind("image", 2, Duration.ofSeconds(1), "text_to_image", "gen4_image",
                        "{\"model\":\"gen4_image\",\"promptText\":\"%s\",\"ratio\":\"1920:1080\"}"),
                new CompletionLatencyBenchmark.Kind("video", 1, Duration.ofSeconds(2), "text_to_video", "gen4.5",
                        "{\"model\":\"gen4.5\",\"promptText\":\"%s\",\"ratio\":\"1280:720\",\"duration\":2}"));
        // Invocations overlap (started every 3 s, each claiming for 2 s within a 13 s timeout): the path
        // where two runs meet the same tasks is exercised too.
        DeployedPollerSchedule.Settings poller = new DeployedPollerSchedule.Settings(Duration.ofSeconds(3),
                Duration.ofSeconds(2), Duration.ofSeconds(13), 2);
        CompletionLatencyBenchmark.Settings settings = new CompletionLatencyBenchmark.Settings(6, Duration.ofSeconds(3), 7,
                poller, mix, Duration.ofSeconds(1), Duration.ofMinutes(3));

        CompletionLatencyBenchmark.Result result = CompletionLatencyBenchmark.run(settings,
                new StackLog(new PrintStream(System.err), StackLog.Level.QUIET));

        assertEquals(6, result.submitted(), result.toString());
        assertEquals(6, result.archived(), result.toString());
        assertEquals(6, result.webhooks(), result.toString());
        assertEquals(0, result.rejected(), result.toString());
        assertEquals(0, result.unexpected(), result.toString());
        assertEquals(6, result.measured().size());
        for (CompletionLatencyBenchmark.Measured m : result.measured()) {
            assertNotNull(m.toSeen(), m.toString());
            assertNotNull(m.toArchived(), m.toString());
            assertNotNull(m.toWebhook(), m.toString());
            assertTrue(m.toSeen() >= 0, "the finish is seen after it happened: " + m);
            assertTrue(m.toArchived() >= m.toSeen(), "archived after seen: " + m);
        }
        assertTrue(result.invocations().stream().allMatch(i -> i.error() == null), result.invocations().toString());
        assertTrue(result.toString().contains("| ARCHIVED written | 6 |"), result.toString());
        assertTrue(result.toString().contains("first submission -> last ARCHIVED"), result.toString());
    }

    @Test
    void measuresABurst_withThePollerAsTheLocalStackRunsIt() throws Exception {
        List<CompletionLatencyBenchmark.Kind> mix = List.of(new CompletionLatencyBenchmark.Kind("image", 1, Duration.ofSeconds(1),
                "text_to_image", "gen4_image", "{\"model\":\"gen4_image\",\"promptText\":\"%s\",\"ratio\":\"1920:1080\"}"));
        DeployedPollerSchedule.Settings unused = new DeployedPollerSchedule.Settings(Duration.ofSeconds(3), Duration.ofSeconds(2),
                Duration.ofSeconds(13), 2);
        CompletionLatencyBenchmark.Settings settings = new CompletionLatencyBenchmark.Settings(4, Duration.ZERO, 3, unused, mix,
                Duration.ofSeconds(1), Duration.ofMinutes(3), true, null, "mix");

        CompletionLatencyBenchmark.Result result = CompletionLatencyBenchmark.run(settings,
                new StackLog(new PrintStream(System.err), StackLog.Level.QUIET));

        assertEquals(4, result.archived(), result.toString());
        assertEquals(4, result.webhooks(), result.toString());
        assertTrue(result.invocations().isEmpty(), "the stack's own schedule runs the poller, not the deployed stand-in");
        assertTrue(result.toString().contains("as ./relay local runs it"), result.toString());
        assertTrue(result.streamShards() >= 1, result.toString());
        assertNotNull(result.firstArchived(), result.toString());
        assertTrue(!result.lastArchived().isBefore(result.firstArchived()), result.toString());
    }

    @Test
    void parse_keepsTheDeployedPollerTheWholeMixAndMemory_whenNoNewArgumentIsGiven() {
        CompletionLatencyBenchmark.Settings settings = CompletionLatencyBenchmark.Settings.parse(new String[] {"tasks=7"});

        assertEquals(7, settings.tasks());
        assertFalse(settings.localPoller());
        assertNull(settings.dataDir());
        assertEquals("mix", settings.simulator());
        assertEquals(CompletionLatencyBenchmark.MIX, settings.mix());
        assertEquals("unlimited", settings.simulatorSettings().get("RUNWAY_SIM_MAX_CONCURRENT"));
    }

    @Test
    void parse_selectsTheLocalPollerKindsDataFolderAndSimulatorDefaults_whenAsked() {
        CompletionLatencyBenchmark.Settings settings = CompletionLatencyBenchmark.Settings.parse(new String[] {
                "tasks=50", "spreadSeconds=0", "poller=local", "kinds=image-fast,video-5s", "data=/tmp/bench-data",
                "simulator=defaults"});

        assertTrue(settings.localPoller());
        assertEquals(List.of("image-fast", "video-5s"), settings.mix().stream().map(CompletionLatencyBenchmark.Kind::name).toList());
        assertEquals(Path.of("/tmp/bench-data"), settings.dataDir());
        assertEquals(Map.of(), settings.simulatorSettings(), "the simulator keeps its own defaults, as ./relay local starts it");
        assertEquals(Map.of("RUNWAY_SIM_MAX_CONCURRENT", "unlimited"),
                CompletionLatencyBenchmark.Settings.parse(new String[] {"simulator=unlimited"}).simulatorSettings());
        assertEquals(Duration.ZERO, settings.spread());
    }

    @Test
    void parse_namesTheBadValue_whenAPollerKindOrSimulatorIsUnknown() {
        IllegalArgumentException poller = assertThrows(IllegalArgumentException.class,
                () -> CompletionLatencyBenchmark.Settings.parse(new String[] {"poller=sometimes"}));
        assertTrue(poller.getMessage().contains("sometimes"), poller.getMessage());
        IllegalArgumentException kinds = assertThrows(IllegalArgumentException.class,
                () -> CompletionLatencyBenchmark.Settings.parse(new String[] {"kinds=image-fast,gif"}));
        assertTrue(kinds.getMessage().contains("gif") && kinds.getMessage().contains("image-slow"), kinds.getMessage());
        IllegalArgumentException simulator = assertThrows(IllegalArgumentException.class,
                () -> CompletionLatencyBenchmark.Settings.parse(new String[] {"simulator=fast"}));
        assertTrue(simulator.getMessage().contains("fast"), simulator.getMessage());
    }

    @Test
    void percentile_isTheNearestRank() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        assertEquals(10, CompletionLatencyBenchmark.percentile(sorted, 50));
        assertEquals(19, CompletionLatencyBenchmark.percentile(sorted, 95));
        assertEquals(1, CompletionLatencyBenchmark.percentile(new long[] {1}, 95));
    }

    @Test
    void rate_readsTheTemplatesScheduleExpression() {
        assertEquals(Duration.ofMinutes(1), DeployedPollerSchedule.rate("rate(1 minute)"));
        assertEquals(Duration.ofSeconds(30), DeployedPollerSchedule.rate("rate(30 seconds)"));
    }
}
