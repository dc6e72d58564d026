package com.runwayrelay.archiver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.runwayrelay.aws.config.MetricsSettings;
import com.runwayrelay.aws.metrics.EmfDocument;
import com.runwayrelay.aws.metrics.EmfMetrics;
import com.runwayrelay.domain.archive.TaskArchiver.Outcome;
import com.runwayrelay.domain.archive.TaskArchiver.Result;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ArchiveBatchTest {
    private final List<String> calls = new ArrayList<>();

    private Function<String, Outcome> answering(Map<String, Result> results) {
        return taskId -> {
            calls.add(taskId);
            Result result = results.getOrDefault(taskId, Result.ARCHIVED);
            if (result == null) {
                throw new IllegalStateException("boom");
            }
            return new Outcome(result, "scripted");
        };
    }

    private static DynamodbEvent event(String... taskIdsAndSequences) {
        DynamodbEvent event = Fixtures.outputReadyEvent();
        DynamodbStreamRecord template = event.getRecords().get(0);
        List<DynamodbStreamRecord> records = new ArrayList<>();
        for (int i = 0; i < taskIdsAndSequences.length; i += 2) {
            records.add(Fixtures.recordFor(template, taskIdsAndSequences[i], taskIdsAndSequences[i + 1]));
        }
        event.setRecords(records);
        return event;
    }

    private static List<String> failed(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void archivesTheFixtureTask() {
        StreamsEventResponse response = new ArchiveBatch(answering(Map.of())).apply(Fixtures.outputReadyEvent());

        assertEquals(List.of(), failed(response));
        assertEquals(List.of("0b6f3d1e-4c2a-4f8e-9d3b-7a1c2e5f6a90"), calls);
    }

    @Test
    void reportsOnlyRecordsWhoseAttemptAsksForRetry() {
        StreamsEventResponse response = new ArchiveBatch(answering(Map.of("t2", Result.RETRY, "t3", Result.FAILED)))
                .apply(event("t1", "101", "t2", "102", "t3", "103"));

        assertEquals(List.of("102"), failed(response));
        assertEquals(List.of("t1", "t2", "t3"), calls);
    }

    @Test
    void reportsThrowingTask_andStillArchivesTheOthers() {
        Map<String, Result> results = new java.util.HashMap<>();
        results.put("poison", null);

        StreamsEventResponse response = new ArchiveBatch(answering(results))
                .apply(event("t1", "101", "poison", "102", "t2", "103"));

        assertEquals(List.of("102"), failed(response));
        assertEquals(List.of("t1", "poison", "t2"), calls);
    }

    @Test
    void archivesEachTaskOnce_andReportsAllItsRecords_whenTaskRepeatsInBatch() {
        StreamsEventResponse response = new ArchiveBatch(answering(Map.of("t1", Result.RETRY)))
                .apply(event("t1", "101", "t2", "102", "t1", "103"));

        assertEquals(List.of("t1", "t2"), calls);
        assertEquals(List.of("101", "103"), failed(response));
    }

    @Test
    void skipsRecordsThatAreNotTaskItems() {
        DynamodbEvent event = event("t1", "101");
        event.getRecords().get(0).getDynamodb().setKeys(Map.of("pk", new AttributeValue().withS("usage#app#2026-11-21")));

        StreamsEventResponse response = new ArchiveBatch(answering(Map.of())).apply(event);

        assertEquals(List.of(), failed(response));
        assertEquals(List.of(), calls);
    }

    @Test
    void answersEmpty_whenEventHasNoRecords() {
        assertEquals(List.of(), failed(new ArchiveBatch(answering(Map.of())).apply(new DynamodbEvent())));
    }

    @Test
    void recordsSecondsFromOutputReadyToArchived_fromTheStreamRecordsTime_asEmf() {
        DynamodbEvent event = event("t1", "1", "t2", "2");
        Instant readyAt = event.getRecords().get(0).getDynamodb().getApproximateCreationDateTime().toInstant();
        // The library refuses document timestamps far from the present; the fixture's record is dated 2026-11.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> lines = new ArrayList<>();
        EmfMetrics metrics = new EmfMetrics(new MetricsSettings("RelayTest", "relay-test"),
                Clock.fixed(now, ZoneOffset.UTC), lines::add);
        Clock clock = Clock.fixed(readyAt.plusSeconds(95), ZoneOffset.UTC);

        new ArchiveBatch(answering(Map.of("t2", Result.RETRY)), metrics, clock).apply(event);
        metrics.flush();

        assertEquals(1, lines.size());
        EmfDocument document = EmfDocument.parse(lines.getFirst()).orElseThrow();
        assertEquals(List.of(new EmfDocument.MetricDefinition("CompletionToArchived", "Seconds", List.of(95.0))),
                document.directives().getFirst().metrics(), "only the archived task counts");
        assertEquals(List.of(List.of("Service")), document.directives().getFirst().dimensions());
    }
}
