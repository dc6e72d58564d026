package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.dynamodb.TaskItems;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.admin.TaskAdministration;
import com.runwayrelay.domain.gateway.ArchiveAccess;
import com.runwayrelay.domain.gateway.TaskCancellation;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.memory.ScriptedRunwayGateway;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

class EventPatternTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StackTemplate TEMPLATE = StackTemplate.fromClasspath();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void matches_whenEveryNamedFieldHasOneOfTheListedValues() throws Exception {
        EventPattern pattern = EventPattern.parse("{\"eventName\":[\"INSERT\",\"MODIFY\"],\"dynamodb\":{\"NewImage\":{\"state\":{\"S\":[\"ARCHIVED\"]}}}}");

        assertTrue(pattern.matches(json("{\"eventName\":\"MODIFY\",\"other\":1,\"dynamodb\":{\"NewImage\":{\"state\":{\"S\":\"ARCHIVED\"}}}}")));
        assertFalse(pattern.matches(json("{\"eventName\":\"REMOVE\",\"dynamodb\":{\"NewImage\":{\"state\":{\"S\":\"ARCHIVED\"}}}}")));
        assertFalse(pattern.matches(json("{\"eventName\":\"MODIFY\",\"dynamodb\":{\"NewImage\":{\"state\":{\"S\":\"FAILED\"}}}}")));
    }

    @Test
    void doesNotMatch_whenANamedFieldIsMissing() throws Exception {
        EventPattern pattern = EventPattern.parse("{\"dynamodb\":{\"OldImage\":{\"state\":{\"S\":[{\"anything-but\":[\"OUTPUT_READY\"]}]}}}}");

        assertFalse(pattern.matches(json("{\"dynamodb\":{\"NewImage\":{\"state\":{\"S\":\"SUBMITTED\"}}}}")));
        assertFalse(pattern.matches(json("{}")));
    }

    @Test
    void anythingBut_matchesOtherValuesOnly() throws Exception {
        EventPattern list = EventPattern.parse("{\"s\":[{\"anything-but\":[\"A\",\"B\"]}]}");
        EventPattern single = EventPattern.parse("{\"s\":[{\"anything-but\":\"A\"}]}");

        assertTrue(list.matches(json("{\"s\":\"C\"}")));
        assertFalse(list.matches(json("{\"s\":\"A\"}")));
        assertFalse(list.matches(json("{\"s\":\"B\"}")));
        assertTrue(single.matches(json("{\"s\":\"B\"}")));
        assertFalse(single.matches(json("{\"s\":\"A\"}")));
    }

    @Test
    void exists_matchesPresenceOrAbsence() throws Exception {
        EventPattern present = EventPattern.parse("{\"a\":{\"S\":[{\"exists\":true}]}}");
        EventPattern absent = EventPattern.parse("{\"a\":{\"S\":[{\"exists\":false}]}}");

        assertTrue(present.matches(json("{\"a\":{\"S\":\"x\"}}")));
        assertFalse(present.matches(json("{\"b\":{\"S\":\"x\"}}")));
        assertTrue(absent.matches(json("{\"b\":{\"S\":\"x\"}}")));
        assertFalse(absent.matches(json("{\"a\":{\"S\":\"x\"}}")));
    }

    @Test
    void prefixSuffixAndIgnoreCase_matchText() throws Exception {
        assertTrue(EventPattern.parse("{\"k\":[{\"prefix\":\"task#\"}]}").matches(json("{\"k\":\"task#1\"}")));
        assertFalse(EventPattern.parse("{\"k\":[{\"prefix\":\"task#\"}]}").matches(json("{\"k\":\"app#1\"}")));
        assertTrue(EventPattern.parse("{\"k\":[{\"suffix\":\".png\"}]}").matches(json("{\"k\":\"a.png\"}")));
        assertTrue(EventPattern.parse("{\"k\":[{\"equals-ignore-case\":\"archived\"}]}").matches(json("{\"k\":\"ARCHIVED\"}")));
    }

    @Test
    void numbersAndArrays_matchAsEventBridgeDoes() throws Exception {
        assertTrue(EventPattern.parse("{\"n\":[5]}").matches(json("{\"n\":5.0}")));
        assertFalse(EventPattern.parse("{\"n\":[5]}").matches(json("{\"n\":\"5\"}")));
        assertTrue(EventPattern.parse("{\"tags\":[\"b\"]}").matches(json("{\"tags\":[\"a\",\"b\"]}")));
        assertFalse(EventPattern.parse("{\"tags\":[\"c\"]}").matches(json("{\"tags\":[\"a\",\"b\"]}")));
    }

    @Test
    void parse_rejectsUnsupportedOperatorsAndShapes() {
        var numeric = assertThrows(IllegalArgumentException.class, () -> EventPattern.parse("{\"n\":[{\"numeric\":[\">\",0]}]}"));
        assertTrue(numeric.getMessage().contains("\"numeric\" at $.n"), numeric.getMessage());
        var scalar = assertThrows(IllegalArgumentException.class, () -> EventPattern.parse("{\"n\":\"x\"}"));
        assertTrue(scalar.getMessage().contains("$.n"), scalar.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventPattern.parse("{\"n\":[]}"));
        assertThrows(IllegalArgumentException.class, () -> EventPattern.parse("[1]"));
        var json = assertThrows(IllegalArgumentException.class, () -> EventPattern.parse("{nope"));
        assertTrue(json.getMessage().startsWith("event pattern is not valid JSON"), json.getMessage());
    }

    private static EventPattern templatePattern(String function) {
        List<String> patterns = TEMPLATE.function(function).streams().getFirst().filterPatterns();
        assertEquals(1, patterns.size(), function + " has one filter");
        return EventPattern.parse(patterns.getFirst());
    }

    private static Record record(OperationType name, String oldState, String newState, boolean callback) {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("task#1"));
        Map<String, AttributeValue> newImage = new LinkedHashMap<>(key);
        newImage.put("state", AttributeValue.fromS(newState));
        newImage.put("version", AttributeValue.fromN("3"));
        if (callback) {
            newImage.put("callbackUrl", AttributeValue.fromS("https://app.example.com/hook"));
        }
        StreamRecord.Builder stream = StreamRecord.builder().keys(key).newImage(newImage).sequenceNumber("100")
                .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).sizeBytes(64L);
        if (oldState != null) {
            Map<String, AttributeValue> oldImage = new LinkedHashMap<>(key);
            oldImage.put("state", AttributeValue.fromS(oldState));
            stream.oldImage(oldImage);
        }
        return Record.builder().eventID("e1").eventName(name).eventVersion("1.1").eventSource("aws:dynamodb").awsRegion("us-east-1")
                .dynamodb(stream.build()).build();
    }

    private static boolean passes(EventPattern pattern, Record record) {
        return pattern.matches(StreamRecords.toFilterJson(record, "arn:stream"));
    }

    @Test
    void archiverFilter_passesOnlyTheChangeIntoOutputReady() {
        EventPattern archiver = templatePattern("ArchiverFunction");

        assertTrue(passes(archiver, record(OperationType.MODIFY, "SUBMITTED", "OUTPUT_READY", false)));
        assertFalse(passes(archiver, record(OperationType.MODIFY, "OUTPUT_READY", "OUTPUT_READY", false)), "a rewrite of OUTPUT_READY");
        assertFalse(passes(archiver, record(OperationType.MODIFY, "OUTPUT_READY", "ARCHIVED", false)));
        assertFalse(passes(archiver, record(OperationType.MODIFY, "ACCEPTED", "SUBMITTED", false)));
        // EventBridge semantics: the pattern names OldImage, which an INSERT lacks.
        assertFalse(passes(archiver, record(OperationType.INSERT, null, "OUTPUT_READY", false)));
    }

    @Test
    void notifierFilters_passEveryTerminalChange_withOrWithoutACallback() {
        List<EventPattern> notifier = TEMPLATE.function("NotifierFunction").streams().stream()
                .flatMap(s -> s.filterPatterns().stream()).map(EventPattern::parse).toList();

        for (String end : List.of("ARCHIVED", "FAILED", "CANCELLED", "EXPIRED")) {
            assertTrue(passesAny(notifier, record(OperationType.MODIFY, "SUBMITTED", end, true)), end);
            // Without a callback too: the notifier settles every ended task's credits.
            assertTrue(passesAny(notifier, record(OperationType.MODIFY, "SUBMITTED", end, false)), end + " without callback");
            assertFalse(passesAny(notifier, record(OperationType.MODIFY, end, end, true)), end + " rewritten");
        }
        assertFalse(passesAny(notifier, record(OperationType.MODIFY, "ACCEPTED", "SUBMITTED", true)));
        assertFalse(passesAny(notifier, record(OperationType.INSERT, null, "FAILED", true)));
    }

    @Test
    void notifierFilters_passTheOperatorsRedelivery_andNotTheDeliveredVersion() {
        List<EventPattern> notifier = TEMPLATE.function("NotifierFunction").streams().stream()
                .flatMap(s -> s.filterPatterns().stream()).map(EventPattern::parse).toList();
        Instant t0 = Instant.parse("2026-12-03T08:00:00Z");
        Task delivered = Task.accepted("t1", "app1", "text_to_image",
                        "gen4_image", "{}", 5, t0)
                .state(TaskState.ARCHIVED).dueAt(null).callbackUrl("https://app.example.com/hook")
                .webhook(new WebhookDelivery(DeliveryStatus.DELIVERED, "msg_t1_1", "task.succeeded", 1, List.of(), null))
                .build();
        var tasks = new InMemoryTaskRepository(4);
        tasks.insert(delivered);
        var clock = new ManualClock(t0.plusSeconds(60));
        var archive = new ArchiveAccess() {
            @Override
            public Link link(String key, Duration lifetime) {
                throw new AssertionError("no link expected");
            }

            @Override
            public void delete(List<String> keys) {
                throw new AssertionError("no delete expected");
            }
        };
        var admin = new TaskAdministration(tasks, tasks,
                new TaskCancellation(tasks, new ScriptedRunwayGateway(),
                        archive, new InMemoryUsageLedger(), clock), archive, clock);

        admin.redeliver("t1");

        Task redelivered = tasks.find("t1").orElseThrow();
        assertTrue(passesAny(notifier, modify(delivered, redelivered)), "the pending delivery reaches the notifier");
        assertFalse(passesAny(notifier, modify(delivered, delivered.next(t0.plusSeconds(1)).build())),
                "a rewrite of a delivered task does not");
    }

    @Test
    void notifierFilters_passACourseEventOfARunningTask_andNotItsPlainProgress() {
        List<EventPattern> notifier = TEMPLATE.function("NotifierFunction").streams().stream()
                .flatMap(s -> s.filterPatterns().stream()).map(EventPattern::parse).toList();
        Instant t0 = Instant.parse("2026-12-03T08:00:00Z");
        Task running = Task.accepted("t1", "app1", "text_to_image", "gen4_image", "{}", 5, t0)
                .state(TaskState.SUBMITTED).runwayTaskId("rw1").callbackUrl("https://app.example.com/hook")
                .webhookEvents(java.util.Set.of(com.runwayrelay.domain.webhook.WebhookEventType.TASK_PROGRESS))
                .build();
        Task announced = running.next(t0.plusSeconds(5)).progress(0.4)
                .webhook(new WebhookDelivery(DeliveryStatus.PENDING, "msg_t1_1", "task.progress", 1, List.of(),
                        t0.plusSeconds(5)))
                .build();
        Task quiet = running.next(t0.plusSeconds(5)).progress(0.4).build();

        assertTrue(passesAny(notifier, modify(running, announced)), "the progress event reaches the notifier");
        assertFalse(passesAny(notifier, modify(running, quiet)), "a progress change without an event does not");
    }

    private static Record modify(Task before, Task after) {
        var oldImage = TaskItems.toItem(before, 4);
        var newImage = TaskItems.toItem(after, 4);
        StreamRecord stream = StreamRecord.builder().keys(Map.of("pk", newImage.get("pk"))).newImage(newImage).oldImage(oldImage)
                .sequenceNumber("200").streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).sizeBytes(512L).build();
        return Record.builder().eventID("e2").eventName(OperationType.MODIFY).eventVersion("1.1").eventSource("aws:dynamodb")
                .awsRegion("us-east-1").dynamodb(stream).build();
    }

    private static boolean passesAny(List<EventPattern> patterns, Record record) {
        return patterns.stream().anyMatch(pattern -> passes(pattern, record));
    }

    @Test
    void everyTemplateFilter_parses() {
        for (FunctionSpec function : TEMPLATE.functions()) {
            for (FunctionSpec.StreamSubscription stream : function.streams()) {
                for (String pattern : stream.filterPatterns()) {
                    assertEquals(pattern, EventPattern.parse(pattern).toString(), function.logicalId());
                }
            }
        }
    }
}
