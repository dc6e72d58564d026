package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.domain.webhook.WebhookEvent;
import com.runwayrelay.domain.webhook.WebhookSigner;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code task.started} and {@code task.progress} webhooks through the local stack as it runs (poller on its
 * schedule, notifier on the table's stream): a task that chose them gets its events in order, with sequence
 * numbers 1, 2, 3… and a {@code webhook-id} per event, the end last; the progress events are throttled by the
 * deployment's {@code ProgressEventSeconds}. Count-based: the same simulated task is run under an interval of
 * 0 (every change the poller sees) and of an hour (no second progress event can be due within the task's life).
 */
class WebhookEventsLocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough RUNNING for several of the poller's reads (one per 5 s at most, as Runway asks). */
    private static final Map<String, String> SIMULATOR = Map.of("RUNWAY_SIM_PENDING_MS", "200", "RUNWAY_SIM_RUNNING_MS", "22000");

    @TempDir
    Path temp;

    /** One webhook as received, in arrival order. */
    private record Delivery(String id, String timestamp, String signature, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void sendsStartedProgressAndTheEnd_inOrderWithIncreasingSequences_andThrottlesProgressByTheInterval() throws Exception {
        List<Delivery> everyChange = run("0", temp.resolve("every"));
        List<Delivery> hourly = run("3600", temp.resolve("hourly"));

        long progressEveryChange = count(everyChange, "task.progress");
        long progressHourly = count(hourly, "task.progress");
        assertTrue(progressEveryChange >= 2, "the poller saw the progress change several times: " + types(everyChange));
        assertEquals(1, progressHourly, "one progress event, then none within the hour: " + types(hourly));
        assertTrue(progressHourly < progressEveryChange, "the interval throttles the same task's progress events");
    }

    private List<Delivery> run(String progressEventSeconds, Path data) throws Exception {
        BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (exchange) {
                var h = exchange.getRequestHeaders();
                received.add(new Delivery(h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"),
                        h.getFirst("webhook-signature"), exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        receiver.start();
        StackOptions options = StackOptions.ephemeral().withDataDir(data).withPollInterval(Duration.ofMillis(500))
                .withSimulatorSettings(SIMULATOR);
        try (LocalStack stack = LocalStack.start(options, new StackLog(System.out, StackLog.Level.NORMAL), Clock.systemUTC(),
                Map.of("ProgressEventSeconds", progressEventSeconds))) {
            assertEquals(progressEventSeconds, stack.environments().get("PollerFunction").get("RELAY_PROGRESS_EVENT_SECONDS"));
            String body = "{\"model\":\"gen4_image\",\"promptText\":\"a lighthouse\",\"ratio\":\"1024:1024\","
                    + "\"relay\":{\"callbackUrl\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\","
                    + "\"webhookEvents\":[\"task.started\",\"task.progress\",\"task.succeeded\"]}}";
            HttpResponse<String> created = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/text_to_image"))
                            .header("Authorization", "Bearer " + stack.devApp().key()).header("X-Runway-Version", "2024-11-06")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, created.statusCode(), created.body());
            String taskId = JSON.readTree(created.body()).get("id").asText();

            List<Delivery> deliveries = new ArrayList<>();
            while (deliveries.isEmpty() || !"task.succeeded".equals(deliveries.getLast().json().path("type").asText())) {
                // The timeout only guards against a hang; the end event comes last.
                Delivery next = received.poll(3, TimeUnit.MINUTES);
                assertNotNull(next, "the webhooks so far: " + types(deliveries));
                // At least once: a repeat carries the id of an event already received, and is dropped as a receiver would.
                if (deliveries.stream().noneMatch(d -> d.id().equals(next.id()))) {
                    deliveries.add(next);
                }
            }

            assertEquals("task.started", deliveries.getFirst().json().path("type").asText(), types(deliveries).toString());
            for (int i = 0; i < deliveries.size(); i++) {
                Delivery d = deliveries.get(i);
                JsonNode event = d.json();
                long sequence = i + 1;
                assertEquals(sequence, event.path("data").path("sequence").asLong(), "arrival order is sequence order: "
                        + types(deliveries));
                assertEquals(WebhookEvent.messageIdOf(taskId, sequence), d.id(), "one webhook-id per event");
                assertEquals(taskId, event.path("data").path("id").asText());
                if (i > 0 && i < deliveries.size() - 1) {
                    assertEquals("task.progress", event.path("type").asText(), types(deliveries).toString());
                    assertTrue(event.path("data").path("progress").isNumber(), event.toString());
                }
                assertEquals(WebhookSigner.signatureHeader(d.id(), Long.parseLong(d.timestamp()), d.body(),
                        List.of(stack.devApp().webhookSecret())), d.signature(), "signed with the app's secret");
            }
            return deliveries;
        } finally {
            receiver.stop(0);
        }
    }

    private static long count(List<Delivery> deliveries, String type) {
        return deliveries.stream().filter(d -> type.equals(d.json().path("type").asText())).count();
    }

    private static List<String> types(List<Delivery> deliveries) {
        return deliveries.stream().map(d -> d.json().path("type").asText() + "#" + d.json().path("data").path("sequence")).toList();
    }
}
