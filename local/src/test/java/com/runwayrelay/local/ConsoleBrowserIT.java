package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.local.admin.AdminClient;
import com.runwayrelay.local.console.ConsoleServer;
import com.runwayrelay.testkit.node.OfficialNodeSdk;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance of the console (#16) in a real browser: the local stack, {@code ./relay console} on it, and
 * {@code src/test/console/console-e2e.mjs} driving headless Chromium with playwright-core. Create an app in
 * the console, submit a task with its key through the official Node SDK, see it turn SUCCEEDED without a
 * reload and its image preview load, see a failed task's failure code, filter the list by state, see a video in
 * a player with its request's data URI elided, redeliver a webhook and see the new attempt, rotate the key and
 * see the old one get 401, see a task's deliveries into the app's storage (one stored, one refused with 403), see
 * the overview tell a queue the stack lacks ("n/a") from one whose read failed ("unknown", with the reason), see its
 * possible-orphans tile (0, then a faked sum over two kinds, linking to the orphans page), see that no page shows an
 * earlier answer under a new query while the new answer is held (another task, the task list's next page, another
 * usage range) nor polls a task whose page was left while its redeliver was pending, and
 * reconcile a deleted app's documents on the orphans page: a page with no orphan that says the list goes on, one
 * assigned to another app, one deleted at Runway after a confirmation, one that another operator assigned meanwhile
 * refused with 409 (the table kept), a 503's retry-after shown; the API then agrees. Any JavaScript error in the
 * page fails it.
 * Screenshots of each page go to {@code target/console-screenshots}.
 *
 * <p>Without Chromium it is skipped, except under {@code CI=true}, where it fails: CI installs the browser
 * ({@code .ci/run}). {@code RELAY_CHROMIUM} names another executable.
 */
class ConsoleBrowserIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SCRIPT_MINUTES = 8;

    @TempDir
    Path temp;

    @Test
    void console_createsAppFollowsTasksShowsPreviewsFailuresRedeliversAndRotates() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("RELAY_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("no Chromium at " + chromium + ": CI must have it (.ci/run installs Debian's chromium package)");
            }
            assumeTrue(false, "no Chromium at " + chromium + ": skipping the console's browser test (apt-get install chromium)");
        }
        OfficialNodeSdk sdk = OfficialNodeSdk.install();
        Path npm = Path.of("target", "console-npm").toAbsolutePath();
        assertTrue(Files.isDirectory(npm.resolve("node_modules/playwright-core")),
                "the build installs playwright-core into " + npm + " (local/src/main/console/build.mjs)");
        Path script = npm.resolve("console-e2e.mjs");
        Files.copy(Path.of("src", "test", "console", "console-e2e.mjs"), script, StandardCopyOption.REPLACE_EXISTING);

        AtomicInteger webhooks = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                webhooks.incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
            }
        });
        // The app's storage for relay.deliverTo: HEAD (the submit-time probe) → 403 as to a pre-signed PUT URL;
        // PUT under /store/ok/ → 200, under /store/expired/ → 403 as an expired pre-signed URL answers.
        AtomicInteger stored = new AtomicInteger();
        receiver.createContext("/store/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                boolean put = "PUT".equals(exchange.getRequestMethod());
                boolean ok = put && exchange.getRequestURI().getPath().startsWith("/store/ok/");
                if (ok) {
                    stored.incrementAndGet();
                }
                exchange.sendResponseHeaders(ok ? 200 : 403, -1);
            }
        });
        receiver.start();
        StackOptions options = StackOptions.ephemeral().withDataDir(temp.resolve("data")).withPollInterval(Duration.ofMillis(500))
                .withSimulatorSettings(Map.of("RUNWAY_SIM_PENDING_MS", "200", "RUNWAY_SIM_RUNNING_MS", "800"));
        try (LocalStack stack = LocalStack.start(options, new StackLog(System.out, StackLog.Level.NORMAL));
             ConsoleServer console = ConsoleServer.start(0, new LocalAdminConnection(temp.resolve("data")));
             HttpClient http = HttpClient.newHttpClient()) {
            AdminClient admin = new LocalAdminConnection(temp.resolve("data")).client();
            Orphans orphans = Orphans.make(admin, http, stack.apiUrl());
            Path shots = Path.of("target", "console-screenshots").toAbsolutePath();
            ProcessBuilder node = new ProcessBuilder("node", script.getFileName().toString()).directory(npm.toFile())
                    .redirectError(temp.resolve("e2e.stderr").toFile());
            node.environment().putAll(Map.of(
                    "CONSOLE_URL", console.url().toString(),
                    "API_URL", stack.apiUrl().toString(),
                    "SDK_DIR", Path.of("target", "node-sdk").toAbsolutePath().toString(),
                    "WEBHOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                    "STORAGE_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/store",
                    "CHROMIUM", chromium.toString(),
                    "SCREENSHOT_DIR", shots.toString(),
                    "ORPHANS", orphans.json()));
            Process process = node.start();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(SCRIPT_MINUTES, TimeUnit.MINUTES), "console-e2e.mjs took over " + SCRIPT_MINUTES + " minutes");
            String summaryLine = stdout.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
            JsonNode summary = JSON.readTree(summaryLine);
            System.out.println("console-e2e.mjs: " + summaryLine);
            assertEquals(0, process.exitValue(), () -> "console-e2e.mjs failed:\n" + stdout + "\n" + read(temp.resolve("e2e.stderr")));
            assertTrue(summary.path("ok").asBoolean(), summaryLine);
            assertEquals(0, summary.path("pageErrors").size(), summaryLine);
            JsonNode checks = summary.path("checks");
            assertTrue(checks.path("succeededWithoutReload").asBoolean(), summaryLine);
            assertTrue(checks.path("previewNaturalWidth").asInt() > 0, summaryLine);
            assertEquals("SAFETY.INPUT.TEXT", checks.path("failureCodeShown").asText(), summaryLine);
            assertEquals(401, checks.path("oldKey").path("status").asInt(), summaryLine);
            assertEquals(200, checks.path("newKey").path("status").asInt(), summaryLine);
            assertTrue(checks.path("redelivered").path("after").asInt() > checks.path("redelivered").path("before").asInt(), summaryLine);
            assertTrue(checks.path("filteredByState").asBoolean(), summaryLine);
            assertTrue(checks.path("metricTiles").asInt() > 0, "the overview shows the metrics route's tiles: " + summaryLine);
            JsonNode health = checks.path("health");
            assertEquals("not-checked", health.path("pollerDeadLetters").asText(), "the local stack lacks the queue: " + summaryLine);
            assertTrue(health.has("pollerDeadLettersWarn") && !health.path("pollerDeadLettersWarn").asBoolean(), summaryLine);
            assertEquals("unknown", health.path("failedCheck").path("value").asText(), "a failed check is not 'n/a': " + summaryLine);
            assertEquals("could not check: could not read the queue: the test refused it",
                    health.path("failedCheck").path("reason").asText(), summaryLine);
            assertEquals("not-checked", health.path("failedCheck").path("pollerDeadLetters").asText(), summaryLine);
            JsonNode possibleOrphans = checks.path("possibleOrphans");
            assertTrue(possibleOrphans.path("listed").asBoolean(), "the metrics route lists PossibleOrphans: " + summaryLine);
            assertEquals("0", possibleOrphans.path("none").path("value").asText(), "nothing recorded in this run: " + summaryLine);
            assertTrue(possibleOrphans.path("none").has("warn") && !possibleOrphans.path("none").path("warn").asBoolean(), summaryLine);
            assertEquals("3", possibleOrphans.path("recorded").path("value").asText(), "2 documents + 1 avatar: " + summaryLine);
            assertTrue(possibleOrphans.path("recorded").path("warn").asBoolean(), summaryLine);
            assertTrue(possibleOrphans.path("recorded").path("title").asText().startsWith("documents: 2, avatars: 1"), summaryLine);
            assertEquals("#/orphans", possibleOrphans.path("recorded").path("href").asText(), summaryLine);
            assertEquals("#/orphans", possibleOrphans.path("linkedTo").asText(), summaryLine);
            // no page shows an earlier query's answer under a new one while the new answer is held
            JsonNode taskToTask = checks.path("taskToTask");
            assertTrue(taskToTask.path("staleFrames").isArray() && taskToTask.path("staleFrames").isEmpty(),
                    "one task's details shown under another task's id: " + summaryLine);
            assertEquals(taskToTask.path("to").asText(), taskToTask.path("shown").asText(), summaryLine);
            assertEquals(202, checks.path("leftTask").path("redeliverStatus").asInt(), summaryLine);
            assertEquals(0, checks.path("leftTask").path("askedAfterLeaving").asInt(-1),
                    "a task's page, left while its redeliver was pending, reloaded or polled it afterwards: " + summaryLine);
            JsonNode nextPage = checks.path("tasksNextPage");
            assertTrue(nextPage.path("staleFrames").isArray() && nextPage.path("staleFrames").isEmpty(),
                    "page 1's tasks shown as page 2 while page 2 was loaded: " + summaryLine);
            assertEquals(2, nextPage.path("firstPage").size(), summaryLine);
            assertTrue(nextPage.path("secondPage").size() > 0, summaryLine);
            nextPage.path("secondPage").forEach(id -> assertTrue(!nextPage.path("firstPage").toString().contains(id.asText()),
                    "page 2 repeats page 1's " + id + ": " + summaryLine));
            JsonNode usageRange = checks.path("usageRange");
            assertTrue(usageRange.path("staleFrames").isArray() && usageRange.path("staleFrames").isEmpty(),
                    "the 7 days' totals shown under the 30 days' range: " + summaryLine);
            assertTrue(usageRange.path("from30").asText().compareTo(usageRange.path("from7").asText()) < 0, summaryLine);
            assertEquals("VIDEO", checks.path("video").path("player").asText(), summaryLine);
            assertTrue(checks.path("video").path("linked").asBoolean(), summaryLine);
            assertTrue(checks.path("video").path("dataUriElided").asBoolean(), summaryLine);
            assertEquals("delivered", checks.path("storage").path("ok").path("outcome").asText(), summaryLine);
            assertEquals("rejected", checks.path("storage").path("expired").path("outcome").asText(), summaryLine);
            assertEquals("403", checks.path("storage").path("expired").path("httpStatus").asText(), summaryLine);
            assertTrue(checks.path("storage").path("ok").path("urlShownWithoutQuery").asBoolean(), summaryLine);
            assertTrue(stored.get() >= 1, "the output was stored (a PUT may be repeated, never lost): " + stored.get());
            assertTrue(webhooks.get() >= 2, "the receiver got the delivery and the redelivery: " + webhooks.get());
            JsonNode shown = checks.path("orphans");
            assertEquals("none-more", shown.path("firstPage").asText(), "limit 1: the keeper's own document, newest, first: " + summaryLine);
            assertEquals(0, shown.path("staleSecondPage").asInt(-1), "page 1's answer shown as page 2 while page 2 was scanned: "
                    + summaryLine);
            assertEquals("found", shown.path("secondPage").asText(), summaryLine);
            assertEquals(409, shown.path("contested").path("status").asInt(), summaryLine);
            assertTrue(shown.path("contested").path("text").asText().contains("Owned by an app"), summaryLine);
            assertTrue(shown.path("contested").path("tableKept").asBoolean(), summaryLine);
            assertTrue(shown.path("unavailable").path("text").asText().contains("Retry after 7 s."), summaryLine);
            // the API agrees: the keeper owns the assigned document and the contested one; the deleted one is gone at Runway
            assertEquals(200, orphans.read(orphans.handedOver()).statusCode(), "the keeper owns the assigned document");
            assertEquals(200, orphans.read(orphans.contested()).statusCode(), "the refused delete changed nothing");
            AdminClient.Answer discarded = admin.call("POST", "/orphans/documents/" + orphans.discarded() + "/assign", Map.of(),
                    JSON.writeValueAsString(Map.of("appId", orphans.keeperId())));
            assertEquals(404, discarded.status(), "Runway no longer has the deleted document: " + discarded.body());
            for (String page : new String[] {"overview", "overview-failed-check", "tasks", "task", "task-failed", "task-video", "task-delivery", "apps",
                    "usage", "orphans"}) {
                assertTrue(Files.size(shots.resolve(page + ".png")) > 0, page + ".png");
            }
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * A deleted app's documents, made before the browser starts (as AdminCliIT makes them): three orphans, and a
     * fourth document, made last and so first in Runway's list (newest first), that the keeper app owns.
     */
    private record Orphans(String keeperId, String keeperKey, String handedOver, String discarded, String contested,
                           HttpClient http, URI api) {
        static Orphans make(AdminClient admin, HttpClient http, URI api) throws IOException, InterruptedException {
            JsonNode gone = created(admin, "orphans-gone");
            JsonNode keeper = created(admin, "orphans-keeper");
            String goneKey = gone.path("key").asText();
            String handedOver = document(http, api, goneKey, "handed-over");
            String discarded = document(http, api, goneKey, "discarded");
            String contested = document(http, api, goneKey, "contested");
            document(http, api, keeper.path("key").asText(), "kept");
            AdminClient.Answer deleted = admin.call("DELETE", "/apps/" + gone.path("id").asText(), Map.of(), null);
            assertEquals(200, deleted.status(), deleted.body());
            return new Orphans(keeper.path("id").asText(), keeper.path("key").asText(), handedOver, discarded, contested, http, api);
        }

        private static JsonNode created(AdminClient admin, String name) throws IOException {
            AdminClient.Answer app = admin.call("POST", "/apps", Map.of(), JSON.writeValueAsString(Map.of("name", name)));
            assertEquals(201, app.status(), app.body());
            return JSON.readTree(app.body());
        }

        private static String document(HttpClient http, URI api, String key, String name) throws IOException, InterruptedException {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(api.resolve("/v1/documents"))
                    .header("Authorization", "Bearer " + key).header("X-Runway-Version", "2024-11-06")
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", name, "content", "notes"))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, created.statusCode(), created.body());
            return JSON.readTree(created.body()).path("id").asText();
        }

        /** The keeper's read of one of the documents. */
        HttpResponse<String> read(String id) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(api.resolve("/v1/documents/" + id)).header("Authorization", "Bearer " + keeperKey)
                    .header("X-Runway-Version", "2024-11-06").GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        /** What console-e2e.mjs is told (ORPHANS). */
        String json() throws IOException {
            return JSON.writeValueAsString(Map.of("keeperId", keeperId, "handedOver", handedOver, "discarded", discarded,
                    "contested", contested));
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
