package com.runwayrelay.domain.memory;

import com.runwayrelay.domain.runway.RunwayGateway;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link RunwayGateway} for unit tests: creates succeed with fresh ids unless an outcome was
 * queued; reads return what a test put there; every call is counted.
 */
public final class ScriptedRunwayGateway implements RunwayGateway {
    private final Deque<CreateOutcome> queuedCreates = new ConcurrentLinkedDeque<>();
    private final Map<String, ReadOutcome> reads = new ConcurrentHashMap<>();
    private final List<String> cancelled = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger creates = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();

    /** The next create ends like this instead of succeeding. */
    public ScriptedRunwayGateway queueCreate(CreateOutcome outcome) {
        queuedCreates.add(outcome);
        return this;
    }

    /** What {@link #get} answers for this Runway task. */
    public ScriptedRunwayGateway answer(String runwayTaskId, ReadOutcome outcome) {
        reads.put(runwayTaskId, outcome);
        return this;
    }

    @Override
    public CreateOutcome create(String endpoint, String requestJson) {
        creates.incrementAndGet();
        CreateOutcome queued = queuedCreates.poll();
        return queued != null ? queued : new CreateOutcome.Created("rw-" + ids.incrementAndGet(), null);
    }

    @Override
    public ReadOutcome get(String runwayTaskId) {
        return reads.getOrDefault(runwayTaskId, new ReadOutcome.Gone());
    }

    @Override
    public CancelOutcome cancel(String runwayTaskId) {
        cancelled.add(runwayTaskId);
        return new CancelOutcome.Done();
    }

    /** Creates sent so far. */
    public int createCount() {
        return creates.get();
    }

    /** Runway task ids cancelled so far. */
    public List<String> cancelled() {
        return List.copyOf(cancelled);
    }
}
