package com.runwayrelay.archiver;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.runwayrelay.aws.log.JsonLog;
import com.runwayrelay.aws.stream.TaskStreamBatch;
import com.runwayrelay.aws.stream.TaskStreamBatch.Verdict;
import com.runwayrelay.domain.archive.TaskArchiver.Outcome;
import com.runwayrelay.domain.archive.TaskArchiver.Result;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.domain.metrics.RelayMetric;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private static final JsonLog LOG = JsonLog.STDOUT;

    private final TaskStreamBatch batch;

    /** @param archive the use case, {@code TaskArchiver::archive} */
    ArchiveBatch(Function<String, Outcome> archive) {
        this(archive, Metrics.none(), Clock.systemUTC());
    }

    /**
     * As above, recording {@link RelayMetric#COMPLETION_TO_ARCHIVED} for each task archived: from
     * the OUTPUT_READY write its stream record carries (kept when the record is delivered again)
     * to {@code clock}'s now.
     */
    ArchiveBatch(Function<String, Outcome> archive, Metrics metrics, Clock clock) {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(clock, "clock");
        this.batch = TaskStreamBatch.oneAfterAnotherTimed((taskId, readyAt) -> {
            Instant started = clock.instant();
            Outcome outcome = archive.apply(taskId);
            JsonLog.Event event = LOG.event("archiver.attempt").taskId(taskId).field("result", outcome.result().name())
                    .field("detail", outcome.detail()).duration(Duration.between(started, clock.instant()));
            if (outcome.retry()) {
                event.warn();
            } else {
                event.info();
            }
            if (outcome.result() == Result.ARCHIVED && readyAt.isPresent()) {
                Duration took = Duration.between(readyAt.get(), clock.instant());
                metrics.record(RelayMetric.COMPLETION_TO_ARCHIVED, Math.max(0, took.toMillis()) / 1000.0);
            }
            return outcome.retry() ? Verdict.RETRY : Verdict.DONE;
        });
    }

    @Override
    public StreamsEventResponse apply(DynamodbEvent event) {
        return batch.apply(event);
    }
}
