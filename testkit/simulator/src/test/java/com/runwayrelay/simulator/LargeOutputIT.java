package com.runwayrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 2 GiB output streamed by a simulator whose heap is capped at 256 MiB: proves outputs are generated
 * on the fly, never buffered. The simulator runs in a child JVM so the heap limit is real.
 */
class LargeOutputIT {
    private static final long SIZE = 2L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoGibOutput_streamsWithCorrectLengthAndSha256_fromA256MibHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                RunwaySimulatorMain.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().keySet().removeIf(k -> k.startsWith(SimulatorConfig.ENV_PREFIX));
        pb.environment().put("RUNWAY_SIM_OUTPUT_SIZE", "2GiB");
        pb.environment().put("RUNWAY_SIM_PENDING_MS", "0");
        pb.environment().put("RUNWAY_SIM_RUNNING_MS", "100");
        Process child = pb.start();
        try {
            Map<String, String> printed = new HashMap<>();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            while (printed.size() < 2) {
                String line = out.readLine();
                assertNotNull(line, "the simulator exited before printing its URL and key");
                int eq = line.indexOf('=');
                if (eq > 0) {
                    printed.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            URI base = URI.create(printed.get("RUNWAYML_BASE_URL"));
            String key = printed.get("RUNWAYML_API_SECRET");
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> created = http.send(api(base, key, "/v1/text_to_video")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"gen4.5\",\"promptText\":\"a long shot\",\"ratio\":\"1280:720\",\"duration\":5}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, created.statusCode(), created.body());
            String id = JSON.readTree(created.body()).path("id").asText();

            JsonNode task = JSON.createObjectNode();
            // Awaited, with a hang guard well inside the test's timeout: the task runs for 100 ms.
            long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!task.path("status").asText().equals("SUCCEEDED") && System.nanoTime() - guard < 0) {
                Thread.sleep(100);
                task = JSON.readTree(http.send(api(base, key, "/v1/tasks/" + id).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            }
            assertEquals("SUCCEEDED", task.path("status").asText(), task.toString());
            URI output = URI.create(task.path("output").get(0).asText());

            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long count = 0;
            HttpResponse<InputStream> download = http.send(HttpRequest.newBuilder(output).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, download.statusCode());
            assertEquals("video/mp4", download.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(SIZE, download.headers().firstValueAsLong("Content-Length").orElseThrow());
            try (InputStream in = download.body()) {
                byte[] buf = new byte[1 << 16];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    digest.update(buf, 0, n);
                    count += n;
                }
            }
            assertEquals(SIZE, count);

            HttpResponse<String> expected = http.send(api(base, key, "/_sim/tasks/" + id + "/outputs/0/sha256").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, expected.statusCode(), expected.body());
            JsonNode sha = JSON.readTree(expected.body());
            assertEquals(SIZE, sha.path("size").asLong());
            assertEquals(sha.path("sha256").asText(), HexFormat.of().formatHex(digest.digest()));
            assertTrue(child.isAlive(), "the simulator survived serving 2 GiB with a 256 MiB heap");
        } finally {
            child.destroy();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    private static HttpRequest.Builder api(URI base, String key, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("X-Runway-Version", "2024-11-06")
                .header("Content-Type", "application/json");
    }
}
