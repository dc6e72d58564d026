package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.domain.webhook.WebhookEvent;
import com.runwayrelay.local.SdkStackFixture.Delivery;
import com.runwayrelay.local.SdkStackFixture.WebhookReceiver;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code task.started} and {@code task.progress} webhooks through the local stack as it runs (poller on its
 * schedule, notifier on the table's stream): a task that chose them gets its events in order, with sequence
 * numbers 1, 2, 3… and a {@code webhook-id} per event, the end last; the progress events are throttled by the
 * deployment's {@code ProgressEventSeconds}. Count-based: the same simulated task is run under an interval of
 * 0 (every change the poller sees) and of an hour (no second progress event can be due within the task's life).
 * The two stacks run side by side (each its own ports, data folder and receiver): nothing one does reaches the other.
 */
class WebhookEventsLocalStackIT {
    /**
     * Long enough RUNNING for several of the poller's reads (one per 5 s at most, as Runway asks): about five, of
     * which the interval-0 run needs three (started and two progress events). 30 s rather than the 22 s the test
     * had when its stacks ran one after the other: two stacks at once on two loaded cores read later, and 22 s
     * once left room for only two reads.
     */
    private static final Duration RUNNING = Duration.ofSeconds(30);
    /** Each awaited webhook's hang guard; the task runs 30 s. */
    private static final Duration WEBHOOK_GUARD = Duration.ofMinutes(3);

    @TempDir
    Path temp;

    @Test
    void sendsStartedProgressAndTheEnd_inOrderWithIncreasingSequences_andThrottlesProgressByTheInterval() throws Exception {
        List<Delivery> everyChange;
        List<Delivery> hourly;
        try (ExecutorService both = Executors.newFixedThreadPool(2)) {
            Future<List<Delivery>> everyChangeRun = both.submit(() -> run("0", temp.resolve("every")));
            Future<List<Delivery>> hourlyRun = both.submit(() -> run("3600", temp.resolve("hourly")));
            everyChange = result(everyChangeRun);
            hourly = result(hourlyRun);
        }

        long progressEveryChange = count(everyChange, "task.progress");
        long progressHourly = count(hourly, "task.progress");
        assertTrue(progressEveryChange >= 2, "the poller saw the progress change several times: " + types(everyChange));
        assertEquals(1, progressHourly, "one progress event, then none within the hour: " + types(hourly));
        assertTrue(progressHourly < progressEveryChange, "the interval throttles the same task's progress events");
    }

    /** The run's deliveries, or its own failure rethrown as it was (an assertion stays an assertion). */
    private static List<Delivery> result(Future<List<Delivery>> run) throws Exception {
        try {
            return run.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            if (e.getCause() instanceof Exception exception) {
                throw exception;
            }
            throw e;
        }
    }

    private List<Delivery> run(String progressEventSeconds, Path data) throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start();
             LocalStack stack = LocalStack.start(SdkStackFixture.quickTasks(data, RUNNING), SdkStackFixture.consoleLog(),
                     Clock.systemUTC(), Map.of("ProgressEventSeconds", progressEventSeconds))) {
            assertEquals(progressEventSeconds, stack.environments().get("PollerFunction").get("RELAY_PROGRESS_EVENT_SECONDS"));
            String body = "{\"model\":\"gen4_image\",\"promptText\":\"a lighthouse\",\"ratio\":\"1024:1024\","
                    + "\"relay\":{\"callbackUrl\":\"" + receiver.url() + "\","
                    + "\"webhookEvents\":[\"task.started\",\"task.progress\",\"task.succeeded\"]}}";
            HttpResponse<String> created;
            try (HttpClient http = HttpClient.newHttpClient()) {
                created = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/text_to_image"))
                        .header("Authorization", "Bearer " + stack.devApp().key()).header("X-Runway-Version", "2024-11-06")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            }
            assertEquals(200, created.statusCode(), created.body());
            String taskId = new ObjectMapper().readTree(created.body()).get("id").asText();

            List<Delivery> deliveries = new ArrayList<>();
            while (deliveries.isEmpty() || !"task.succeeded".equals(deliveries.getLast().json().path("type").asText())) {
                // The guard only stops a hang; the end event comes last.
                Delivery next = receiver.next("the webhooks so far (interval " + progressEventSeconds + " s): " + types(deliveries),
                        WEBHOOK_GUARD);
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
                d.assertSignedWith(stack.devApp().webhookSecret());
            }
            return deliveries;
        }
    }

    private static long count(List<Delivery> deliveries, String type) {
        return deliveries.stream().filter(d -> type.equals(d.json().path("type").asText())).count();
    }

    private static List<String> types(List<Delivery> deliveries) {
        return deliveries.stream().map(d -> d.json().path("type").asText() + "#" + d.json().path("data").path("sequence")).toList();
    }
}
