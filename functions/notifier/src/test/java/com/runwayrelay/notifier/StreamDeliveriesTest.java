package com.runwayrelay.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.runwayrelay.aws.config.MetricsSettings;
import com.runwayrelay.aws.metrics.EmfDocument;
import com.runwayrelay.aws.metrics.EmfMetrics;
import com.runwayrelay.domain.webhook.WebhookDispatch.Result;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamDeliveriesTest {
    static final Path EVENTS = Path.of("../../events/notifier");

    static DynamodbStreamRecord record(String pk, String sequenceNumber) {
        DynamodbStreamRecord record = new DynamodbStreamRecord();
        record.setEventID("e-" + sequenceNumber);
        record.setEventName("MODIFY");
        StreamRecord stream = new StreamRecord();
        stream.setKeys(Map.of("pk", new AttributeValue().withS(pk)));
        stream.setSequenceNumber(sequenceNumber);
        record.setDynamodb(stream);
        return record;
    }

    static DynamodbEvent event(DynamodbStreamRecord... records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(records));
        return event;
    }

    @Test
    void deliversTheTaskOfEachFixtureRecord() {
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        StreamDeliveries deliveries = new StreamDeliveries(id -> { }, id -> {
            delivered.add(id);
            return Result.DELIVERED;
        });

        for (String fixture : List.of("dynamodb-task-archived.json", "dynamodb-task-failed.json")) {
            DynamodbEvent event = EventLoader.loadEvent(EVENTS.resolve(fixture).toString(), DynamodbEvent.class);
            assertTrue(deliveries.apply(event).getBatchItemFailures().isEmpty(), fixture);
        }

        assertEquals(List.of("0b6f3d1e-4c2a-4f8e-9d3b-7a1c2e5f6a90", "0b6f3d1e-4c2a-4f8e-9d3b-7a1c2e5f6a90"), delivered);
    }

    @Test
    void deliversEachTaskOnce_whenABatchHoldsSeveralOfItsRecords() {
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        StreamDeliveries deliveries = new StreamDeliveries(id -> { }, id -> {
            delivered.add(id);
            return Result.NOT_DUE;
        });

        deliveries.apply(event(record("task#a", "1"), record("task#b", "2"), record("task#a", "3")));

        assertEquals(List.of("a", "b"), delivered.stream().sorted().toList());
    }

    @Test
    void reportsEveryRecordOfATaskThatFailed_andOnlyThose() {
        StreamDeliveries deliveries = new StreamDeliveries(id -> { }, id -> {
            if (id.equals("broken")) {
                throw new IllegalStateException("DynamoDB unavailable");
            }
            return Result.DELIVERED;
        });

        StreamsEventResponse response = deliveries.apply(event(record("task#ok", "1"), record("task#broken", "2"),
                record("task#broken", "3")));

        assertEquals(List.of("2", "3"), response.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList());
    }

    @Test
    void stillDeliversATaskWhoseSettleFailed_andReportsItsRecordsSoTheSettleIsRetried() {
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        List<String> settled = Collections.synchronizedList(new ArrayList<>());
        boolean[] ledgerDown = {true};
        StreamDeliveries deliveries = new StreamDeliveries(id -> {
            if (ledgerDown[0] && id.equals("ended")) {
                throw new IllegalStateException("ledger unavailable");
            }
            settled.add(id);
        }, id -> {
            delivered.add(id);
            return delivered.stream().filter(id::equals).count() == 1 ? Result.DELIVERED : Result.NOTHING_TO_SEND;
        });

        StreamsEventResponse first = deliveries.apply(event(record("task#ok", "1"), record("task#ended", "2")));

        assertEquals(List.of("ended", "ok"), delivered.stream().sorted().toList());
        assertEquals(List.of("ok"), settled);
        assertEquals(List.of("2"), first.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList());

        ledgerDown[0] = false;
        StreamsEventResponse retried = deliveries.apply(event(record("task#ended", "2")));

        assertTrue(retried.getBatchItemFailures().isEmpty());
        assertEquals(List.of("ok", "ended"), settled);
        assertEquals(3, delivered.size(), "the retry asks the use case again, which has nothing more to send");
    }

    @Test
    void runsTheTasksOfABatchInParallel() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        StreamDeliveries deliveries = new StreamDeliveries(id -> { }, id -> {
            bothStarted.countDown();
            try {
                return bothStarted.await(60, TimeUnit.SECONDS) ? Result.DELIVERED : Result.CONTENDED;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        assertTrue(deliveries.apply(event(record("task#a", "1"), record("task#b", "2"))).getBatchItemFailures().isEmpty());
        assertEquals(0, bothStarted.getCount());
    }

    @Test
    void skipsRecordsThatAreNotTaskItems() {
        List<String> delivered = new ArrayList<>();
        StreamDeliveries deliveries = new StreamDeliveries(id -> { }, id -> {
            delivered.add(id);
            return Result.DELIVERED;
        });

        StreamsEventResponse response = deliveries.apply(event(record("app#app_1", "1"), record("task#", "2")));

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertTrue(delivered.isEmpty());
    }

    @Test
    void recordsEachDeliveryThatSentOrGaveUp_byOutcome_asEmf() {
        Map<String, Result> results = Map.of("a", Result.DELIVERED, "b", Result.RETRY_SCHEDULED, "c", Result.FAILED,
                "d", Result.DISABLED, "e", Result.NOT_DUE, "f", Result.NOTHING_TO_SEND, "g", Result.CONTENDED,
                "h", Result.DELIVERED);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        EmfMetrics metrics = new EmfMetrics(new MetricsSettings("RelayTest", "relay-test"), Clock.systemUTC(), lines::add);
        StreamDeliveries deliveries = new StreamDeliveries(id -> { }, results::get, metrics);
        List<DynamodbStreamRecord> records = new ArrayList<>();
        results.keySet().stream().sorted().forEach(id -> records.add(record("task#" + id, "s-" + id)));

        deliveries.apply(event(records.toArray(DynamodbStreamRecord[]::new)));
        metrics.flush();

        Map<String, Double> byOutcome = new TreeMap<>();
        for (String line : lines) {
            EmfDocument document = EmfDocument.parse(line).orElseThrow();
            EmfDocument.MetricDefinition metric = document.directives().getFirst().metrics().getFirst();
            assertEquals("WebhookDeliveries", metric.name());
            assertEquals("Count", metric.unit());
            byOutcome.merge(document.text("Outcome").orElseThrow(), metric.values().stream().mapToDouble(v -> v).sum(),
                    Double::sum);
        }
        assertEquals(Map.of("delivered", 2.0, "retry_scheduled", 1.0, "failed", 1.0, "disabled", 1.0), byOutcome);
    }
}
