package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance: {@code ./relay demo} exits 0 and leaves the files it names, with its own stack or a running one. */
class DemoIT {
    private static final Map<String, String> FAST_SIMULATOR = Map.of("RUNWAY_SIM_PENDING_MS", "200", "RUNWAY_SIM_RUNNING_MS", "500");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path temp;

    private int demo(String... args) {
        return RelayCli.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), FAST_SIMULATOR);
    }

    /** The files listed between "Done. Files:" and "Links". */
    private List<Path> filesNamed() {
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        int from = lines.indexOf("Done. Files:");
        assertTrue(from >= 0, out.toString(StandardCharsets.UTF_8));
        return lines.subList(from + 1, lines.size()).stream().takeWhile(line -> line.startsWith("  ")).map(String::strip).map(Path::of).toList();
    }

    private void assertOutputs(Path outDir) throws Exception {
        List<Path> files = filesNamed();
        assertEquals(2, files.size(), files.toString());
        Path image = files.get(0);
        Path video = files.get(1);
        assertTrue(image.startsWith(outDir.toAbsolutePath()) && image.getFileName().toString().startsWith("text_to_image-")
                && image.toString().endsWith(".png"), image.toString());
        assertTrue(video.getFileName().toString().startsWith("image_to_video-") && video.toString().endsWith(".mp4"), video.toString());
        byte[] png = Files.readAllBytes(image);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        byte[] mp4 = Files.readAllBytes(video);
        assertEquals("ftyp", new String(mp4, 4, 4, StandardCharsets.US_ASCII));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("SUCCEEDED"), printed);
        assertTrue(printed.contains("X-Amz-Signature="), "prints the links: " + printed);
    }

    @Test
    void demo_withoutARunningStack_startsItsOwn_andLeavesTheFilesItNames() throws Exception {
        Path outDir = temp.resolve("out");

        int status = demo("demo", "--data-dir", temp.resolve("no-stack").toString(), "--out", outDir.toString(), "--timeout", "2m");

        assertEquals(0, status, out + "\n" + err);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("starting a temporary one in memory"));
        assertOutputs(outDir);
    }

    @Test
    void demo_usesTheStackRunningOnTheDataFolder() throws Exception {
        Path data = temp.resolve("data");
        Path outDir = temp.resolve("out");
        StackOptions options = StackOptions.ephemeral().withDataDir(data).withPollInterval(Duration.ofMillis(500))
                .withSimulatorSettings(FAST_SIMULATOR);
        try (LocalStack stack = LocalStack.start(options, new StackLog(System.out, StackLog.Level.QUIET))) {
            int status = demo("demo", "--data-dir", data.toString(), "--out", outDir.toString());

            assertEquals(0, status, out + "\n" + err);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("Using the local stack running on"));
            assertEquals(2, stack.simulator().orElseThrow().createdTaskCount(), "both tasks went through the running stack");
            assertOutputs(outDir);
        }
    }
}
