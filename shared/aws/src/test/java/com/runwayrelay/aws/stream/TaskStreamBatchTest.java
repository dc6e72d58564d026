package com.runwayrelay.aws.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.runwayrelay.aws.stream.TaskStreamBatch.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TaskStreamBatchTest {
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    /** Work that answers RETRY for the tasks in {@code retry}, throws for those in {@code thrown}. */
    private TaskStreamBatch.TaskWork scripted(Set<String> retry, Set<String> thrown) {
        return taskId -> {
            calls.add(taskId);
            if (thrown.contains(taskId)) {
                throw new IllegalStateException("boom");
            }
            return retry.contains(taskId) ? Verdict.RETRY : Verdict.DONE;
        };
    }

    private static DynamodbStreamRecord record(String pk, String sequenceNumber) {
        DynamodbStreamRecord record = new DynamodbStreamRecord();
        record.setEventID("e-" + sequenceNumber);
        StreamRecord stream = new StreamRecord();
        stream.setKeys(Map.of("pk", new AttributeValue().withS(pk)));
        stream.setSequenceNumber(sequenceNumber);
        record.setDynamodb(stream);
        return record;
    }

    private static DynamodbEvent event(DynamodbStreamRecord... records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(new ArrayList<>(Arrays.asList(records)));
        return event;
    }

    private static List<String> failed(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }

    private static List<Function<TaskStreamBatch.TaskWork, TaskStreamBatch>> bothModes() {
        return List.of(TaskStreamBatch::oneAfterAnother, TaskStreamBatch::inParallel);
    }

    @Test
    void worksOnEachTaskOnce_inTheOrderTasksFirstAppear() {
        TaskStreamBatch batch = TaskStreamBatch.oneAfterAnother(scripted(Set.of(), Set.of()));

        StreamsEventResponse response = batch.apply(event(record("task#b", "1"), record("task#a", "2"),
                record("task#b", "3"), record("task#c", "4"), record("task#a", "5")));

        assertEquals(List.of(), failed(response));
        assertEquals(List.of("b", "a", "c"), calls);
    }

    @Test
    void groupsByTask_inParallelModeToo() {
        TaskStreamBatch batch = TaskStreamBatch.inParallel(scripted(Set.of(), Set.of()));

        batch.apply(event(record("task#b", "1"), record("task#a", "2"), record("task#b", "3")));

        assertEquals(List.of("a", "b"), calls.stream().sorted().toList());
    }

    @Test
    void reportsEveryRecordOfRetriedAndThrowingTasks_inTaskThenBatchOrder_inBothModes() {
        for (Function<TaskStreamBatch.TaskWork, TaskStreamBatch> mode : bothModes()) {
            calls.clear();
            TaskStreamBatch batch = mode.apply(scripted(Set.of("retry"), Set.of("throws")));

            StreamsEventResponse response = batch.apply(event(record("task#ok", "10"), record("task#throws", "11"),
                    record("task#retry", "12"), record("task#ok", "13"), record("task#throws", "14"),
                    record("task#retry", "15")));

            assertEquals(List.of("11", "14", "12", "15"), failed(response));
            assertEquals(Set.of("ok", "throws", "retry"), new HashSet<>(calls));
            assertEquals(3, calls.size());
        }
    }

    @Test
    void skipsPoisonRecords_withoutWorkOrFailure_inBothModes() {
        DynamodbStreamRecord noKeys = new DynamodbStreamRecord();
        noKeys.setDynamodb(new StreamRecord());
        DynamodbStreamRecord noSequenceNumber = record("task#x", "1");
        noSequenceNumber.getDynamodb().setSequenceNumber(null);
        DynamodbStreamRecord noPk = record("task#y", "2");
        noPk.getDynamodb().setKeys(Map.of("id", new AttributeValue().withS("y")));
        for (Function<TaskStreamBatch.TaskWork, TaskStreamBatch> mode : bothModes()) {
            calls.clear();
            TaskStreamBatch batch = mode.apply(scripted(Set.of(), Set.of("x", "y")));

            StreamsEventResponse response = batch.apply(event(null, new DynamodbStreamRecord(), noKeys,
                    noSequenceNumber, noPk, record("app#app_1", "3"), record("usage#app#2026-11-21", "4"),
                    record("task#", "5"), record("task#good", "6")));

            assertEquals(List.of(), failed(response));
            assertEquals(List.of("good"), calls);
        }
    }

    @Test
    void findsTheTaskId_onlyInATaskKeyWithSequenceNumber() {
        assertEquals("t-1", TaskStreamBatch.taskIdOf(record("task#t-1", "1")));
        assertNull(TaskStreamBatch.taskIdOf(null));
        assertNull(TaskStreamBatch.taskIdOf(new DynamodbStreamRecord()));
        assertNull(TaskStreamBatch.taskIdOf(record("task#", "1")));
        assertNull(TaskStreamBatch.taskIdOf(record("app#a", "1")));
    }

    @Test
    void answersEmpty_whenEventHasNoRecords() {
        assertEquals(List.of(), failed(TaskStreamBatch.oneAfterAnother(scripted(Set.of(), Set.of()))
                .apply(new DynamodbEvent())));
        assertEquals(List.of(), failed(TaskStreamBatch.inParallel(scripted(Set.of(), Set.of()))
                .apply(event())));
        assertEquals(List.of(), calls);
    }

    @Test
    void runsTasksAtTheSameTime_inParallelMode() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        TaskStreamBatch batch = TaskStreamBatch.inParallel(taskId -> {
            bothStarted.countDown();
            try {
                // A hang guard, not a timing assumption: sequential work would never see both started.
                return bothStarted.await(30, TimeUnit.SECONDS) ? Verdict.DONE : Verdict.RETRY;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        assertEquals(List.of(), failed(batch.apply(event(record("task#a", "1"), record("task#b", "2")))));
    }

    @Test
    void tellsTheWorkWhenItsTasksEarliestRecordWasWritten_whenTimed() {
        DynamodbStreamRecord later = record("task#t1", "2");
        later.getDynamodb().setApproximateCreationDateTime(Date.from(Instant.ofEpochSecond(1_800)));
        DynamodbStreamRecord earlier = record("task#t1", "1");
        earlier.getDynamodb().setApproximateCreationDateTime(Date.from(Instant.ofEpochSecond(1_700)));
        DynamodbStreamRecord untimed = record("task#t2", "3");
        Map<String, Optional<Instant>> seen = new ConcurrentHashMap<>();

        TaskStreamBatch.oneAfterAnotherTimed((taskId, changedAt) -> {
            seen.put(taskId, changedAt);
            return Verdict.DONE;
        }).apply(event(later, earlier, untimed));

        assertEquals(Map.of("t1", Optional.of(Instant.ofEpochSecond(1_700)),
                "t2", Optional.<Instant>empty()), seen);
    }
}
