package com.runwayrelay.archiver;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.runwayrelay.aws.dynamodb.TaskItems;
import com.runwayrelay.domain.archive.TaskArchiver.Outcome;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns a batch of stream records into archive attempts: one per distinct task (a record only
 * says <em>which</em> task became OUTPUT_READY; the use case re-reads it), one task after the
 * other, since each may stream gigabytes. Every record of a task whose attempt asks for a retry,
 * or throws, is reported as a batch item failure, so the stream delivers it again; the other
 * records are checkpointed. Records that are not task items carry no work and are skipped.
 */
final class ArchiveBatch implements Function<DynamodbEvent, StreamsEventResponse> {
    private static final System.Logger LOG = System.getLogger(ArchiveBatch.class.getName());

    private final Function<String, Outcome> archive;

    /** @param archive the use case, {@code TaskArchiver::archive} */
    ArchiveBatch(Function<String, Outcome> archive) {
        this.archive = Objects.requireNonNull(archive, "archive");
    }

    @Override
    public StreamsEventResponse apply(DynamodbEvent event) {
        Map<String, List<String>> sequenceNumbersByTask = new LinkedHashMap<>();
        List<DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        for (DynamodbStreamRecord record : records) {
            String taskId = taskIdOf(record);
            if (taskId == null) {
                LOG.log(Level.WARNING, "stream record {0} is not a task item; skipped", record.getEventID());
                continue;
            }
            sequenceNumbersByTask.computeIfAbsent(taskId, k -> new ArrayList<>())
                    .add(record.getDynamodb().getSequenceNumber());
        }
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        sequenceNumbersByTask.forEach((taskId, sequenceNumbers) -> {
            boolean failed;
            try {
                Outcome outcome = archive.apply(taskId);
                failed = outcome.retry();
                LOG.log(failed ? Level.WARNING : Level.INFO, "task {0}: {1}: {2}", taskId, outcome.result(),
                        outcome.detail());
            } catch (RuntimeException e) {
                failed = true;
                LOG.log(Level.ERROR, "task " + taskId + ": archiving threw; the stream will deliver it again", e);
            }
            if (failed) {
                sequenceNumbers.forEach(n -> failures.add(new StreamsEventResponse.BatchItemFailure(n)));
            }
        });
        return new StreamsEventResponse(failures);
    }

    /** The task id from the record's key ({@code task#<id>}), or null for other items. */
    static String taskIdOf(DynamodbStreamRecord record) {
        if (record == null || record.getDynamodb() == null || record.getDynamodb().getKeys() == null
                || record.getDynamodb().getSequenceNumber() == null) {
            return null;
        }
        AttributeValue pk = record.getDynamodb().getKeys().get("pk");
        if (pk == null || pk.getS() == null || !pk.getS().startsWith(TaskItems.KEY_PREFIX)) {
            return null;
        }
        String id = pk.getS().substring(TaskItems.KEY_PREFIX.length());
        return id.isEmpty() ? null : id;
    }
}
