package com.runwayrelay.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.s3.LinkSigner.SignedLink;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.webhook.EventPayloads;
import com.runwayrelay.domain.webhook.WebhookEvent;
import com.runwayrelay.domain.webhook.WebhookEventType;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JsonEventPayloadsTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:30:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private final List<String> signedKeys = new ArrayList<>();
    private final JsonEventPayloads payloads = new JsonEventPayloads(JSON, (key, lifetime) -> {
        signedKeys.add(key);
        return new SignedLink(URI.create("https://bucket.s3.amazonaws.com/" + key + "?X-Amz-Signature=abc"),
                T0.plus(lifetime == null ? Duration.ofHours(1) : lifetime));
    });

    private static Task.Builder task(TaskState state) {
        return Task.accepted("0b6f3d1e-4c2a-4f8e-9d3b-7a1c2e5f6a90", "app_1", "text_to_image", "gen4_image", "{}", 5,
                T0.minusSeconds(60)).state(state).version(5).updatedAt(T0).callbackUrl("https://hooks.example.com/x");
    }

    private static WebhookEvent event(WebhookEventType type) {
        return new WebhookEvent("msg_x_1", type, 1, T0);
    }

    private JsonNode render(Task task, WebhookEventType type) throws IOException {
        byte[] body = payloads.render(task, event(type));
        assertTrue(body.length <= EventPayloads.MAX_BYTES, body.length + " bytes");
        return JSON.readTree(body);
    }

    @Test
    void progressEventCarriesTheRunningStatusAndTheLatestProgress_andAnEndedTaskNone() throws IOException {
        Task running = task(TaskState.SUBMITTED).runwayTaskId("rw1")
                .runwayStatus(com.runwayrelay.domain.RunwayStatus.RUNNING).progress(0.45).build();
        Task failed = task(TaskState.FAILED).progress(0.45).failure("boom").build();

        JsonNode progress = render(running, WebhookEventType.TASK_PROGRESS);
        JsonNode end = render(failed, WebhookEventType.TASK_FAILED);

        assertEquals("task.progress", progress.get("type").asText());
        assertEquals("RUNNING", progress.get("data").get("status").asText());
        assertEquals(0.45, progress.get("data").get("progress").asDouble());
        assertFalse(end.get("data").has("progress"), end.toString());
    }

    @Test
    void succeededEventCarriesTheTaskSummaryAndAFreshLinkPerArchivedOutput() throws IOException {
        Task task = task(TaskState.ARCHIVED).actualCredits(5L).archive(List.of(
                new ArchiveRecord("outputs/app_1/t/0.png", 1_482_211, SHA, "image/png"),
                new ArchiveRecord("outputs/app_1/t/1.png", 10, SHA, "image/png"))).build();

        JsonNode root = render(task, WebhookEventType.TASK_SUCCEEDED);

        assertEquals("task.succeeded", root.get("type").asText());
        assertEquals(T0.toString(), root.get("timestamp").asText());
        JsonNode data = root.get("data");
        assertEquals(task.id(), data.get("id").asText());
        assertEquals("SUCCEEDED", data.get("status").asText());
        assertEquals(1, data.get("sequence").asLong());
        assertEquals(task.createdAt().toString(), data.get("createdAt").asText());
        assertEquals("gen4_image", data.get("model").asText());
        assertEquals(5, data.get("creditsCharged").asLong());
        JsonNode first = data.get("outputs").get(0);
        assertEquals("https://bucket.s3.amazonaws.com/outputs/app_1/t/0.png?X-Amz-Signature=abc", first.get("url").asText());
        assertEquals(T0.plusSeconds(3600).toString(), first.get("expiresAt").asText());
        assertEquals(1_482_211, first.get("size").asLong());
        assertEquals(SHA, first.get("sha256").asText());
        assertEquals("image/png", first.get("contentType").asText());
        assertEquals(List.of("outputs/app_1/t/0.png", "outputs/app_1/t/1.png"), signedKeys);
        assertFalse(data.has("failure"));
    }

    @Test
    void namesTheNodeOfEachOutput_ofAWorkflowInvocation_andNoneForATask() throws IOException {
        Task run = task(TaskState.ARCHIVED).endpoint("workflows/wf-1").model("workflow").archive(List.of(
                new ArchiveRecord("outputs/app_1/t/node-a/0.png", 10, SHA, "image/png", "node-a"))).build();
        Task plain = task(TaskState.ARCHIVED).archive(List.of(
                new ArchiveRecord("outputs/app_1/t/0.png", 10, SHA, "image/png"))).build();

        JsonNode data = render(run, WebhookEventType.TASK_SUCCEEDED).get("data");

        assertEquals("node-a", data.get("outputs").get(0).get("node").asText());
        assertEquals("workflows/wf-1", data.get("endpoint").asText());
        assertFalse(render(plain, WebhookEventType.TASK_SUCCEEDED).get("data").get("outputs").get(0).has("node"));
    }

    @Test
    void signsTheLinksForTheTasksOwnLifetime_whenItAskedForOne() throws IOException {
        Task task = task(TaskState.ARCHIVED).actualCredits(5L).linkTtl(Duration.ofMinutes(15)).archive(List.of(
                new ArchiveRecord("outputs/app_1/t/0.png", 10, SHA, "image/png"))).build();

        JsonNode first = render(task, WebhookEventType.TASK_SUCCEEDED).get("data").get("outputs").get(0);

        assertEquals(T0.plus(Duration.ofMinutes(15)).toString(), first.get("expiresAt").asText());
    }

    @Test
    void succeededEventReportsEachOutputsDelivery_withoutTheDeliveryUrl() throws IOException {
        Task task = task(TaskState.ARCHIVED).actualCredits(5L).archive(List.of(
                        new ArchiveRecord("outputs/app_1/t/0.png", 10, SHA, "image/png")))
                .deliverTo(com.runwayrelay.domain.delivery.DeliverTo.of(List.of("https://b.example/0?X-Amz-Signature=secret")))
                .deliveries(List.of(new com.runwayrelay.domain.OutputDelivery(0,
                        com.runwayrelay.domain.OutputDelivery.Outcome.REJECTED, 403, 10, SHA, 1, "HTTP 403", T0)))
                .build();

        JsonNode root = render(task, WebhookEventType.TASK_SUCCEEDED);

        JsonNode delivery = root.get("data").get("deliveries").get(0);
        assertEquals(0, delivery.get("index").asInt());
        assertEquals("rejected", delivery.get("outcome").asText());
        assertEquals(403, delivery.get("httpStatus").asInt());
        assertEquals(10, delivery.get("bytes").asLong());
        assertEquals(SHA, delivery.get("sha256").asText());
        assertEquals(1, delivery.get("attempts").asInt());
        assertEquals("HTTP 403", delivery.get("error").asText());
        assertEquals(T0.toString(), delivery.get("at").asText());
        assertFalse(root.toString().contains("secret"));
    }

    @Test
    void deliveredEventCarriesEveryOutputsOutcome_theDeliveredTheExpiredAndTheFailed() throws IOException {
        Task task = task(TaskState.ARCHIVED).archive(List.of(
                        new ArchiveRecord("outputs/app_1/t/0.png", 10, SHA, "image/png"),
                        new ArchiveRecord("outputs/app_1/t/1.png", 10, SHA, "image/png"),
                        new ArchiveRecord("outputs/app_1/t/2.png", 10, SHA, "image/png")))
                .deliverTo(com.runwayrelay.domain.delivery.DeliverTo.template("https://b.example/{index}?X-Amz-Signature=secret"))
                .deliveries(List.of(
                        new com.runwayrelay.domain.OutputDelivery(0,
                                com.runwayrelay.domain.OutputDelivery.Outcome.DELIVERED, 200, 10, SHA, 1, null, T0),
                        new com.runwayrelay.domain.OutputDelivery(1,
                                com.runwayrelay.domain.OutputDelivery.Outcome.REJECTED, 403, 10, SHA, 1, "HTTP 403: expired", T0),
                        new com.runwayrelay.domain.OutputDelivery(2,
                                com.runwayrelay.domain.OutputDelivery.Outcome.FAILED, 503, 4, null, 3, "HTTP 503 (after 3 attempts)", T0)))
                .build();

        JsonNode root = render(task, WebhookEventType.TASK_DELIVERED);

        assertEquals("task.delivered", root.get("type").asText());
        assertEquals("SUCCEEDED", root.get("data").get("status").asText());
        JsonNode deliveries = root.get("data").get("deliveries");
        assertEquals(3, deliveries.size());
        assertEquals("delivered", deliveries.get(0).get("outcome").asText());
        assertEquals(200, deliveries.get(0).get("httpStatus").asInt());
        assertEquals(SHA, deliveries.get(0).get("sha256").asText());
        assertEquals("rejected", deliveries.get(1).get("outcome").asText());
        assertEquals(403, deliveries.get(1).get("httpStatus").asInt());
        assertEquals("failed", deliveries.get(2).get("outcome").asText());
        assertEquals(3, deliveries.get(2).get("attempts").asInt());
        assertFalse(deliveries.get(2).has("sha256"), "not sent in full: no digest");
        assertFalse(root.toString().contains("secret"));
    }

    @Test
    void failedEventCarriesFailureAndCode() throws IOException {
        Task task = task(TaskState.FAILED).failure("The prompt was rejected by content moderation.")
                .failureCode("SAFETY.INPUT.TEXT").build();

        JsonNode data = render(task, WebhookEventType.TASK_FAILED).get("data");

        assertEquals("FAILED", data.get("status").asText());
        assertEquals("The prompt was rejected by content moderation.", data.get("failure").asText());
        assertEquals("SAFETY.INPUT.TEXT", data.get("failureCode").asText());
        assertFalse(data.has("outputs"));
    }

    @Test
    void cancelledAndExpiredTasksShowTheWireStatusCancelled() throws IOException {
        assertEquals("CANCELLED", render(task(TaskState.CANCELLED).build(), WebhookEventType.TASK_CANCELLED)
                .get("data").get("status").asText());
        JsonNode expired = render(task(TaskState.EXPIRED).failure("deadline passed").build(), WebhookEventType.TASK_CANCELLED);
        assertEquals("task.cancelled", expired.get("type").asText());
        assertEquals("CANCELLED", expired.get("data").get("status").asText());
        assertEquals("deadline passed", expired.get("data").get("failure").asText());
    }

    @Test
    void echoesJsonMetadata_andSkipsMetadataThatIsNotJson() throws IOException {
        assertEquals("order-42", render(task(TaskState.CANCELLED).metadataJson("{\"ref\":\"order-42\"}").build(),
                WebhookEventType.TASK_CANCELLED).get("data").get("metadata").get("ref").asText());
        assertFalse(render(task(TaskState.CANCELLED).metadataJson("{not json").build(), WebhookEventType.TASK_CANCELLED)
                .get("data").has("metadata"));
    }

    @Test
    void dropsMetadataFirst_whenTheBodyWouldExceed20KB() throws IOException {
        String big = "{\"notes\":\"" + "x".repeat(25_000) + "\"}";

        JsonNode data = render(task(TaskState.ARCHIVED).metadataJson(big).archive(List.of(
                new ArchiveRecord("k/0.png", 1, SHA, "image/png"))).build(), WebhookEventType.TASK_SUCCEEDED).get("data");

        assertFalse(data.has("metadata"));
        assertTrue(data.get("outputs").get(0).has("url"));
    }

    @Test
    void dropsLinksNext_andThenTheOutputList_whenManyOutputsWouldExceed20KB() throws IOException {
        List<ArchiveRecord> many = IntStream.range(0, 150)
                .mapToObj(i -> new ArchiveRecord("outputs/app_1/t/" + i + ".png", i, SHA, "image/png")).toList();
        List<ArchiveRecord> huge = IntStream.range(0, 400)
                .mapToObj(i -> new ArchiveRecord("outputs/app_1/t/" + i + ".png", i, SHA, "image/png")).toList();

        JsonNode withoutLinks = render(task(TaskState.ARCHIVED).archive(many).build(), WebhookEventType.TASK_SUCCEEDED).get("data");
        JsonNode minimal = render(task(TaskState.ARCHIVED).archive(huge).failure("f".repeat(30_000)).build(),
                WebhookEventType.TASK_SUCCEEDED).get("data");

        assertTrue(withoutLinks.get("linksOmitted").asBoolean());
        assertEquals(150, withoutLinks.get("outputs").size());
        assertFalse(withoutLinks.get("outputs").get(0).has("url"));
        assertEquals(400, minimal.get("outputCount").asInt());
        assertFalse(minimal.has("outputs"));
        assertTrue(minimal.get("failure").asText().length() <= 1_001);
    }

    @Test
    void refuses_whenEvenTheMinimalBodyIsTooLarge() {
        Task absurd = task(TaskState.FAILED).model("m".repeat(30_000)).build();

        assertThrows(IllegalStateException.class, () -> payloads.render(absurd, event(WebhookEventType.TASK_FAILED)));
    }
}
