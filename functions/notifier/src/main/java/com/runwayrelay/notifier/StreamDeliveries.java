package com.runwayrelay.notifier;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.runwayrelay.aws.log.JsonLog;
import com.runwayrelay.aws.stream.TaskStreamBatch;
import com.runwayrelay.aws.stream.TaskStreamBatch.Verdict;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.webhook.WebhookDispatch.Result;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns a batch of stream records into deliveries through {@link TaskStreamBatch} (grouping by
 * task, partial batch failures, poison records skipped): one call per distinct task, the tasks of
 * a batch in parallel so one slow receiver does not hold up the others.
 *
 * <p>Each task is first settled in the usage ledger (idempotent; the safety net for a writer that
 * stopped between its terminal write and its own settle), then delivered. Every {@link Result} is
 * done as far as the stream is concerned (the use case keeps its own retry schedule in the task);
 * only a settle or delivery that throws (e.g. DynamoDB unavailable) has its task's records reported,
 * so the stream retries both. A settle that throws does not hold the delivery back: the task is
 * still delivered, and its records are reported afterwards for the settle's sake.
 */
final class StreamDeliveries implements Function<DynamodbEvent, StreamsEventResponse> {
    private static final JsonLog LOG = JsonLog.STDOUT;

    private final TaskStreamBatch batch;

    /**
     * @param settle  settles the task if it ended, {@code EndedTaskSettlement::settle}
     * @param deliver the use case, {@code WebhookDispatch::deliver}
     */
    StreamDeliveries(Consumer<String> settle, Function<String, Result> deliver) {
        this(settle, deliver, Metrics.none());
    }

    /** As above, recording each delivery that sent or gave up as {@link RelayMetric#WEBHOOK_DELIVERIES}. */
    StreamDeliveries(Consumer<String> settle, Function<String, Result> deliver, Metrics metrics) {
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(deliver, "deliver");
        Objects.requireNonNull(metrics, "metrics");
        this.batch = TaskStreamBatch.inParallel(taskId -> {
            long started = System.nanoTime();
            RuntimeException settleFailure = null;
            try {
                settle.accept(taskId);
            } catch (RuntimeException e) {
                // The app's webhook does not wait for the ledger: deliver, then report the records so the stream
                // retries the settle (a delivery already made answers NOTHING_TO_SEND on the retry).
                settleFailure = e;
            }
            Result result = deliver.apply(taskId);
            LOG.event("notifier.delivery").taskId(taskId).field("result", result.name())
                    .duration(Duration.ofNanos(System.nanoTime() - started)).info();
            outcomeName(result).ifPresent(outcome -> metrics.record(RelayMetric.WEBHOOK_DELIVERIES, 1, outcome));
            if (settleFailure != null) {
                throw settleFailure;
            }
            return Verdict.DONE;
        });
    }

    /** The {@code Outcome} of a delivery that sent a webhook or gave up; empty when nothing was sent. */
    static Optional<String> outcomeName(Result result) {
        return switch (result) {
            case DELIVERED -> Optional.of(RelayMetric.Webhook.DELIVERED);
            case RETRY_SCHEDULED -> Optional.of(RelayMetric.Webhook.RETRY_SCHEDULED);
            case FAILED -> Optional.of(RelayMetric.Webhook.FAILED);
            case DISABLED -> Optional.of(RelayMetric.Webhook.DISABLED);
            case NOT_FOUND, NOTHING_TO_SEND, NOT_DUE, CONTENDED -> Optional.empty();
        };
    }

    @Override
    public StreamsEventResponse apply(DynamodbEvent event) {
        return batch.apply(event);
    }
}
