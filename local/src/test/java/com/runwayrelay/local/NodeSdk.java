package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The official Runway Node SDK, installed with {@code npm ci} into {@code target/node-sdk} from the pinned
 * {@code package.json}/{@code package-lock.json} the simulator's compatibility test uses (one pin for the
 * project), never into the source tree. Tests using it are skipped, saying why, without node or npm.
 */
final class NodeSdk {
    static final String VERSION = "4.20.1";
    private static final Path PINNED = Path.of("..", "testkit", "simulator", "src", "test", "node");
    private static final Path SCRIPTS = Path.of("src", "test", "node");
    private static final Path WORK = Path.of("target", "node-sdk");

    private NodeSdk() {
    }

    /** Installs the SDK once (skips the calling test without node or npm) and copies the scripts next to it. */
    static void install() throws Exception {
        assumeTrue(runs("node", "--version"), "node is not on the PATH: skipping the official Node SDK test");
        assumeTrue(runs("npm", "--version"), "npm is not on the PATH: skipping the official Node SDK test");
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json")) {
            Files.copy(PINNED.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        try (var scripts = Files.list(SCRIPTS)) {
            for (Path script : scripts.filter(p -> p.toString().endsWith(".mjs")).toList()) {
                Files.copy(script, WORK.resolve(script.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path installed = WORK.resolve("node_modules/@runwayml/sdk/package.json");
        if (Files.exists(installed) && Files.readString(installed).contains("\"version\": \"" + VERSION + "\"")) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(WORK.resolve("npm-ci.log").toFile()).start();
        assertTrue(npm.waitFor(180, TimeUnit.SECONDS), "npm ci took over 3 minutes");
        assertEquals(0, npm.exitValue(), () -> "npm ci failed:\n" + read(WORK.resolve("npm-ci.log")));
    }

    /** Runs a script with {@code RUNWAYML_BASE_URL} and {@code RUNWAYML_API_SECRET}; returns its stdout after asserting exit 0. */
    static String run(String script, String baseUrl, String key) throws Exception {
        Path stderr = WORK.resolve(script + ".stderr");
        ProcessBuilder pb = new ProcessBuilder("node", script).directory(WORK.toFile()).redirectError(stderr.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("RUNWAYML_"));
        env.put("RUNWAYML_BASE_URL", baseUrl);
        env.put("RUNWAYML_API_SECRET", key);
        Process node = pb.start();
        String stdout = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(180, TimeUnit.SECONDS), script + " took over 3 minutes");
        assertEquals(0, node.exitValue(), () -> script + " failed:\n" + stdout + "\n" + read(stderr));
        return stdout.lines().filter(l -> l.startsWith("{")).reduce((first, second) -> second).orElse("");
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
