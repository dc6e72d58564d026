package com.runwayrelay.domain.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a webhook again after a failed attempt. Attempt 1 is sent at once; each later
 * attempt waits its delay after the previous one, spread by a random jitter so that many
 * deliveries failing together (a receiver outage) do not all come back at the same moment.
 * Immutable and thread-safe.
 */
public final class RetrySchedule {
    /**
     * The standard delays: after a failed first attempt, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
     * 24 h: eight attempts over about 41.6 hours.
     */
    public static final List<Duration> STANDARD_DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(24));
    /** The standard jitter: each delay is stretched or shrunk by up to 20 %. */
    public static final double STANDARD_JITTER = 0.2;
    /** The longest wait a receiver's {@code Retry-After} can impose. */
    static final Duration RETRY_AFTER_CAP = Duration.ofHours(24);

    private final List<Duration> delays;
    private final double jitter;

    /**
     * A schedule.
     *
     * @param delays the wait before attempts 2, 3, ...; each positive
     * @param jitter the fraction each delay may vary by, in {@code [0, 1)}
     */
    public RetrySchedule(List<Duration> delays, double jitter) {
        this.delays = List.copyOf(Objects.requireNonNull(delays, "delays"));
        if (this.delays.stream().anyMatch(d -> d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("retry delays must be positive");
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
        this.jitter = jitter;
    }

    /** {@link #STANDARD_DELAYS} with {@link #STANDARD_JITTER}. */
    public static RetrySchedule standard() {
        return new RetrySchedule(STANDARD_DELAYS, STANDARD_JITTER);
    }

    /** The most attempts a delivery gets, the first included. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    /**
     * How long to wait before the next attempt.
     *
     * @param attemptsMade attempts made so far, all failed (at least 1)
     * @param retryAfter   the receiver's {@code Retry-After}, or null; honoured when longer than the
     *                     scheduled delay, up to 24 hours
     * @param random       the jitter source
     * @return the wait, or empty when the schedule is exhausted
     */
    public Optional<Duration> delayAfter(int attemptsMade, Duration retryAfter, RandomGenerator random) {
        if (attemptsMade < 1) {
            throw new IllegalArgumentException("attemptsMade must be >= 1");
        }
        if (attemptsMade > delays.size()) {
            return Optional.empty();
        }
        Duration base = delays.get(attemptsMade - 1);
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        Duration jittered = Duration.ofMillis(Math.max(1, Math.round(base.toMillis() * factor)));
        if (retryAfter != null && retryAfter.compareTo(jittered) > 0) {
            return Optional.of(retryAfter.compareTo(RETRY_AFTER_CAP) > 0 ? RETRY_AFTER_CAP : retryAfter);
        }
        return Optional.of(jittered);
    }
}
