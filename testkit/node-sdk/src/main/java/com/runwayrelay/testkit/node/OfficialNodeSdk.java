package com.runwayrelay.testkit.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The official Runway Node SDK, installed with {@code npm ci} from the one pin of the project
 * ({@code package.json}/{@code package-lock.json} of this module) into the calling module's
 * {@code target/node-sdk}, never into the source tree, next to the module's scripts
 * ({@code src/test/node/*.mjs}) and {@code sdk-harness.mjs}, which they import.
 *
 * <p>{@link #install()} skips the calling test, saying why, when node or npm is missing; call it
 * per test (e.g. in {@code @BeforeEach}) so that the skip is reported. Timeouts are hang guards.
 */
public final class OfficialNodeSdk {
    /** The pinned {@code @runwayml/sdk} version. */
    public static final String VERSION = "4.20.1";
    static final List<String> BUNDLED = List.of("package.json", "package-lock.json", "sdk-harness.mjs");
    private static final Path SCRIPTS = Path.of("src", "test", "node");
    private static final long NPM_MINUTES = 3;
    private static final long SCRIPT_MINUTES = 3;

    private final Path work;

    private OfficialNodeSdk(Path work) {
        this.work = work;
    }

    /** Installs into {@code target/node-sdk} the scripts of {@code src/test/node} (relative to the module). */
    public static OfficialNodeSdk install() throws IOException, InterruptedException {
        return install(SCRIPTS, Path.of("target", "node-sdk"));
    }

    /**
     * Installs the SDK into {@code work} (once: an installed pinned version is kept) and copies the
     * {@code .mjs} files of {@code scripts} next to it.
     */
    public static OfficialNodeSdk install(Path scripts, Path work) throws IOException, InterruptedException {
        assumeTrue(runs("node", "--version"), "node is not on the PATH: skipping the official Node SDK test");
        assumeTrue(runs("npm", "--version"), "npm is not on the PATH: skipping the official Node SDK test");
        Files.createDirectories(work);
        for (String file : BUNDLED) {
            try (InputStream bundled = Objects.requireNonNull(OfficialNodeSdk.class.getResourceAsStream(file), file)) {
                Files.copy(bundled, work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (var files = Files.list(scripts)) {
            for (Path script : files.filter(p -> p.toString().endsWith(".mjs")).toList()) {
                Files.copy(script, work.resolve(script.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path installed = work.resolve("node_modules/@runwayml/sdk/package.json");
        if (!Files.exists(installed) || !Files.readString(installed).contains("\"version\": \"" + VERSION + "\"")) {
            Path log = work.resolve("npm-ci.log");
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(npm.waitFor(NPM_MINUTES, TimeUnit.MINUTES), "npm ci took over " + NPM_MINUTES + " minutes");
            assertEquals(0, npm.exitValue(), () -> "npm ci failed:\n" + read(log));
        }
        return new OfficialNodeSdk(work);
    }

    /**
     * Runs {@code script} with {@code RUNWAYML_BASE_URL} and {@code RUNWAYML_API_SECRET} (and no
     * other {@code RUNWAYML_} variable of this process), asserts it exits 0, and returns the last
     * line of its stdout that starts with {@code {}: the script's JSON summary.
     */
    public String run(String script, URI baseUrl, String apiKey) throws IOException, InterruptedException {
        return run(script, baseUrl, apiKey, Map.of());
    }

    /**
     * {@link #run(String, URI, String)} with more environment variables for the script (e.g. a
     * webhook receiver's URL); they may not name a {@code RUNWAYML_} variable.
     */
    public String run(String script, URI baseUrl, String apiKey, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        if (extraEnv.keySet().stream().anyMatch(k -> k.startsWith("RUNWAYML_"))) {
            throw new IllegalArgumentException("the RUNWAYML_ variables are set from baseUrl and apiKey only");
        }
        Path stderr = work.resolve(script + ".stderr");
        ProcessBuilder pb = new ProcessBuilder("node", script).directory(work.toFile()).redirectError(stderr.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("RUNWAYML_"));
        env.put("RUNWAYML_BASE_URL", baseUrl.toString());
        env.put("RUNWAYML_API_SECRET", apiKey);
        env.putAll(extraEnv);
        Process node = pb.start();
        String stdout = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(SCRIPT_MINUTES, TimeUnit.MINUTES), script + " took over " + SCRIPT_MINUTES + " minutes");
        assertEquals(0, node.exitValue(), () -> script + " failed:\n" + stdout + "\n" + read(stderr));
        return stdout.lines().filter(l -> l.startsWith("{")).reduce((first, second) -> second).orElse("");
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
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
