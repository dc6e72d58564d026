package com.runwayrelay.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class TaskItemsTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00.123Z");

    @Test
    void everyFieldSurvivesARoundTrip() {
        Task task = Task.accepted("0b6f3d1e-4c2a-4f8e-9d3b-7a1c2e5f6a90", "app1", "text_to_image", "gen4_image",
                        "{\"model\":\"gen4_image\"}", 8, T0)
                .state(TaskState.ARCHIVED).version(7).idempotencyKey("idem-1").runwayTaskId("rw-1")
                .runwayStatus(RunwayStatus.SUCCEEDED).progress(0.5)
                .attempts(List.of(new Attempt(1, "rw-0", T0, AttemptOutcome.FAILED, "INTERNAL", "boom"),
                        new Attempt(2, "rw-1", T0.plusSeconds(5), AttemptOutcome.CREATED, null, null)))
                .actualCredits(5L).outputs(List.of("https://out.example/1.png"))
                .archive(List.of(new ArchiveRecord("outputs/app1/t/0.png", 1234, "ab".repeat(32), "image/png")))
                .callbackUrl("https://hooks.example/x").metadataJson("{\"a\":1}").deadline(T0.plusSeconds(600))
                .failure("f").failureCode("fc").stateReason("why").dueAt(T0.plusSeconds(5))
                .leaseOwner("run-1").leaseUntil(T0.plusSeconds(30))
                .webhook(new WebhookDelivery(DeliveryStatus.PENDING, "msg_1", "task.succeeded", 2,
                        List.of(new WebhookDelivery.DeliveryAttempt(T0, 500, "server error")), T0.plusSeconds(5)))
                .ambiguousCreates(AmbiguousCreatePolicy.RETRY_ONCE).admittedBudget(900L).possibleOrphanCredits(8)
                .linkTtl(Duration.ofMinutes(5))
                .webhookEvents(java.util.Set.of(com.runwayrelay.domain.webhook.WebhookEventType.TASK_FAILED,
                        com.runwayrelay.domain.webhook.WebhookEventType.TASK_CANCELLED)).pollBackoff(Duration.ofSeconds(25)).archiveAttempts(2).archiveError("output 0: reset")
                .waitedUntil(T0.plusSeconds(3))
                .build();

        assertEquals(task, TaskItems.fromItem(TaskItems.toItem(task, 16)));
    }

    @Test
    void aWorkflowRunsNodesAndNodeErrorsSurviveARoundTrip() {
        Task outputReady = Task.accepted("0b6f3d1e-4c2a-4f8e-9d3b-7a1c2e5f6a91", "app1", "workflows/wf-1", "workflow",
                        "{}", 60, T0)
                .state(TaskState.OUTPUT_READY).version(4).runwayTaskId("inv-1").runwayStatus(RunwayStatus.SUCCEEDED)
                .outputs(List.of("https://out.example/a.png", "https://out.example/b.mp4"))
                .outputNodes(List.of("node-a", "node-b")).nodeErrorsJson("{\"node-c\":{\"message\":\"m\"}}").build();
        Task archived = outputReady.toBuilder().state(TaskState.ARCHIVED).outputs(List.of())
                .archive(List.of(new ArchiveRecord("outputs/app1/t/node-a/0.png", 12, "ab".repeat(32), "image/png", "node-a")))
                .build();

        assertEquals(outputReady, TaskItems.fromItem(TaskItems.toItem(outputReady, 16)));
        assertEquals(archived, TaskItems.fromItem(TaskItems.toItem(archived, 16)));
        assertEquals(List.of(), archived.runway().outputNodes(), "new outputs clear the old nodes");
    }

    @Test
    void aRoutedGenerationsRoutingSurvivesARoundTrip() {
        Task submitted = Task.accepted("t-r", "app1", "generate/image", "router:stills", "{}", 40, T0)
                .state(TaskState.SUBMITTED).version(2).runwayTaskId("rw-1").runwayStatus(RunwayStatus.PENDING)
                .routingJson("{\"configId\":\"stills\",\"model\":\"gen4_image\"}").build();

        assertEquals(submitted, TaskItems.fromItem(TaskItems.toItem(submitted, 16)));
        assertEquals("{\"configId\":\"stills\",\"model\":\"gen4_image\"}",
                TaskItems.toItem(submitted, 16).get("routing").s());
    }

    @Test
    void deliverToAndDeliveryOutcomesSurviveARoundTrip() {
        Task withUrls = Task.accepted("t-d", "app1", "text_to_image", "gen4_image", "{}", 5, T0)
                .state(TaskState.ARCHIVED)
                .deliverTo(com.runwayrelay.domain.delivery.DeliverTo.of(List.of("https://b.example/0?s=1", "https://b.example/1?s=2")))
                .deliveries(List.of(
                        new com.runwayrelay.domain.OutputDelivery(0, com.runwayrelay.domain.OutputDelivery.Outcome.DELIVERED, 200,
                                1234, "ab".repeat(32), 2, null, T0),
                        new com.runwayrelay.domain.OutputDelivery(1, com.runwayrelay.domain.OutputDelivery.Outcome.REJECTED, 403,
                                0, null, 1, "HTTP 403", T0.plusSeconds(1))))
                .build();
        Task withTemplate = Task.accepted("t-e", "app1", "text_to_image", "gen4_image", "{}", 5, T0)
                .deliverTo(com.runwayrelay.domain.delivery.DeliverTo.template("https://b.example/{index}.{ext}")).build();

        assertEquals(withUrls, TaskItems.fromItem(TaskItems.toItem(withUrls, 16)));
        assertEquals(withTemplate, TaskItems.fromItem(TaskItems.toItem(withTemplate, 16)));
        assertEquals("rejected", TaskItems.toItem(withUrls, 16).get("deliveries").l().get(1).m().get("outcome").s());
        assertFalse(TaskItems.toItem(withTemplate, 16).containsKey("deliveries"));
    }

    @Test
    void statusesAndOutcomesAreStoredAsTheirNames() {
        Task task = Task.accepted("t-n", "app1", "text_to_image", "gen4_image", "{}", 5, T0)
                .state(TaskState.SUBMITTED).runwayTaskId("rw-1").runwayStatus(RunwayStatus.THROTTLED)
                .attempts(List.of(new Attempt(1, "rw-1", T0, AttemptOutcome.NOT_CREATED, null, "x")))
                .webhook(new WebhookDelivery(DeliveryStatus.DELIVERED, "msg_1", "task.succeeded", 1, List.of(), null))
                .build();

        Map<String, AttributeValue> item = TaskItems.toItem(task, 16);

        assertEquals("THROTTLED", item.get("runwayStatus").s());
        assertEquals("NOT_CREATED", item.get("attempts").l().get(0).m().get("outcome").s());
        assertEquals("DELIVERED", item.get("webhook").m().get("status").s());
    }

    @Test
    void aStoredRunwayStatusThisVersionDoesNotKnow_readsAsUnknown_andIsWrittenBackAsStored() {
        Task task = Task.accepted("t-u", "app1", "text_to_image", "gen4_image", "{}", 5, T0)
                .state(TaskState.SUBMITTED).runwayTaskId("rw-1").build();
        Map<String, AttributeValue> item = new java.util.HashMap<>(TaskItems.toItem(task, 16));
        item.put("runwayStatus", AttributeValue.fromS("QUEUED_FOR_REVIEW"));

        Task read = TaskItems.fromItem(item);

        assertEquals(new RunwayStatus.Unknown("QUEUED_FOR_REVIEW"), read.runway().status());
        assertEquals("QUEUED_FOR_REVIEW", TaskItems.toItem(read, 16).get("runwayStatus").s());
    }

    @Test
    void storedOutcomeAndDeliveryNamesThisVersionDoesNotKnow_readAsUnknown() {
        Task task = Task.accepted("t-v", "app1", "text_to_image", "gen4_image", "{}", 5, T0)
                .attempts(List.of(new Attempt(1, null, T0, AttemptOutcome.CREATED, null, null)))
                .webhook(new WebhookDelivery(DeliveryStatus.PENDING, "msg_1", "task.failed", 1, List.of(), null))
                .build();
        Map<String, AttributeValue> item = new java.util.HashMap<>(TaskItems.toItem(task, 16));
        item.put("attempts", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("number", AttributeValue.fromN("1"),
                "startedAt", AttributeValue.fromS(T0.toString()), "outcome", AttributeValue.fromS("RESUBMITTED"))))));
        Map<String, AttributeValue> webhook = new java.util.HashMap<>(item.get("webhook").m());
        webhook.put("status", AttributeValue.fromS("SENDING"));
        item.put("webhook", AttributeValue.fromM(webhook));

        Task read = TaskItems.fromItem(item);

        assertEquals(AttemptOutcome.UNKNOWN, read.lastAttempt().outcome());
        assertEquals(DeliveryStatus.UNKNOWN, read.webhook().status());
    }

    @Test
    void taskWrittenBeforeTheArchiveCountAndBackoffFields_readsWithoutThem_andKeepsItsReason() {
        Task task = Task.accepted("t-w", "app1", "text_to_image", "gen4_image", "{}", 5, T0)
                .state(TaskState.OUTPUT_READY).stateReason("archive attempt 2 of 3 failed: reset").build();
        Map<String, AttributeValue> item = new java.util.HashMap<>(TaskItems.toItem(task, 16));

        Task read = TaskItems.fromItem(item);

        assertFalse(item.containsKey(TaskItems.ARCHIVE_ATTEMPTS));
        assertFalse(item.containsKey(TaskItems.POLL_BACKOFF));
        assertEquals(0, read.archive().attempts());
        assertEquals(null, read.runway().backoff());
        assertEquals("archive attempt 2 of 3 failed: reset", read.stateReason());
    }

    @Test
    void whenATaskLeftThrottled_isStoredInEpochMillis_andATaskWrittenWithoutItReadsWithout() {
        Task running = Task.accepted("t-th", "app1", "text_to_image", "gen4_image", "{}", 5, T0)
                .state(TaskState.SUBMITTED).runwayTaskId("rw-1").runwayStatus(RunwayStatus.RUNNING)
                .waitedUntil(T0.plusSeconds(90)).build();
        Map<String, AttributeValue> item = new java.util.HashMap<>(TaskItems.toItem(running, 16));

        assertEquals(Long.toString(T0.plusSeconds(90).toEpochMilli()), item.get(TaskItems.WAITED_UNTIL).n());
        item.remove(TaskItems.WAITED_UNTIL);
        assertEquals(null, TaskItems.fromItem(item).runway().waitedUntil());
        assertFalse(TaskItems.toItem(running.toBuilder().waitedUntil(null).build(), 16)
                .containsKey(TaskItems.WAITED_UNTIL));
    }

    @Test
    void taskWrittenBeforeTheAmbiguousCreatePolicy_readsAsFailWithoutBudgetOrOrphans() {
        Task task = Task.accepted("t-old", "app1", "text_to_image", "gen4_image", "{}", 5, T0).build();
        Map<String, AttributeValue> item = new java.util.HashMap<>(TaskItems.toItem(task, 16));
        item.remove("ambiguousCreates");

        Task read = TaskItems.fromItem(item);

        assertEquals(AmbiguousCreatePolicy.FAIL, read.request().ambiguousCreates());
        assertEquals(null, read.request().admittedBudget());
        assertEquals(0, read.runway().possibleOrphanCredits());
        assertEquals(null, read.request().linkTtl());
        assertFalse(item.containsKey("linkTtlSeconds"));
        assertEquals(null, read.request().webhookEvents());
    }

    @Test
    void anEmptyWebhookEventChoice_staysEmpty_andDiffersFromNoChoice() {
        Task task = Task.accepted("t-q", "app1", "text_to_image", "gen4_image", "{}", 5, T0)
                .webhookEvents(java.util.Set.of()).build();

        Map<String, AttributeValue> item = TaskItems.toItem(task, 16);

        assertEquals(List.of(), item.get("webhookEvents").l());
        assertEquals(java.util.Set.of(), TaskItems.fromItem(item).request().webhookEvents());
    }

    @Test
    void itemLeavesTheDueIndex_whenDueAtIsNull() {
        Task task = Task.accepted("t-1", "app1", "text_to_image", "gen4_image", "{}", 5, T0).dueAt(null).build();
        Map<String, AttributeValue> item = TaskItems.toItem(task, 16);

        assertFalse(item.containsKey("dueShard"));
        assertFalse(item.containsKey("dueAt"));
        assertEquals("task#t-1", item.get("pk").s());
        assertEquals("ACCEPTED", item.get("state").s());
    }

    @Test
    void itemCarriesShardAndDueTime_whenDue() {
        Task task = Task.accepted("t-2", "app1", "text_to_image", "gen4_image", "{}", 5, T0).build();
        Map<String, AttributeValue> item = TaskItems.toItem(task, 16);

        assertTrue(item.containsKey("dueShard"));
        assertEquals(Long.toString(T0.toEpochMilli()), item.get("dueAt").n());
    }

    @Test
    void createdKeysSortAsTheirInstants_whateverTheirPrecision() {
        Instant whole = Instant.parse("2026-12-03T08:00:00Z");
        Instant nanos = Instant.parse("2026-12-03T08:00:00.000000001Z");
        Instant later = Instant.parse("2026-12-03T08:00:00.1Z");

        assertEquals("2026-12-03T08:00:00.000000000Z#a", TaskItems.createdKey(whole, "a"));
        assertTrue(TaskItems.createdKey(whole, "z").compareTo(TaskItems.createdKey(nanos, "a")) < 0);
        assertTrue(TaskItems.createdKey(nanos, "z").compareTo(TaskItems.createdKey(later, "a")) < 0);
        assertTrue(TaskItems.createdBound(nanos).compareTo(TaskItems.createdKey(nanos, "a")) < 0);
    }

    @Test
    void itemIsInTheOpenListPart_untilTheTaskEnds() {
        Task open = Task.accepted("t-3", "app1", "text_to_image", "gen4_image", "{}", 5, T0).build();
        Task ended = open.next(T0.plusSeconds(1)).state(TaskState.EXPIRED).dueAt(null).build();

        assertEquals("open", TaskItems.toItem(open, 16).get("listPart").s());
        assertEquals("ended", TaskItems.toItem(ended, 16).get("listPart").s());
        assertEquals(TaskItems.toItem(open, 16).get("createdKey"), TaskItems.toItem(ended, 16).get("createdKey"));
        assertEquals(2, TaskItems.toItem(ended, 16).get("history").l().size());
    }
}
