package com.runwayrelay.domain.poll;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.runway.RunwayGateway.RunwayTask;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When a task is next due. Never sooner than {@link PollPolicy#minInterval()}; later for tasks
 * that take long (long videos) and for THROTTLED ones; backoff with jitter after errors.
 */
final class Schedule {
    /** Without progress, the interval is this fraction of the time the Runway task has existed. */
    private static final int AGE_DIVISOR = 12;
    /** With progress, the interval is this fraction of the estimated time left. */
    private static final int REMAINING_DIVISOR = 3;
    /** Below this progress the estimate of the time left is too noisy to use. */
    private static final double MIN_USABLE_PROGRESS = 0.05;
    /** Up to this share is added at random, so tasks created together do not stay in step. */
    private static final double JITTER = 0.2;

    private final PollPolicy policy;
    private final DoubleSupplier random;

    Schedule(PollPolicy policy, DoubleSupplier random) {
        this.policy = policy;
        this.random = random;
    }

    /**
     * The next read of a Runway task that has not finished. A task that has existed for a while
     * is read less often (a ten-second image is read every 5 s, a six-minute video every 30 s);
     * progress, when Runway reports it, refines the estimate of the time left.
     */
    Instant nextRead(Task task, RunwayTask seen, Instant now) {
        if (seen.status() == RunwayStatus.THROTTLED) {
            return now.plus(jittered(policy.throttledInterval()));
        }
        Duration age = Duration.between(startedAt(task), now);
        if (age.isNegative()) {
            age = Duration.ZERO;
        }
        Duration interval = age.dividedBy(AGE_DIVISOR);
        Double progress = seen.progress();
        if (seen.status() == RunwayStatus.RUNNING && progress != null && progress >= MIN_USABLE_PROGRESS && progress < 1) {
            double remainingMillis = age.toMillis() * (1 - progress) / progress;
            interval = Duration.ofMillis((long) (remainingMillis / REMAINING_DIVISOR));
        }
        return now.plus(jittered(clamp(interval, policy.minInterval(), policy.maxInterval())));
    }

    /**
     * The wait after Runway could not be asked: "decorrelated jitter", a random value between the
     * base delay and three times the previous wait (or the base delay), capped; never shorter than what Runway asked
     * for, nor than the minimum interval.
     *
     * @param previous the wait before this failure when it followed a failure too, else null
     * @param asked    Runway's retry-after, or null
     */
    Duration backoff(Duration previous, Duration asked) {
        long base = policy.retryDelay().toMillis();
        long upper = Math.max(base, (previous == null ? base : previous.toMillis()) * 3);
        long chosen = base + (long) (random.getAsDouble() * (upper - base));
        Duration wait = Duration.ofMillis(Math.min(chosen, policy.maxBackoff().toMillis()));
        if (asked != null && asked.compareTo(wait) > 0) {
            wait = asked;
        }
        return wait.compareTo(policy.minInterval()) < 0 ? policy.minInterval() : wait;
    }

    /** A duration stretched by up to {@link #JITTER}, never shortened. */
    private Duration jittered(Duration interval) {
        return interval.plusMillis((long) (interval.toMillis() * JITTER * random.getAsDouble()));
    }

    private static Instant startedAt(Task task) {
        Attempt last = task.lastAttempt();
        return last != null && last.startedAt() != null ? last.startedAt() : task.createdAt();
    }

    private static Duration clamp(Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }
}
