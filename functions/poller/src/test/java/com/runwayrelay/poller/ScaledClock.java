package com.runwayrelay.poller;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that runs {@code factor} times faster than real time, so the poller's real policy
 * (5 s between reads, 30 s for THROTTLED tasks, a 60 s lease) plays out in a fraction of the
 * time. Shared by the poller and the simulator so both agree on what time it is.
 */
final class ScaledClock extends Clock {
    private final Instant origin = Instant.now();
    private final long startNanos = System.nanoTime();
    private final long factor;

    ScaledClock(long factor) {
        this.factor = factor;
    }

    @Override
    public Instant instant() {
        return origin.plusNanos((System.nanoTime() - startNanos) * factor);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}
