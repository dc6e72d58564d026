package com.runwayrelay.domain.poll;

import java.util.function.LongSupplier;

/**
 * A request-rate cap shared by every worker of a run: {@code perSecond} tokens a second, at most
 * one second's worth saved up. A caller that finds the bucket empty reserves the next token and
 * sleeps until it is due, so waiting callers are served in order and none spins.
 */
final class TokenBucket {
    /** How to wait; replaced in tests. */
    interface Pause {
        void nanos(long nanos) throws InterruptedException;
    }

    private final double perNano;
    private final double capacity;
    private final LongSupplier nanoTime;
    private final Pause pause;
    private double tokens;
    private long refilledAt;

    TokenBucket(double perSecond, LongSupplier nanoTime, Pause pause) {
        this.perNano = perSecond / 1e9;
        this.capacity = Math.max(1, perSecond);
        this.nanoTime = nanoTime;
        this.pause = pause;
        this.tokens = capacity;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** A cap of {@code perSecond} on the clock and pause of {@code waits}. */
    static TokenBucket perSecond(double perSecond, RunWaits waits) {
        return new TokenBucket(perSecond, waits.nanoTime(), waits.ratePause());
    }

    /** Takes one token, waiting for it when none is left. */
    void acquire() throws InterruptedException {
        long wait = reserve();
        if (wait > 0) {
            pause.nanos(wait);
        }
    }

    /** Takes a token now (the balance may go below zero) and returns how long to wait for it, in ns. */
    private synchronized long reserve() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * perNano);
        refilledAt = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
    }
}
