package com.runwayrelay.archiver;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.runwayrelay.aws.stream.TaskStreamBatch;
import com.runwayrelay.aws.stream.TaskStreamBatch.Verdict;
import com.runwayrelay.domain.archive.TaskArchiver.Outcome;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns a batch of stream records into archive attempts through {@link TaskStreamBatch} (grouping
 * by task, partial batch failures, poison records skipped): one attempt per distinct task, one task
 * after the other, since each may stream gigabytes. A task whose attempt asks for a retry, or
 * throws, has its records reported so the stream delivers them again; a task that failed for good
 * is done as far as the stream is concerned.
 */
final class ArchiveBatch implements Function<DynamodbEvent, StreamsEventResponse> {
    private static final System.Logger LOG = System.getLogger(ArchiveBatch.class.getName());

    private final TaskStreamBatch batch;

    /** @param archive the use case, {@code TaskArchiver::archive} */
    ArchiveBatch(Function<String, Outcome> archive) {
        Objects.requireNonNull(archive, "archive");
        this.batch = TaskStreamBatch.oneAfterAnother(taskId -> {
            Outcome outcome = archive.apply(taskId);
            LOG.log(outcome.retry() ? Level.WARNING : Level.INFO, "task {0}: {1}: {2}", taskId, outcome.result(),
                    outcome.detail());
            return outcome.retry() ? Verdict.RETRY : Verdict.DONE;
        });
    }

    @Override
    public StreamsEventResponse apply(DynamodbEvent event) {
        return batch.apply(event);
    }
}
