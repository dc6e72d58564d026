package com.runwayrelay.domain.poll;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The tallies of one run, updated by its workers concurrently. */
final class RunCounters {
    final LongAdder claimed = new LongAdder();
    final LongAdder advanced = new LongAdder();
    final LongAdder unchanged = new LongAdder();
    final LongAdder transitions = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder released = new LongAdder();
    final LongAdder woken = new LongAdder();
    final LongAdder cleared = new LongAdder();
    final LongAdder runwayRequests = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();

    void started() {
        int now = inFlight.incrementAndGet();
        peakInFlight.accumulateAndGet(now, Math::max);
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    RunSummary summary(String runId, Duration duration) {
        return new RunSummary(runId, claimed.sum(), advanced.sum(), unchanged.sum(), transitions.sum(), failed.sum(), skipped.sum(),
                released.sum(), woken.sum(), cleared.sum(), runwayRequests.sum(), peakInFlight.get(), duration);
    }
}
