package com.runwayrelay.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Stands in for one DynamoDB stream event source mapping: reads the table's stream shard by shard,
 * keeps the records the template's {@code FilterCriteria} let through, hands them to the function in
 * batches of the template's {@code BatchSize}, and honours partial batch failures the way Lambda
 * does with {@code ReportBatchItemFailures}: the batch is retried from the earliest failed record,
 * at most {@code MaximumRetryAttempts} times with growing delays, then given up on and reported to
 * the {@link OnFailureDestination}. A function that throws fails the whole batch. A shard is read
 * only after its parent is done, so records of one item stay in order.
 *
 * <p>With a {@code ParallelizationFactor} N above 1 a shard's records are split into N lanes by their
 * item key (the key's hash mod N), as Lambda does: each lane hands its own records over in order, in
 * batches of up to {@code BatchSize} that hold records of that lane only, one batch at a time, with
 * the retries above; the lanes of a shard run at the same time, each on its own thread. A lane that
 * is busy or waiting for a retry does not hold up the others. The saved position only moves past a
 * record once it and every record before it in the shard are handled (or given up on), so a restart
 * may hand a lane's records over again but never skips one.
 *
 * <p>Positions are saved after every batch ({@link StreamCheckpoints}). On a first start the reader
 * begins at the end of the stream; after a restart, right after the last record it handled.
 */
final class StreamConsumer implements AutoCloseable {
    private static final int GET_RECORDS_LIMIT = 1000;
    private static final Duration DISCOVERY_INTERVAL = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    /** The function that gets the batches. */
    @FunctionalInterface
    interface BatchHandler {
        StreamsEventResponse handle(DynamodbEvent event) throws InterruptedException;
    }

    /**
     * Timing.
     *
     * @param pollInterval  pause after a round in which no shard had records
     * @param retryDelay    delay before the first retry of a failed batch; doubled for each further one
     * @param maxRetryDelay longest delay between retries
     */
    record Settings(Duration pollInterval, Duration retryDelay, Duration maxRetryDelay) {
    }

    private final String name;
    private final FunctionSpec.StreamSubscription subscription;
    private final List<EventPattern> filters;
    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final BatchHandler handler;
    private final StreamCheckpoints checkpoints;
    private final Settings settings;
    private final OnFailureDestination onFailure;
    private final StackLog log;
    private final Map<String, ShardState> shards = new LinkedHashMap<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;
    /** Guards the checkpoints and the shards' pending records once lanes run beside the reader. */
    private final Object lock = new Object();
    private long nextDiscovery;

    private StreamConsumer(String name, FunctionSpec.StreamSubscription subscription, DynamoDbStreamsClient streams, String streamArn,
                           BatchHandler handler, StreamCheckpoints checkpoints, Settings settings, OnFailureDestination onFailure,
                           StackLog log) {
        this.name = name;
        this.subscription = subscription;
        this.filters = subscription.filterPatterns().stream().map(EventPattern::parse).toList();
        this.streams = streams;
        this.streamArn = streamArn;
        this.handler = handler;
        this.checkpoints = checkpoints;
        this.settings = settings;
        this.onFailure = onFailure;
        this.log = log;
        this.thread = Thread.ofPlatform().name("relay-stream-" + name).daemon().unstarted(this::run);
    }

    /**
     * Positions the reader in every shard (so records written from now on are seen), then starts
     * reading on its own thread.
     *
     * @param name function name, for logs and failure records
     * @throws IllegalArgumentException if a filter pattern is malformed or uses an unsupported operator
     */
    static StreamConsumer start(String name, FunctionSpec.StreamSubscription subscription, DynamoDbStreamsClient streams,
                                String streamArn, BatchHandler handler, StreamCheckpoints checkpoints, Settings settings,
                                OnFailureDestination onFailure, StackLog log) {
        StreamConsumer consumer = new StreamConsumer(name, subscription, streams, streamArn, handler, checkpoints, settings, onFailure, log);
        consumer.discover(true);
        consumer.checkpoints.save();
        consumer.thread.start();
        return consumer;
    }

    /** Whether a record passes the template's filters (all records pass when there are none). */
    boolean accepts(Record record) {
        if (filters.isEmpty()) {
            return true;
        }
        var json = StreamRecords.toFilterJson(record, streamArn);
        return filters.stream().anyMatch(pattern -> pattern.matches(json));
    }

    /**
     * Stops: a batch being handled is finished (up to 15 s), a retry being waited for is abandoned without
     * moving the position, so a restart delivers it again.
     */
    @Override
    public void close() {
        stopping.countDown();
        try {
            thread.join(STOP_GRACE.toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(5_000);
            }
            for (ShardState shard : List.copyOf(shards.values())) {
                for (Lane lane : shard.lanes == null ? new Lane[0] : shard.lanes) {
                    lane.thread.join(STOP_GRACE.toMillis());
                    if (lane.thread.isAlive()) {
                        lane.thread.interrupt();
                        lane.thread.join(5_000);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean stopped() {
        return stopping.getCount() == 0;
    }

    private void run() {
        while (!stopped()) {
            try {
                if (System.nanoTime() - nextDiscovery >= 0) {
                    discover(false);
                }
                if (!readRound() && pause(settings.pollInterval())) {
                    return;
                }
            } catch (RuntimeException e) {
                if (stopped()) {
                    return;
                }
                log.warn(name + " stream reader: " + e + "; retrying in 1 s");
                if (pause(Duration.ofSeconds(1))) {
                    return;
                }
            }
        }
    }

    /** Reads once from every ready shard; true if any had records. */
    private boolean readRound() {
        boolean any = false;
        for (ShardState shard : List.copyOf(shards.values())) {
            if (stopped()) {
                return any;
            }
            if (shard.finished || shard.iterator == null || parentPending(shard) || lanesFull(shard)) {
                continue;
            }
            GetRecordsResponse response;
            try {
                response = streams.getRecords(request -> request.shardIterator(shard.iterator).limit(GET_RECORDS_LIMIT));
            } catch (ExpiredIteratorException e) {
                // With lanes the saved position may lag behind records already queued: go on after the last one read.
                shard.iterator = iterator(shard.id, shard.lastRead != null ? StreamCheckpoints.Position.after(shard.lastRead)
                        : checkpoint(shard.id).orElse(new StreamCheckpoints.Position(StreamCheckpoints.Kind.TRIM_HORIZON, null, false)));
                continue;
            } catch (TrimmedDataAccessException e) {
                log.warn(name + ": records of shard " + shard.id + " expired before they were read; continuing from the oldest kept");
                shard.iterator = iterator(shard.id, new StreamCheckpoints.Position(StreamCheckpoints.Kind.TRIM_HORIZON, null, false));
                continue;
            }
            List<Record> records = response.records();
            if (lanes() > 1) {
                any |= !records.isEmpty();
                queue(shard, records);
                shard.iterator = response.nextShardIterator();
                if (shard.iterator == null) {
                    synchronized (lock) {
                        shard.finished = true;
                        settle(shard);
                    }
                }
                continue;
            }
            if (!records.isEmpty()) {
                any = true;
                if (!checkpoints.get(shard.id).map(StreamCheckpoints.Position::exact).orElse(false)) {
                    // From here on the position must name a record: a stop before these are handled resumes at them.
                    checkpoints.put(shard.id, StreamCheckpoints.Position.at(records.getFirst().dynamodb().sequenceNumber()));
                    checkpoints.save();
                }
                if (!deliver(shard, records)) {
                    return any;
                }
                checkpoints.put(shard.id, StreamCheckpoints.Position.after(records.getLast().dynamodb().sequenceNumber()));
            }
            shard.iterator = response.nextShardIterator();
            if (shard.iterator == null) {
                shard.finished = true;
                checkpoints.put(shard.id, checkpoints.get(shard.id)
                        .orElse(new StreamCheckpoints.Position(StreamCheckpoints.Kind.TRIM_HORIZON, null, false)).finish());
            }
            if (!records.isEmpty() || shard.finished) {
                checkpoints.save();
            }
        }
        return any;
    }

    private int lanes() {
        return subscription.parallelization();
    }

    /** Whether the shard's lanes already hold as many records as one read returns, so reading waits. */
    private boolean lanesFull(ShardState shard) {
        if (lanes() == 1) {
            return false;
        }
        synchronized (lock) {
            return shard.pending.size() >= GET_RECORDS_LIMIT;
        }
    }

    /** Puts the records that pass the filters into their lanes; the others count as handled at once. */
    private void queue(ShardState shard, List<Record> records) {
        if (records.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (!checkpoints.get(shard.id).map(StreamCheckpoints.Position::exact).orElse(false)) {
                // From here on the position must name a record: a stop before these are handled resumes at them.
                checkpoints.put(shard.id, StreamCheckpoints.Position.at(records.getFirst().dynamodb().sequenceNumber()));
                checkpoints.save();
            }
            if (shard.lanes == null) {
                shard.lanes = new Lane[lanes()];
                for (int i = 0; i < shard.lanes.length; i++) {
                    shard.lanes[i] = new Lane(shard, i);
                }
            }
            for (Record record : records) {
                boolean accepted = accepts(record);
                Pending pending = new Pending(record.dynamodb().sequenceNumber(), !accepted);
                shard.pending.addLast(pending);
                if (accepted) {
                    shard.lanes[laneOf(record, shard.lanes.length)].queue.add(new Queued(record, pending));
                }
            }
            shard.lastRead = records.getLast().dynamodb().sequenceNumber();
            settle(shard);
        }
    }

    /** The lane of a record: its item key's hash mod the number of lanes, so one item always uses one lane. */
    static int laneOf(Record record, int lanes) {
        return Math.floorMod(record.dynamodb().keys().hashCode(), lanes);
    }

    /**
     * Moves the saved position past the records handled so far with none unhandled before them; marks a
     * closed shard finished once all its records are. Call holding {@link #lock}.
     */
    private void settle(ShardState shard) {
        String last = null;
        while (!shard.pending.isEmpty() && shard.pending.peekFirst().done) {
            last = shard.pending.pollFirst().sequenceNumber;
        }
        boolean changed = false;
        if (last != null) {
            checkpoints.put(shard.id, StreamCheckpoints.Position.after(last));
            changed = true;
        }
        if (shard.finished && shard.pending.isEmpty() && !shard.finishSaved) {
            shard.finishSaved = true;
            checkpoints.put(shard.id, checkpoints.get(shard.id)
                    .orElse(new StreamCheckpoints.Position(StreamCheckpoints.Kind.TRIM_HORIZON, null, false)).finish());
            changed = true;
        }
        if (changed) {
            checkpoints.save();
        }
    }

    private Optional<StreamCheckpoints.Position> checkpoint(String shardId) {
        synchronized (lock) {
            return checkpoints.get(shardId);
        }
    }

    /** Hands one lane's records over, a batch at a time, until the reader stops. */
    private void runLane(ShardState shard, Lane lane) {
        while (!stopped()) {
            try {
                Queued first = lane.queue.poll(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Queued> batch = new ArrayList<>(List.of(first));
                lane.queue.drainTo(batch, subscription.batchSize() - 1);
                if (!deliverBatch(shard, batch.stream().map(Queued::record).toList())) {
                    return;
                }
                synchronized (lock) {
                    batch.forEach(queued -> queued.pending.done = true);
                    settle(shard);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn(name + " stream lane " + lane.index + " of " + shard.id + ": " + e);
                if (pause(Duration.ofSeconds(1))) {
                    return;
                }
            }
        }
    }

    /** Delivers the records that pass the filters; false if stopped before all were handled. */
    private boolean deliver(ShardState shard, List<Record> records) {
        List<Record> matching = records.stream().filter(this::accepts).toList();
        for (int from = 0; from < matching.size(); from += subscription.batchSize()) {
            List<Record> batch = matching.subList(from, Math.min(matching.size(), from + subscription.batchSize()));
            if (!deliverBatch(shard, batch)) {
                return false;
            }
            checkpoints.put(shard.id, StreamCheckpoints.Position.after(batch.getLast().dynamodb().sequenceNumber()));
            checkpoints.save();
        }
        return true;
    }

    private boolean deliverBatch(ShardState shard, List<Record> batch) {
        List<Record> remaining = batch;
        for (int retry = 0; ; retry++) {
            Failure failure = invoke(remaining);
            if (failure == null) {
                log.detail(name + " handled " + remaining.size() + " stream record(s) from " + shard.id);
                return true;
            }
            remaining = remaining.subList(failure.firstFailedIndex(), remaining.size());
            int maxRetries = subscription.maxRetries();
            if (maxRetries >= 0 && retry >= maxRetries) {
                String reason = failure.reason() + " (gave up after " + (retry + 1) + " attempt(s))";
                log.warn(name + ": " + remaining.size() + " stream record(s) " + keys(remaining) + " " + reason
                        + onFailure.file().map(file -> "; recorded in " + file).orElse(""));
                onFailure.record(name, shard.id, remaining.stream().map(r -> r.dynamodb().sequenceNumber()).toList(), keys(remaining), reason);
                return true;
            }
            Duration delay = retryDelay(retry);
            log.warn(name + ": " + remaining.size() + " stream record(s) " + keys(remaining) + " " + failure.reason()
                    + "; retry " + (retry + 1) + (maxRetries >= 0 ? " of " + maxRetries : "") + " in " + delay.toMillis() + " ms");
            if (pause(delay)) {
                return false;
            }
        }
    }

    private Duration retryDelay(int retry) {
        Duration delay = settings.retryDelay().multipliedBy(1L << Math.min(retry, 20));
        return delay.compareTo(settings.maxRetryDelay()) > 0 ? settings.maxRetryDelay() : delay;
    }

    /** Invokes the function; null when every record succeeded. */
    private Failure invoke(List<Record> records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(records.stream().map(r -> StreamRecords.toLambda(r, streamArn)).collect(Collectors.toCollection(ArrayList::new)));
        StreamsEventResponse response;
        try {
            response = handler.handle(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failure(0, "interrupted");
        } catch (RuntimeException | Error e) {
            return new Failure(0, "failed: the function threw " + e);
        }
        if (!subscription.reportItemFailures() || response == null || response.getBatchItemFailures() == null
                || response.getBatchItemFailures().isEmpty()) {
            return null;
        }
        List<String> sequenceNumbers = records.stream().map(r -> r.dynamodb().sequenceNumber()).toList();
        int first = records.size();
        for (StreamsEventResponse.BatchItemFailure item : response.getBatchItemFailures()) {
            int index = item == null || item.getItemIdentifier() == null ? -1 : sequenceNumbers.indexOf(item.getItemIdentifier());
            if (index < 0) {
                // Lambda treats a blank or unknown identifier as a failure of the whole batch.
                return new Failure(0, "failed: the function reported a batch item failure that names no record of the batch");
            }
            first = Math.min(first, index);
        }
        return new Failure(first, "reported as failed by the function");
    }

    private record Failure(int firstFailedIndex, String reason) {
    }

    private void discover(boolean initial) {
        nextDiscovery = System.nanoTime() + DISCOVERY_INTERVAL.toNanos();
        String exclusiveStart = null;
        do {
            String start = exclusiveStart;
            var description = streams.describeStream(request -> request.streamArn(streamArn).exclusiveStartShardId(start)).streamDescription();
            for (Shard shard : description.shards()) {
                if (!shards.containsKey(shard.shardId())) {
                    shards.put(shard.shardId(), newShard(shard, initial));
                }
            }
            exclusiveStart = description.lastEvaluatedShardId();
        } while (exclusiveStart != null);
    }

    private ShardState newShard(Shard shard, boolean initial) {
        ShardState state = new ShardState(shard.shardId(), shard.parentShardId());
        Optional<StreamCheckpoints.Position> saved = checkpoints.get(shard.shardId());
        StreamCheckpoints.Position position;
        if (saved.isPresent()) {
            position = saved.get();
        } else if (initial && checkpoints.firstStart()) {
            boolean closed = shard.sequenceNumberRange() != null && shard.sequenceNumberRange().endingSequenceNumber() != null;
            position = new StreamCheckpoints.Position(StreamCheckpoints.Kind.LATEST, null, closed);
        } else {
            position = new StreamCheckpoints.Position(StreamCheckpoints.Kind.TRIM_HORIZON, null, false);
        }
        synchronized (lock) {
            checkpoints.put(shard.shardId(), position);
        }
        state.finished = position.finished();
        if (!state.finished) {
            state.iterator = iterator(shard.shardId(), position);
        }
        return state;
    }

    private String iterator(String shardId, StreamCheckpoints.Position position) {
        try {
            return streams.getShardIterator(request -> {
                request.streamArn(streamArn).shardId(shardId);
                switch (position.kind()) {
                    case LATEST -> request.shardIteratorType(ShardIteratorType.LATEST);
                    case TRIM_HORIZON -> request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                    case AT_SEQUENCE_NUMBER -> request.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                            .sequenceNumber(position.sequenceNumber());
                    case AFTER_SEQUENCE_NUMBER -> request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                            .sequenceNumber(position.sequenceNumber());
                }
            }).shardIterator();
        } catch (TrimmedDataAccessException e) {
            log.warn(name + ": the saved position in shard " + shardId + " is no longer kept; continuing from the oldest record kept");
            return streams.getShardIterator(request -> request.streamArn(streamArn).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        }
    }

    private boolean parentPending(ShardState shard) {
        if (shard.parentId == null) {
            return false;
        }
        ShardState parent = shards.get(shard.parentId);
        if (parent == null) {
            return false;
        }
        synchronized (lock) {
            return !parent.finished || !parent.pending.isEmpty();
        }
    }

    /** Waits; true if the reader was stopped meanwhile. */
    private boolean pause(Duration duration) {
        try {
            return stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static List<String> keys(List<Record> records) {
        Set<String> seen = new HashSet<>();
        List<String> keys = new ArrayList<>();
        for (Record record : records) {
            Map<String, AttributeValue> key = record.dynamodb().keys();
            String text = key.values().stream().map(v -> v.s() != null ? v.s() : v.n() != null ? v.n() : String.valueOf(v))
                    .collect(Collectors.joining("/"));
            if (seen.add(text)) {
                keys.add(text);
            }
        }
        return keys;
    }

    private static final class ShardState {
        final String id;
        final String parentId;
        String iterator;
        boolean finished;
        /** With lanes: the records read and not yet settled, in stream order. */
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        Lane[] lanes;
        String lastRead;
        boolean finishSaved;

        ShardState(String id, String parentId) {
            this.id = id;
            this.parentId = parentId;
        }
    }

    private static final class Pending {
        final String sequenceNumber;
        boolean done;

        Pending(String sequenceNumber, boolean done) {
            this.sequenceNumber = sequenceNumber;
            this.done = done;
        }
    }

    private record Queued(Record record, Pending pending) {
    }

    private final class Lane {
        final int index;
        final LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
        final Thread thread;

        Lane(ShardState shard, int index) {
            this.index = index;
            this.thread = Thread.ofPlatform().name("relay-stream-" + name + "-lane-" + index).daemon().unstarted(() -> runLane(shard, this));
            this.thread.start();
        }
    }
}
