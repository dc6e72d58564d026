package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every function runs from nothing but its own {@code function.zip} (plus the Lambda runtime's
 * serializer): a fresh JVM loads the handler, reads a first event as the runtime would and handles it
 * against the local stack's emulators. A class a function needs at runtime but its zip lacks (an
 * exclusion too many) fails here, which the function ITs, on Maven's test classpath with every test
 * library, cannot see. Also keeps {@link ColdStartBenchmark} working; it times nothing here.
 */
class ColdStartFromZipIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyFunctionHandlesItsFirstEvent_whenLoadedFromItsZipAlone() throws Exception {
        Map<String, List<ColdStartBenchmark.Run>> results = ColdStartBenchmark.measure(REPO, ColdStartBenchmark.ALL, 1,
                List.of(ColdStartBenchmark.DEFAULT_JVM_ARGS.split(" ")), System.out);

        assertEquals(ColdStartBenchmark.ALL, List.copyOf(results.keySet()));
        for (Map.Entry<String, List<ColdStartBenchmark.Run>> entry : results.entrySet()) {
            ColdStartBenchmark.Run run = entry.getValue().get(0);
            assertTrue(ColdStartBenchmark.succeeded(entry.getKey(), run.response()), entry.getKey() + ": " + run.response());
        }
    }

    @Test
    void submitRunsItsPrimingHookAndThenHandlesItsFirstEvent_whenRestoreIsOn() throws Exception {
        Map<String, List<ColdStartBenchmark.Run>> results = ColdStartBenchmark.measure(REPO, List.of("submit"), 1,
                List.of(ColdStartBenchmark.DEFAULT_JVM_ARGS.split(" ")), true, System.out);

        ColdStartBenchmark.Run run = results.get("submit").get(0);
        assertEquals(1, run.primed(), "the submit function's one hook was registered through org.crac and notified");
        assertTrue(ColdStartBenchmark.succeeded("submit", run.response()), run.response());
    }

    @Test
    void statusAloneReadsAStoredFinishedTask_afterRunningItsPrimingHook_whenRestoreIsOn() throws Exception {
        Map<String, List<ColdStartBenchmark.Run>> results = ColdStartBenchmark.measure(REPO, List.of("status"), 1,
                List.of(ColdStartBenchmark.DEFAULT_JVM_ARGS.split(" ")), true, System.out);

        ColdStartBenchmark.Run run = results.get("status").get(0);
        assertEquals(1, run.primed(), "the status function's one hook was registered through org.crac and notified");
        assertTrue(ColdStartBenchmark.succeeded("status", run.response()), run.response());
        assertTrue(run.response().contains("SUCCEEDED"), "the stored task was read, finished: " + run.response());
        assertTrue(run.firstEventCpuMillis() >= 0 && run.firstEventCpuMillis() <= run.cpuMillis(),
                "the first event's CPU is read and part of the whole: " + run);
    }

    @Test
    void notifierAloneDeliversARealWebhook_afterRunningItsPrimingHook_whenRestoreIsOn() throws Exception {
        // measure() itself fails a notifier run whose first event sent no webhook to the benchmark's receiver.
        Map<String, List<ColdStartBenchmark.Run>> results = ColdStartBenchmark.measure(REPO, List.of("notifier"), 1,
                List.of(ColdStartBenchmark.DEFAULT_JVM_ARGS.split(" ")), true, System.out);

        ColdStartBenchmark.Run run = results.get("notifier").get(0);
        assertEquals(1, run.primed(), "the notifier's one hook was registered through org.crac and notified");
        assertTrue(ColdStartBenchmark.succeeded("notifier", run.response()), run.response());
    }

    @Test
    void adminRunsItsPrimingHookFromItsZipAndThenListsTasks_whenRestoreIsOn() throws Exception {
        Map<String, List<ColdStartBenchmark.Run>> results = ColdStartBenchmark.measure(REPO, List.of("admin"), 1,
                List.of(ColdStartBenchmark.DEFAULT_JVM_ARGS.split(" ")), true, System.out);

        ColdStartBenchmark.Run run = results.get("admin").get(0);
        assertEquals(1, run.primed(), "the admin function's one hook was registered through org.crac and notified");
        assertTrue(ColdStartBenchmark.succeeded("admin", run.response()), run.response());
    }

    @Test
    void submitHandlesItsFirstEventWithTheClassDataArchiveOfItsTrainingRun_whenCdsIsApp() throws Exception {
        // The timed run maps the archive with -Xshare:on: a JVM that cannot use it exits, and measure() throws.
        Map<String, List<ColdStartBenchmark.Run>> results = ColdStartBenchmark.measure(REPO, List.of("submit"), 1,
                List.of(ColdStartBenchmark.DEFAULT_JVM_ARGS.split(" ")), false, "app", System.out);

        ColdStartBenchmark.Run run = results.get("submit").get(0);
        assertTrue(ColdStartBenchmark.succeeded("submit", run.response()), run.response());
    }

    @Test
    void packingMovesAZipsTopLevelIntoOneJarBesideItsLibraries(@TempDir Path dir) throws Exception {
        Path code = dir.resolve("submit");
        Files.createDirectories(code.resolve("com/example"));
        Files.createDirectories(code.resolve("lib"));
        Files.writeString(code.resolve("com/example/A.class"), "a");
        Files.writeString(code.resolve("catalog.json"), "{}");
        Files.writeString(code.resolve("lib/dep.jar"), "jar");

        ColdStartBenchmark.packTopLevel(code);

        try (Stream<Path> top = Files.list(code)) {
            assertEquals(List.of("lib"), top.map(p -> p.getFileName().toString()).toList());
        }
        try (JarFile jar = new JarFile(code.resolve("lib/function.jar").toFile())) {
            assertEquals(List.of("catalog.json", "com/example/A.class"),
                    jar.stream().map(JarEntry::getName).sorted().toList());
        }
        assertEquals("jar", Files.readString(code.resolve("lib/dep.jar")));
    }

    @Test
    void submitEventCarriesTheIdempotencyKeyEachRunReplaces() throws Exception {
        ColdStartBenchmark.Event event = ColdStartBenchmark.event(REPO, "submit", "rr_key", null);

        assertTrue(event.json().contains(ColdStartBenchmark.SAMPLE_IDEMPOTENCY_KEY), event.json());
    }

    @Test
    void successReading_refusesErrorsAndFailedItems() throws Exception {
        assertTrue(ColdStartBenchmark.succeeded("submit", "{\"statusCode\":200}"));
        assertTrue(!ColdStartBenchmark.succeeded("submit", "{\"statusCode\":500}"));
        assertTrue(ColdStartBenchmark.succeeded("archiver", "{\"batchItemFailures\":[]}"));
        assertTrue(!ColdStartBenchmark.succeeded("notifier", "{\"batchItemFailures\":[{\"itemIdentifier\":\"1\"}]}"));
    }
}
