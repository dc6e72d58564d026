package com.runwayrelay.domain.poll;

import com.runwayrelay.domain.memory.ScriptedRunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The scripted fake plus what these tests look at: reads per task, latency, calls in flight. */
final class RecordingRunway implements RunwayGateway {
    final ScriptedRunwayGateway scripted = new ScriptedRunwayGateway();
    private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    private final java.util.List<String> readOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean hang;
    private volatile int holdUntil;

    RecordingRunway latency(Duration value) {
        latency = value;
        return this;
    }

    /**
     * Calls wait until {@code count} are in flight at once (or 30 s, a hang guard, have passed);
     * once that happened, none waits.
     */
    RecordingRunway holdUntilInFlight(int count) {
        holdUntil = count;
        return this;
    }

    /** Every call blocks until the calling thread is interrupted. */
    RecordingRunway hang() {
        hang = true;
        return this;
    }

    @Override
    public CreateOutcome create(String endpoint, String requestJson) {
        return around(() -> scripted.create(endpoint, requestJson));
    }

    @Override
    public ReadOutcome get(String runwayTaskId) {
        reads.computeIfAbsent(runwayTaskId, id -> new AtomicInteger()).incrementAndGet();
        readOrder.add(runwayTaskId);
        return around(() -> scripted.get(runwayTaskId));
    }

    @Override
    public CancelOutcome cancel(String runwayTaskId) {
        return around(() -> scripted.cancel(runwayTaskId));
    }

    int reads(String runwayTaskId) {
        AtomicInteger count = reads.get(runwayTaskId);
        return count == null ? 0 : count.get();
    }

    java.util.List<String> readOrder() {
        return readOrder;
    }

    Map<String, AtomicInteger> allReads() {
        return reads;
    }

    int peakInFlight() {
        return peak.get();
    }

    private <T> T around(java.util.function.Supplier<T> call) {
        int now = inFlight.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        try {
            if (holdUntil > 0) {
                long guard = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (peak.get() < holdUntil && System.nanoTime() - guard < 0) {
                    Thread.sleep(1);
                }
            }
            if (hang) {
                Thread.sleep(Long.MAX_VALUE);
            }
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling Runway", e);
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
