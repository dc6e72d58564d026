package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.testkit.node.OfficialNodeSdk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Prefer: wait} through the local stack as it runs (poller on its schedule, archiver on the stream):
 * a create sent with {@code wait=20} for a 4 s simulated task is answered SUCCEEDED with working links in
 * one request, and Runway (the simulator) is read no more often for it than for the same task created
 * without the header and polled by the client; a held read of an unknown task is 404 without being held.
 *
 * <p>The tests share one stack: each makes its own app and reads only its own tasks (Runway reads are counted
 * per Runway task id).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreferWaitLocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"model\":\"gen4_image\",\"promptText\":\"a lighthouse\",\"ratio\":\"1024:1024\"}";
    /** A hang guard for the client's own polling of the task created without the header. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(2);

    /** Static: JUnit fills an instance field only after {@code @BeforeAll} has run. */
    @TempDir
    static Path temp;

    private LocalStack stack;

    @BeforeAll
    void start() {
        StackOptions options = StackOptions.ephemeral().withDataDir(temp.resolve("data")).withPollInterval(Duration.ofMillis(500))
                .withSimulatorSettings(Map.of("RUNWAY_SIM_PENDING_MS", "0", "RUNWAY_SIM_RUNNING_MS", "4000"));
        stack = LocalStack.start(options, new StackLog(System.out, StackLog.Level.NORMAL));
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void heldCreate_answersSucceededWithLinks_withNoMoreRunwayReadsThanWithoutTheHeader_andUnknownTaskIs404() throws Exception {
        String key = SdkStackFixture.createApp(SdkStackFixture.apps(stack), "prefer-wait-http", 1_000);
        try (HttpClient http = HttpClient.newHttpClient()) {
            RunwaySimulator simulator = stack.simulator().orElseThrow();

            // Without the header: the usual {id, estimatedCost}, then the client polls the gateway until it ends.
            HttpResponse<String> plain = http.send(create(key, null), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, plain.statusCode(), plain.body());
            assertNull(plain.headers().firstValue("preference-applied").orElse(null));
            String plainId = JSON.readTree(plain.body()).get("id").asText();
            JsonNode polled = pollUntilEnded(http, key, plainId);
            assertEquals("SUCCEEDED", polled.get("status").asText(), polled.toString());
            long plainReads = runwayReads(simulator, polled);

            // With the header: one request, answered once the task is archived.
            HttpResponse<String> held = http.send(create(key, "wait=20"), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, held.statusCode(), held.body());
            assertEquals("wait=20", held.headers().firstValue("preference-applied").orElse(null));
            JsonNode task = JSON.readTree(held.body());
            assertEquals("SUCCEEDED", task.get("status").asText(), task.toString());
            assertTrue(task.get("estimatedCost").get("credits").isNumber(), "the create's usual member: " + task);
            URI link = URI.create(task.get("output").get(0).asText());
            HttpResponse<byte[]> output = http.send(HttpRequest.newBuilder(link).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, output.statusCode(), "the link works: " + link);
            String runwayTaskId = task.get("relay").get("runwayTaskId").asText();
            assertEquals(simulator.outputSha256(runwayTaskId, 0), task.get("relay").get("archive").get(0).get("sha256").asText());
            long heldReads = runwayReads(simulator, task);

            assertTrue(heldReads >= 1, "the poller read the task at Runway");
            assertTrue(heldReads <= plainReads, "held: " + heldReads + " Runway reads, without the header: " + plainReads);

            // A held read of a task that does not exist is not held: 404, nothing applied.
            HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/tasks/" + UUID.randomUUID()))
                    .header("Authorization", "Bearer " + key).header("X-Runway-Version", "2024-11-06")
                    .header("Prefer", "wait=20").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, unknown.statusCode(), unknown.body());
            assertNull(unknown.headers().firstValue("preference-applied").orElse(null));
        }
    }

    @Test
    void officialSdk_createsWithAndWithoutTheHeader() throws Exception {
        OfficialNodeSdk sdk = OfficialNodeSdk.install();
        String key = SdkStackFixture.createApp(SdkStackFixture.apps(stack), "prefer-wait-sdk", 1_000);
        JsonNode summary = JSON.readTree(sdk.run("prefer-wait-sdk.mjs", stack.apiUrl(), key));

        assertTrue(summary.path("ok").asBoolean(), summary.toString());
        JsonNode held = summary.path("checks").path("held");
        assertEquals("SUCCEEDED", held.path("status").asText(), held.toString());
        assertEquals(1, held.path("outputs").asInt());
        assertTrue(held.path("bytes").asLong() > 0, held.toString());
        assertTrue(held.path("estimatedCredits").isNumber(), held.toString());
        assertEquals(held.path("id").asText(), held.path("waitedId").asText());
        assertEquals("SUCCEEDED", held.path("waitedStatus").asText());
        JsonNode plain = summary.path("checks").path("plain");
        assertEquals("[\"estimatedCost\",\"id\"]", plain.path("keys").toString(), "the usual answer without the header");
        assertEquals("SUCCEEDED", plain.path("status").asText());
        assertTrue(plain.path("sameId").asBoolean());
    }

    private HttpRequest create(String key, String prefer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/text_to_image"))
                .header("Authorization", "Bearer " + key).header("X-Runway-Version", "2024-11-06")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return request.build();
    }

    private JsonNode pollUntilEnded(HttpClient http, String key, String id) throws Exception {
        long guard = System.nanoTime() + HANG_GUARD.toNanos();
        while (true) {
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/tasks/" + id))
                    .header("Authorization", "Bearer " + key).header("X-Runway-Version", "2024-11-06")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode task = JSON.readTree(read.body());
            String status = task.path("status").asText();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                return task;
            }
            assertTrue(System.nanoTime() - guard < 0, "the task did not end: " + task);
            Thread.sleep(200);
        }
    }

    /** GETs of the task's Runway task the simulator answered. */
    private static long runwayReads(RunwaySimulator simulator, JsonNode task) {
        String runwayTaskId = task.get("relay").get("runwayTaskId").asText();
        return simulator.requestLog().stream()
                .filter(r -> r.method().equals("GET") && r.path().equals("/v1/tasks/" + runwayTaskId)).count();
    }
}
