package com.runwayrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/sdk-compat.mjs} with the official {@code @runwayml/sdk} (pinned in
 * {@code src/test/node/package.json}) against the simulator. The SDK is installed with {@code npm ci}
 * into {@code target/node-sdk}, never into the source tree. Skipped when node or npm is missing.
 */
class OfficialNodeSdkIT {
    private static final Path SOURCE = Path.of("src", "test", "node");
    private static final Path WORK = Path.of("target", "node-sdk");
    private static final String SDK_VERSION = "4.20.1";

    // Per test rather than @BeforeAll so that a missing node/npm reports the test as skipped.
    @BeforeEach
    void installSdk() throws Exception {
        assumeTrue(runs("node", "--version"), "node is not on the PATH: skipping the official Node SDK compatibility test");
        assumeTrue(runs("npm", "--version"), "npm is not on the PATH: skipping the official Node SDK compatibility test");
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "sdk-compat.mjs")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path installed = WORK.resolve("node_modules/@runwayml/sdk/package.json");
        if (Files.exists(installed) && Files.readString(installed).contains("\"version\": \"" + SDK_VERSION + "\"")) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(WORK.resolve("npm-ci.log").toFile()).start();
        assertTrue(npm.waitFor(180, TimeUnit.SECONDS), "npm ci took over 3 minutes");
        assertEquals(0, npm.exitValue(), () -> "npm ci failed:\n" + read(WORK.resolve("npm-ci.log")));
    }

    @Test
    void officialSdk_createsWaitsDownloadsDeletesUploadsAndSeesBadRequest() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder()
                .pendingDuration(Duration.ofMillis(300))
                .runningDuration(Duration.ofMillis(700))
                .build();
        try (RunwaySimulator sim = RunwaySimulator.start(config)) {
            ProcessBuilder pb = new ProcessBuilder("node", "sdk-compat.mjs").directory(WORK.toFile())
                    .redirectError(WORK.resolve("sdk-compat.stderr").toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("RUNWAYML_"));
            env.put("RUNWAYML_BASE_URL", sim.baseUri().toString());
            env.put("RUNWAYML_API_SECRET", sim.apiKey());
            Process node = pb.start();
            String stdout = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the SDK script took over 2 minutes");
            assertEquals(0, node.exitValue(), () -> "sdk-compat.mjs failed:\n" + stdout + "\n" + read(WORK.resolve("sdk-compat.stderr")));

            List<String> lines = stdout.lines().filter(l -> l.startsWith("{")).toList();
            JsonNode summary = new ObjectMapper().readTree(lines.getLast());
            assertTrue(summary.path("ok").asBoolean(), summary.toString());
            JsonNode checks = summary.path("checks");

            JsonNode image = checks.path("textToImage");
            assertEquals("SUCCEEDED", image.path("status").asText());
            assertTrue(image.path("pngMagic").asBoolean());
            assertEquals("image/png", image.path("contentType").asText());
            assertEquals(sim.task(image.path("taskId").asText()).orElseThrow().outputs().getFirst().size(), image.path("bytes").asLong());

            JsonNode video = checks.path("imageToVideo");
            assertEquals("video/mp4", video.path("contentType").asText());
            assertEquals("ftyp", video.path("ftyp").asText());
            assertTrue(sim.task(video.path("taskId").asText()).orElseThrow().requestBody().contains("data:image/png;base64,"));

            JsonNode deleted = checks.path("delete");
            assertEquals("NotFoundError", deleted.path("retrieveAfterDelete").asText());
            assertEquals(404, deleted.path("status").asInt());
            assertTrue(sim.task(deleted.path("taskId").asText()).orElseThrow().cancelled());

            JsonNode upload = checks.path("upload");
            assertTrue(upload.path("uri").asText().startsWith("runway://"), upload.toString());
            assertTrue(sim.task(upload.path("taskId").asText()).orElseThrow().requestBody().contains(upload.path("uri").asText()));
            assertEquals(1, sim.requestCount("POST", "/_uploads/"));

            JsonNode bad = checks.path("badRequest");
            assertEquals("BadRequestError", bad.path("errorClass").asText());
            assertEquals(400, bad.path("status").asInt());
            assertEquals("[\"ratio\"]", bad.path("issues").get(0).path("path").toString(), bad.toString());

            assertEquals(3, checks.path("organization").path("gen4ImageDailyGenerations").asInt());
            assertEquals(4, sim.createdTaskCount());
        }
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
