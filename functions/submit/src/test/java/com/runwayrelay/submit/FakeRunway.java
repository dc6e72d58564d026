package com.runwayrelay.submit;

import com.runwayrelay.domain.runway.RunwayGateway;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/** A Runway port for unit tests: records creates and cancels, answers creates from a queue (default: created). */
final class FakeRunway implements RunwayGateway {
    final List<String> createdBodies = new ArrayList<>();
    final List<String> createdEndpoints = new ArrayList<>();
    final List<String> cancelled = new ArrayList<>();
    /** Reads of a Runway task asked of this port: a held create must make none. */
    final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    private final Deque<CreateOutcome> queued = new ConcurrentLinkedDeque<>();
    private int ids;

    FakeRunway queue(CreateOutcome outcome) {
        queued.add(outcome);
        return this;
    }

    @Override
    public synchronized CreateOutcome create(String endpoint, String requestJson) {
        createdBodies.add(requestJson);
        createdEndpoints.add(endpoint);
        CreateOutcome next = queued.poll();
        return next != null ? next : new CreateOutcome.Created("rw-" + (++ids), null);
    }

    @Override
    public ReadOutcome get(String runwayTaskId) {
        reads.incrementAndGet();
        return new ReadOutcome.Gone();
    }

    @Override
    public synchronized CancelOutcome cancel(String runwayTaskId) {
        cancelled.add(runwayTaskId);
        return new CancelOutcome.Done();
    }
}
