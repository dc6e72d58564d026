package com.runwayrelay.notifier;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.runwayrelay.aws.dynamodb.TaskItems;
import com.runwayrelay.domain.webhook.WebhookDispatch.Result;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Turns a batch of stream records into deliveries: one call per distinct task (the records only
 * say <em>which</em> task changed; the use case re-reads it), the tasks of a batch in parallel on
 * virtual threads so one slow receiver does not hold up the others. A task whose delivery throws
 * (e.g. DynamoDB unavailable) has its records reported as failed, so the stream retries them;
 * the others are checkpointed.
 */
final class StreamDeliveries implements Function<DynamodbEvent, StreamsEventResponse> {
    private static final System.Logger LOG = System.getLogger(StreamDeliveries.class.getName());

    private final Function<String, Result> deliver;

    /** @param deliver the use case, {@code WebhookDispatch::deliver} */
    StreamDeliveries(Function<String, Result> deliver) {
        this.deliver = Objects.requireNonNull(deliver, "deliver");
    }

    @Override
    public StreamsEventResponse apply(DynamodbEvent event) {
        Map<String, List<String>> sequenceNumbersByTask = new LinkedHashMap<>();
        for (DynamodbStreamRecord record : event.getRecords() == null ? List.<DynamodbStreamRecord>of() : event.getRecords()) {
            String taskId = taskIdOf(record);
            if (taskId == null) {
                // Filters only pass task items; anything else carries no work for us.
                LOG.log(Level.WARNING, "stream record {0} is not a task item; skipped", record.getEventID());
                continue;
            }
            sequenceNumbersByTask.computeIfAbsent(taskId, k -> new ArrayList<>()).add(record.getDynamodb().getSequenceNumber());
        }
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<Result>> running = new LinkedHashMap<>();
            sequenceNumbersByTask.keySet().forEach(taskId -> running.put(taskId, threads.submit(() -> deliver.apply(taskId))));
            for (Map.Entry<String, Future<Result>> entry : running.entrySet()) {
                String taskId = entry.getKey();
                try {
                    LOG.log(Level.INFO, "task {0}: webhook {1}", taskId, entry.getValue().get());
                } catch (ExecutionException e) {
                    LOG.log(Level.ERROR, "task " + taskId + ": webhook delivery failed; the stream will retry", e.getCause());
                    sequenceNumbersByTask.get(taskId).forEach(n -> failures.add(new StreamsEventResponse.BatchItemFailure(n)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    sequenceNumbersByTask.get(taskId).forEach(n -> failures.add(new StreamsEventResponse.BatchItemFailure(n)));
                }
            }
        }
        return new StreamsEventResponse(failures);
    }

    /** The task id from the record's key ({@code task#<id>}), or null for other items. */
    static String taskIdOf(DynamodbStreamRecord record) {
        if (record == null || record.getDynamodb() == null || record.getDynamodb().getKeys() == null) {
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
