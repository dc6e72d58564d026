package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.local.admin.AdminClient;
import com.runwayrelay.local.admin.AdminCommand;
import com.runwayrelay.local.admin.AdminTarget;
import com.runwayrelay.local.admin.Targets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin CLI end to end against the local stack, in {@code --json} mode as a script would use it:
 * every command goes through the stack's admin API, signed with the stack's credentials
 * ({@code stack.json}), and through its SigV4 check. The tests share one stack: each makes its own app and
 * looks only at that app's tasks, usage and metrics, and the wrong-secret test changes nothing. The health test
 * adds a line to the stack's stream-failure file and removes it before it ends (no other test reads health).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EVENTUALLY = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newHttpClient();
    private LocalStack stack;
    private Map<String, String> env;

    /** Static: JUnit fills an instance field only after {@code @BeforeAll} has run. */
    @TempDir
    static Path temp;

    @BeforeAll
    void start() {
        Path data = temp.resolve("data");
        stack = LocalStack.start(StackOptions.ephemeral().withDataDir(data).withPollInterval(Duration.ofMillis(500)),
                new StackLog(System.err, StackLog.Level.QUIET));
        env = Map.of("RELAY_DATA_DIR", data.toString());
    }

    @AfterAll
    void stop() {
        stack.close();
        http.close();
    }

    private record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON (exit " + code + ", stderr: " + err + "): " + out, e);
            }
        }
    }

    private Result relay(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RelayCli.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private JsonNode relayJson(String... args) {
        Result result = relay(args);
        assertEquals(0, result.code(), String.join(" ", args) + ": " + result.err());
        return result.json();
    }

    /** Runs the command until its JSON answer satisfies the condition (a hang guard, not a timing assumption). */
    private JsonNode eventually(String what, Predicate<JsonNode> condition, String... args) throws InterruptedException {
        long deadline = System.nanoTime() + EVENTUALLY.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = relayJson(args);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; last answer: " + last);
    }

    private static final Pattern STREAM_FAILURES_OK = Pattern.compile("stream failures\\s+ok\\s+0 waiting");

    private HttpResponse<String> submit(String key) throws IOException, InterruptedException {
        String body = """
                {"model":"gen4_image","promptText":"A lighthouse on a basalt cliff at dusk","ratio":"1280:720"}""";
        return http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/text_to_image"))
                .header("Authorization", "Bearer " + key).header("X-Runway-Version", "2024-11-06")
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The credits the metrics overview shows charged to {@code appId}, or -1. */
    private static long charged(JsonNode metrics, String appId) {
        for (JsonNode metric : metrics.path("metrics")) {
            if (metric.path("name").asText().equals("CreditsCharged")) {
                for (JsonNode series : metric.path("series")) {
                    if (series.path("dimensions").path("AppId").asText().equals(appId)) {
                        return series.path("sum").asLong();
                    }
                }
            }
        }
        return -1;
    }

    @Test
    void createApp_submit_listTasks_showTheArchive_andCountTheCredits() throws Exception {
        JsonNode app = relayJson("apps", "create", "--name", "admin-cli-e2e", "--daily-budget", "500", "--json");
        String appId = app.path("id").asText();
        String key = app.path("key").asText();
        assertTrue(appId.startsWith("app_"), app.toString());
        assertFalse(key.isEmpty(), app.toString());
        assertEquals(500, app.path("dailyCreditBudget").asLong());

        HttpResponse<String> submitted = submit(key);
        assertEquals(200, submitted.statusCode(), submitted.body());
        String taskId = JSON.readTree(submitted.body()).path("id").asText();

        JsonNode listed = relayJson("tasks", "list", "--app", appId, "--json");
        assertEquals(1, listed.path("data").size(), listed.toString());
        assertEquals(taskId, listed.path("data").get(0).path("id").asText());
        assertEquals("gen4_image", listed.path("data").get(0).path("model").asText());

        JsonNode shown = eventually("task " + taskId + " to be archived", task -> task.path("state").asText().equals("ARCHIVED"),
                "tasks", "show", taskId, "--json");
        assertEquals(appId, shown.path("appId").asText());
        JsonNode archive = shown.path("archive");
        assertTrue(archive.isArray() && !archive.isEmpty(), "the archive is shown: " + shown);
        assertTrue(archive.get(0).path("url").asText().startsWith("http"), archive.toString());
        long credits = shown.path("actualCredits").asLong();
        assertTrue(credits > 0, "a finished gen4_image task costs credits: " + shown);

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode usage = eventually("the task's credits to be counted", u -> u.path("totals").path("tasks").asLong() == 1,
                "usage", "--app", appId, "--from", LocalDate.parse(today).minusDays(1).toString(), "--to", today, "--json");
        assertEquals(credits, usage.path("totals").path("credits").asLong(), usage.toString());
        assertEquals(credits, usage.path("totals").path("models").path("gen4_image").path("credits").asLong(), usage.toString());

        JsonNode metrics = eventually("the task's charge in the metrics", m -> charged(m, appId) == credits,
                "metrics", "--hours", "1", "--json");
        assertEquals(3600, metrics.path("period").asLong(), metrics.toString());
        Result table = relay("metrics", "--hours", "2");
        assertEquals(0, table.code(), table.err());
        assertTrue(Pattern.compile("CreditsCharged\\s+AppId=" + appId + "\\s+" + credits + "\\s+1\\s").matcher(table.out()).find(),
                table.out());
        Result badHours = relay("metrics", "--hours", "0");
        assertEquals(2, badHours.code(), badHours.err());
        assertTrue(badHours.err().contains("the API refused the request (400): Validation of query failed: query "
                + "parameter 'hours' must be a whole number from 1 to 168 (got 0)"), badHours.err());

        Result cancel = relay("tasks", "cancel", taskId);
        assertEquals(1, cancel.code(), cancel.err());
        assertTrue(cancel.err().contains("409"), "an archived task cannot be cancelled: " + cancel.err());

        HttpResponse<String> second = submit(key);
        assertEquals(200, second.statusCode(), second.body());
        String secondId = JSON.readTree(second.body()).path("id").asText();
        JsonNode everyPage = relayJson("tasks", "list", "--app", appId, "--limit", "1", "--all", "--json");
        assertEquals(List.of(secondId, taskId), everyPage.path("data").findValues("id").stream().map(JsonNode::asText).toList(),
                "--all follows the cursor to the last page, newest first: " + everyPage);
    }

    @Test
    void appsCommandsGoThroughTheSignedAdminApi_andItsErrorsAreRendered() {
        Result created = relay("apps", "create", "--name", "plain");
        assertEquals(0, created.code(), created.err());
        String key = created.out().strip();
        assertTrue(key.startsWith("rr_") || !key.contains(" "), "only the key on stdout: " + created.out());
        assertFalse(created.err().contains("writing its table directly"), "the stack serves the admin API: " + created.err());

        JsonNode list = relayJson("apps", "list", "--json");
        String appId = list.path("data").findValues("id").stream().map(JsonNode::asText)
                .filter(id -> created.err().contains(id)).findFirst().orElseThrow(() -> new AssertionError(list + " / " + created.err()));

        assertEquals(0, relay("apps", "disable", appId).code());
        assertTrue(relayJson("apps", "show", appId, "--json").path("disabled").asBoolean());
        assertEquals(0, relay("apps", "enable", appId).code());
        assertFalse(relayJson("apps", "show", appId, "--json").path("disabled").asBoolean());

        Result bad = relay("apps", "update", appId, "--max-active", "0", "--endpoints", "text_to_pizza");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("maxActiveTasks") && bad.err().contains("allowedEndpoints"), "every issue listed: " + bad.err());

        Result missing = relay("apps", "show", "app_doesnotexist");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no such app app_doesnotexist"), missing.err());

        Result deleted = relay("apps", "delete", appId, "--yes", "--json");
        assertEquals(0, deleted.code(), deleted.err());
        assertEquals(1, relay("apps", "show", appId).code());
    }

    @Test
    void health_isHealthyOnAFreshStack_unhealthyWithAStreamFailure_andFailsClearlyWithoutAStack() throws IOException {
        Result healthy = relay("health");
        assertEquals(0, healthy.code(), healthy.err());
        assertTrue(healthy.out().startsWith("Health as of "), healthy.out());
        assertTrue(Pattern.compile("stuck tasks\\s+ok\\s+0 not ended, created over 60 min ago").matcher(healthy.out()).find(),
                healthy.out());
        assertTrue(Pattern.compile("poller dead letters\\s+not checked\\s+the local stack has no poller dead-letter queue")
                .matcher(healthy.out()).find(), healthy.out());
        assertTrue(STREAM_FAILURES_OK.matcher(healthy.out()).find(), healthy.out());
        assertTrue(healthy.out().strip().endsWith("Healthy."), healthy.out());
        JsonNode report = relayJson("health", "--stuck-after", "30", "--oldest", "0", "--json");
        assertEquals(30, report.path("stuckAfterMinutes").asLong(), report.toString());
        assertEquals(0, report.path("queues").path("streamFailures").asLong(-1), report.toString());
        assertEquals("[]", report.path("failedChecks").toString(), "the stack lacks a poller DLQ by design: no failed check");

        // The local stand-in for the stream-failure queue: one line per batch the stream readers gave up on.
        Path failures = temp.resolve("data").resolve("stream-failures.jsonl");
        java.nio.file.Files.writeString(failures, """
                {"time":"2026-12-03T09:00:00Z","function":"ArchiverFunction","shardId":"shard-1","firstSequenceNumber":"1",\
                "lastSequenceNumber":"1","records":1,"keys":["task#t_1"],"reason":"the test's failure"}
                """, StandardCharsets.UTF_8);
        try {
            Result unhealthy = relay("health");
            assertEquals(AdminCommand.UNHEALTHY, unhealthy.code(), unhealthy.err());
            assertTrue(Pattern.compile("stream failures\\s+PROBLEM\\s+1 waiting").matcher(unhealthy.out()).find(), unhealthy.out());
            assertTrue(unhealthy.out().strip().endsWith("Unhealthy: 1 stream failure(s)."), unhealthy.out());
            assertTrue(unhealthy.err().contains("relay health: unhealthy: 1 stream failure(s) (exit 3)"), unhealthy.err());
            Result unhealthyJson = relay("health", "--json");
            assertEquals(AdminCommand.UNHEALTHY, unhealthyJson.code(), unhealthyJson.err());
            assertEquals(1, unhealthyJson.json().path("queues").path("streamFailures").asLong(), unhealthyJson.out());
        } finally {
            java.nio.file.Files.delete(failures);
        }
        assertEquals(0, relay("health").code(), "healthy again without the line");

        Path empty = temp.resolve("no-stack-here");
        Result noStack = relay("health", "--data-dir", empty.toString());
        assertEquals(1, noStack.code(), noStack.err());
        assertTrue(noStack.err().startsWith("relay health: no local stack is running on " + empty.toAbsolutePath().normalize()),
                noStack.err());
        assertEquals("", noStack.out());

        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        AdminTarget gone = Targets.local(java.net.URI.create("http://127.0.0.1:" + port), stack.aws().environment(), "the test's folder");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AdminCommand.run("health", List.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), AdminClient.of(gone));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, message);
        assertTrue(message.startsWith("relay health: cannot reach the admin API of the local stack on the test's folder at http://127.0.0.1:"
                + port), message);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    private String document(String key, String name) throws IOException, InterruptedException {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/documents"))
                .header("Authorization", "Bearer " + key).header("X-Runway-Version", "2024-11-06")
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + name + "\",\"content\":\"notes\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, created.statusCode(), created.body());
        return JSON.readTree(created.body()).path("id").asText();
    }

    /** The orphans of Runway's whole document list (every page), by id. */
    private Map<String, JsonNode> documentOrphans() {
        Map<String, JsonNode> found = new HashMap<>();
        String cursor = null;
        do {
            JsonNode page = cursor == null ? relayJson("orphans", "documents", "--limit", "100", "--json")
                    : relayJson("orphans", "documents", "--limit", "100", "--cursor", cursor, "--json");
            page.path("data").forEach(orphan -> found.put(orphan.path("id").asText(), orphan));
            cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return found;
    }

    @Test
    void aDeletedAppsDocumentsAreFoundAsOrphans_thenAssignedOrDeleted() throws Exception {
        JsonNode gone = relayJson("apps", "create", "--name", "orphans-gone", "--json");
        String kept = relayJson("apps", "create", "--name", "orphans-kept", "--json").path("id").asText();
        String given = document(gone.path("key").asText(), "given");
        String dropped = document(gone.path("key").asText(), "dropped");
        assertFalse(documentOrphans().containsKey(given), "owned by an existing app");
        relayJson("apps", "delete", gone.path("id").asText(), "--yes", "--json");

        Map<String, JsonNode> orphans = documentOrphans();
        assertEquals("app-deleted", orphans.get(given).path("reason").asText(), orphans.toString());
        assertEquals(gone.path("id").asText(), orphans.get(dropped).path("formerAppId").asText());

        JsonNode assigned = relayJson("orphans", "assign", "documents", given, "--app", kept, "--json");
        assertEquals(kept, assigned.path("appId").asText());
        Result owned = relay("orphans", "delete", "documents", given, "--yes");
        assertEquals(1, owned.code(), owned.err());
        assertTrue(owned.err().contains("409 Owned by an app"), owned.err());
        assertTrue(relayJson("orphans", "delete", "documents", dropped, "--yes", "--json").path("deleted").asBoolean());
        Map<String, JsonNode> after = documentOrphans();
        assertFalse(after.containsKey(given) || after.containsKey(dropped), after.toString());
        Result bad = relay("orphans", "realtime_sessions");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("Runway has no list of realtime sessions"), bad.err());
    }

    @Test
    void aWrongSecretIsRefusedWith403_andTheMessageSaysWhatToCheck() {
        Map<String, String> wrong = new HashMap<>(stack.aws().environment());
        wrong.put("AWS_SECRET_ACCESS_KEY", "not-the-stacks-secret");
        AdminTarget target = Targets.local(stack.apiUrl(), wrong, "the test's folder");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = AdminCommand.run("apps", List.of("list"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), AdminClient.of(target));

        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, message);
        assertTrue(message.contains("refused the request's signature (403"), message);
        assertTrue(message.contains("signature we calculated does not match"), message);
        assertTrue(message.contains("the test's folder/stack.json"), message);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
