package com.runwayrelay.aws.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.runwayrelay.aws.dynamodb.TaskItems;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A batch of DynamoDB stream records turned into work per task, answered with partial batch
 * failures (the event source mapping sets {@code ReportBatchItemFailures}).
 *
 * <ul>
 *   <li><b>Grouping.</b> A record only says <em>which</em> task changed; the work re-reads the task.
 *       So each distinct task is worked on once per batch, however many of its records the batch
 *       holds, in the order tasks first appear.</li>
 *   <li><b>Failures.</b> When a task's work answers {@link Verdict#RETRY} or throws, every record of
 *       that task is reported as a batch item failure (its sequence number), tasks in the order they
 *       first appear and each task's records in batch order; the stream delivers them again, and
 *       after the mapping's retries they go to its on-failure destination. The other records are
 *       checkpointed.</li>
 *   <li><b>Poison records.</b> A record that names no task (no keys, a key that is not a task
 *       item's, an empty task id) or has no sequence number carries no work that could succeed on a
 *       retry, and could not be reported anyway. It is logged with its event id and skipped, i.e.
 *       checkpointed: reporting it would only hold the shard until the record expires.</li>
 * </ul>
 */
public final class TaskStreamBatch implements Function<DynamodbEvent, StreamsEventResponse> {
    private static final System.Logger LOG = System.getLogger(TaskStreamBatch.class.getName());

    /** What the work made of one task. */
    public enum Verdict {
        /** Done, or nothing (more) to do: the task's records are checkpointed. */
        DONE,
        /** Not done and worth another try: the task's records are reported as failures. */
        RETRY
    }

    /** The work for one task; throwing counts as {@link Verdict#RETRY}. */
    @FunctionalInterface
    public interface TaskWork {
        Verdict process(String taskId);
    }

    /**
     * The work for one task, told when the earliest of the batch's records for it was written
     * ({@code ApproximateCreationDateTime}, whole seconds; empty when no record carries it). A record
     * delivered again keeps its time, so this is when the change the work reacts to first happened.
     */
    @FunctionalInterface
    public interface TimedTaskWork {
        Verdict process(String taskId, Optional<Instant> changedAt);
    }

    private final TimedTaskWork work;
    private final boolean parallel;

    private TaskStreamBatch(TimedTaskWork work, boolean parallel) {
        this.work = Objects.requireNonNull(work, "work");
        this.parallel = parallel;
    }

    /** Works on the tasks of a batch one after the other (e.g. each streams gigabytes). */
    public static TaskStreamBatch oneAfterAnother(TaskWork work) {
        Objects.requireNonNull(work, "work");
        return new TaskStreamBatch((taskId, changedAt) -> work.process(taskId), false);
    }

    /** As {@link #oneAfterAnother(TaskWork)}, telling the work when its task's change was written. */
    public static TaskStreamBatch oneAfterAnotherTimed(TimedTaskWork work) {
        return new TaskStreamBatch(work, false);
    }

    /**
     * Works on the tasks of a batch at the same time, one virtual thread each, so one slow task
     * does not hold up the others; returns when all are done.
     */
    public static TaskStreamBatch inParallel(TaskWork work) {
        Objects.requireNonNull(work, "work");
        return new TaskStreamBatch((taskId, changedAt) -> work.process(taskId), true);
    }

    @Override
    public StreamsEventResponse apply(DynamodbEvent event) {
        Map<String, List<String>> sequenceNumbersByTask = group(event);
        Map<String, Instant> changedAt = earliestChanges(event);
        List<String> retry = parallel ? inParallel(sequenceNumbersByTask.keySet(), changedAt)
                : oneAfterAnother(sequenceNumbersByTask.keySet(), changedAt);
        List<BatchItemFailure> failures = new ArrayList<>();
        for (String taskId : retry) {
            sequenceNumbersByTask.get(taskId).forEach(n -> failures.add(new BatchItemFailure(n)));
        }
        return new StreamsEventResponse(failures);
    }

    /** Sequence numbers per task id, tasks in the order they first appear; poison records left out. */
    private static Map<String, List<String>> group(DynamodbEvent event) {
        Map<String, List<String>> sequenceNumbersByTask = new LinkedHashMap<>();
        List<DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        for (DynamodbStreamRecord record : records) {
            String taskId = taskIdOf(record);
            if (taskId == null) {
                LOG.log(Level.WARNING, "stream record {0} names no task or has no sequence number; skipped",
                        record == null ? null : record.getEventID());
                continue;
            }
            sequenceNumbersByTask.computeIfAbsent(taskId, k -> new ArrayList<>())
                    .add(record.getDynamodb().getSequenceNumber());
        }
        return sequenceNumbersByTask;
    }

    /** The earliest {@code ApproximateCreationDateTime} of each task's records, for the tasks that have one. */
    private static Map<String, Instant> earliestChanges(DynamodbEvent event) {
        Map<String, Instant> earliest = new HashMap<>();
        for (DynamodbStreamRecord record : event.getRecords() == null ? List.<DynamodbStreamRecord>of() : event.getRecords()) {
            String taskId = taskIdOf(record);
            if (taskId != null && record.getDynamodb().getApproximateCreationDateTime() != null) {
                Instant at = record.getDynamodb().getApproximateCreationDateTime().toInstant();
                earliest.merge(taskId, at, (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return earliest;
    }

    private List<String> oneAfterAnother(Iterable<String> taskIds, Map<String, Instant> changedAt) {
        List<String> retry = new ArrayList<>();
        for (String taskId : taskIds) {
            if (!done(taskId, changedAt)) {
                retry.add(taskId);
            }
        }
        return retry;
    }

    private List<String> inParallel(Iterable<String> taskIds, Map<String, Instant> changedAt) {
        List<String> retry = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<Boolean>> running = new LinkedHashMap<>();
            taskIds.forEach(taskId -> running.put(taskId, threads.submit(() -> done(taskId, changedAt))));
            for (Map.Entry<String, Future<Boolean>> entry : running.entrySet()) {
                try {
                    if (!entry.getValue().get()) {
                        retry.add(entry.getKey());
                    }
                } catch (ExecutionException e) {
                    // done() catches RuntimeExceptions; an Error still must not lose the task.
                    LOG.log(Level.ERROR, "task " + entry.getKey() + ": work failed; the stream will deliver it again",
                            e.getCause());
                    retry.add(entry.getKey());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    retry.add(entry.getKey());
                }
            }
        }
        return retry;
    }

    /** Runs the work for one task: true when its records may be checkpointed. */
    private boolean done(String taskId, Map<String, Instant> changedAt) {
        try {
            return work.process(taskId, Optional.ofNullable(changedAt.get(taskId))) == Verdict.DONE;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "task " + taskId + ": work threw; the stream will deliver it again", e);
            return false;
        }
    }

    /**
     * The task id from the record's key ({@code task#<id>}), or null for a record that names no
     * task or has no sequence number (a poison record).
     */
    static String taskIdOf(DynamodbStreamRecord record) {
        if (record == null || record.getDynamodb() == null || record.getDynamodb().getKeys() == null
                || record.getDynamodb().getSequenceNumber() == null) {
            return null;
        }
        AttributeValue pk = record.getDynamodb().getKeys().get(TaskItems.PK);
        if (pk == null || pk.getS() == null || !pk.getS().startsWith(TaskItems.KEY_PREFIX)) {
            return null;
        }
        String id = pk.getS().substring(TaskItems.KEY_PREFIX.length());
        return id.isEmpty() ? null : id;
    }
}
