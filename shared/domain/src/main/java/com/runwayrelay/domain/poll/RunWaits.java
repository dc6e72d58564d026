package com.runwayrelay.domain.poll;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How a run waits: its idle pause between sweeps, and the clock and pause of its request-rate cap.
 * Real time in production; tests record the waits asked for instead of measuring them.
 *
 * @param idle     sleeps between sweeps when everything due was seen
 * @param nanoTime the rate cap's monotonic clock
 * @param ratePause how the rate cap waits for its next token
 */
record RunWaits(IdlePause idle, LongSupplier nanoTime, TokenBucket.Pause ratePause) {
    /** Thread sleeps and {@link System#nanoTime()}. */
    static final RunWaits REAL = new RunWaits(Thread::sleep, System::nanoTime,
            nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));

    RunWaits {
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(nanoTime, "nanoTime");
        Objects.requireNonNull(ratePause, "ratePause");
    }

    /** Waits between sweeps. */
    @FunctionalInterface
    interface IdlePause {
        void sleep(Duration pause) throws InterruptedException;
    }
}
