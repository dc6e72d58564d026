package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole task lifecycle in the local stack (a submit carrying a data URI and a callback, Runway's
 * run, the archive, the signed webhook, the status with pre-signed links, the delete) while everything the JVM
 * writes is captured: no line may hold the app's key, the webhook secret, the Runway key, a link's
 * signature or the data URI's body, and every line the functions write is one JSON object. The same
 * lifecycle makes the functions emit every metric of {@link RelayMetric}, each in a valid EMF document.
 */
class LogHygieneIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SIGNATURE = Pattern.compile("X-Amz-Signature=([0-9a-f]{64})");

    @TempDir
    Path temp;

    /** Copies everything written to {@code target} into {@code copy}. */
    private static PrintStream tee(PrintStream target, ByteArrayOutputStream copy) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                target.write(b);
                synchronized (copy) {
                    copy.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                target.write(bytes, offset, length);
                synchronized (copy) {
                    copy.write(bytes, offset, length);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream bytes) {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aWholeLifecycleLogsNoSecretMaterial_onlyJson_andEveryMetricAsValidEmf() throws Exception {
        ByteArrayOutputStream stackConsole = new ByteArrayOutputStream();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        List<String> webhooks = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            webhooks.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();

        byte[] image = new byte[900];
        new SecureRandom().nextBytes(image);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, image, 0, 8);
        String base64 = Base64.getEncoder().encodeToString(image);
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("the data URI's body", base64.substring(100, 160));

        System.setErr(tee(originalErr, stderr));
        StackOptions options = StackOptions.ephemeral().withDataDir(temp.resolve("data")).withPollInterval(Duration.ofMillis(300));
        try (LocalStack stack = LocalStack.start(options,
                new StackLog(tee(new PrintStream(OutputStream.nullOutputStream()), stackConsole), StackLog.Level.VERBOSE))) {
            // Under the stack's metrics tap, so the EMF documents are scanned too.
            PrintStream tapped = System.out;
            System.setOut(tee(tapped, stdout));
            try {
                secrets.put("the app's key", stack.devApp().key());
                secrets.put("the webhook secret", stack.devApp().webhookSecret().substring("whsec_".length()));
                secrets.put("the Runway key", stack.simulatorKey().orElseThrow());
                HttpClient http = HttpClient.newHttpClient();
                String body = "{\"model\":\"gen4_image\",\"promptText\":\"a lighthouse\",\"ratio\":\"1024:1024\","
                        + "\"referenceImages\":[{\"uri\":\"data:image/png;base64," + base64 + "\",\"tag\":\"subject\"}],"
                        + "\"relay\":{\"callbackUrl\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}}";
                HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/text_to_image"))
                        .header("Authorization", "Bearer " + stack.devApp().key()).header("X-Runway-Version", "2024-11-06")
                        .header("Content-Type", "application/json").header("Idempotency-Key", "hygiene-1")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, submitted.statusCode(), submitted.body());
                String taskId = JSON.readTree(submitted.body()).get("id").asText();

                awaitTrue("the task.succeeded webhook", () -> webhooks.stream().anyMatch(w -> w.contains("task.succeeded")),
                        () -> text(stackConsole));
                HttpResponse<String> status = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/tasks/" + taskId))
                        .header("Authorization", "Bearer " + stack.devApp().key()).header("X-Runway-Version", "2024-11-06")
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                JsonNode task = JSON.readTree(status.body());
                assertEquals("SUCCEEDED", task.get("status").asText(), status.body());
                List<String> signatures = new ArrayList<>();
                for (String links : List.of(status.body(), String.join("\n", webhooks))) {
                    Matcher signature = SIGNATURE.matcher(links);
                    while (signature.find()) {
                        signatures.add(signature.group(1));
                    }
                }
                assertFalse(signatures.isEmpty(), "the status and the webhook carry pre-signed links");
                for (int i = 0; i < signatures.size(); i++) {
                    secrets.put("link signature " + i, signatures.get(i));
                }
                HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/tasks/" + taskId))
                        .header("Authorization", "Bearer " + stack.devApp().key()).header("X-Runway-Version", "2024-11-06")
                        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(204, deleted.statusCode(), deleted.body());
                awaitTrue("the archiver's, notifier's and status's log lines", () -> text(stdout).contains("\"archiver.attempt\"")
                        && text(stdout).contains("\"notifier.delivery\"") && text(stdout).contains("\"status.deleted\""),
                        () -> text(stdout));
                // Every metric the registry lists comes out of this lifecycle, through the real functions, as valid EMF,
                // except PossibleOrphans: only a lost create answer or a failed undo records it, which a sound lifecycle
                // never has (StatusApiTest and RealtimeRoutesTest provoke each case and check the count).
                Set<String> every = Arrays.stream(RelayMetric.values()).filter(m -> m != RelayMetric.POSSIBLE_ORPHANS)
                        .map(RelayMetric::metricName).collect(Collectors.toSet());
                awaitTrue("every metric of the lifecycle", () -> stack.metrics().totals().keySet().stream()
                        .map(LocalMetrics.Series::metric).collect(Collectors.toSet()).containsAll(every),
                        () -> stack.metrics().totals().keySet().toString());
                assertEquals(0, stack.metrics().invalidDocuments(), "documents that break the EMF structure");
            } finally {
                System.setOut(tapped);
            }
        } finally {
            System.setErr(originalErr);
            receiver.stop(0);
        }

        String out = text(stdout);
        assertTrue(out.contains("\"submit.answered\"") && out.contains("\"poller.transition\"") && out.contains("\"_aws\""),
                "the capture holds the functions' events and metrics: " + out);
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                JsonNode parsed = JSON.readTree(line);
                assertTrue(parsed.isObject(), "not one JSON object: " + line);
            }
        }
        Map<String, String> everything = Map.of("standard output", out, "standard error", text(stderr),
                "the stack's console", text(stackConsole));
        for (var source : everything.entrySet()) {
            for (var secret : secrets.entrySet()) {
                assertFalse(source.getValue().contains(secret.getValue()),
                        source.getKey() + " holds " + secret.getKey());
            }
            assertFalse(source.getValue().contains("X-Amz-Signature="), source.getKey() + " holds a signed link");
        }
    }

    private static void awaitTrue(String what, Supplier<Boolean> condition, Supplier<String> detail) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ": " + detail.get());
            }
            Thread.sleep(100);
        }
    }
}
