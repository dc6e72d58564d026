package com.runwayrelay.domain.poll;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.runway.RunwayGateway.RunwayTask;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * When a task is next due. Never sooner than {@link PollPolicy#minInterval()}; later for tasks
 * that take long (long videos) and for THROTTLED ones; backoff with jitter after errors.
 *
 * <p>One instance serves one poll run and remembers, for that run only, which tasks it saw
 * THROTTLED and when (docs/decisions.md, "Reading THROTTLED tasks"): THROTTLED tasks are read
 * as often as {@link #THROTTLED_SHARE} of the request budget allows for the number of them seen
 * lately, and a task that left THROTTLED counts its age from when it was last seen THROTTLED.
 * Safe for concurrent use by the run's workers.
 */
final class Schedule {
    /** THROTTLED reads may take up to this share of {@link PollPolicy#requestsPerSecond()}. */
    static final double THROTTLED_SHARE = 0.5;
    /** How often tasks no longer seen THROTTLED lately are dropped from the count. */
    private static final Duration PRUNE_EVERY = Duration.ofSeconds(1);
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

    /** Tasks last seen THROTTLED by this run (not seen otherwise since), and when. */
    private final Map<String, Instant> throttled = new ConcurrentHashMap<>();
    /** Tasks this run saw THROTTLED and later not, with when they were last seen THROTTLED. */
    private final Map<String, Instant> leftThrottled = new ConcurrentHashMap<>();
    /** When this run first asked for a read time; its watch of THROTTLED tasks began then. */
    private volatile Instant firstSeen;
    /** When {@link #throttled} was last cleared of entries older than the window. */
    private volatile Instant pruned;

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
        if (firstSeen == null) {
            firstSeen = now;
        }
        if (seen.status() == RunwayStatus.THROTTLED) {
            boolean inherited = throttled.put(task.id(), now) == null && !leftThrottled.containsKey(task.id())
                    && task.runway().status() == RunwayStatus.THROTTLED;
            leftThrottled.remove(task.id());
            return now.plus(jittered(throttledInterval(inherited, now)));
        }
        Instant lastThrottled = throttled.remove(task.id());
        if (lastThrottled != null) {
            leftThrottled.put(task.id(), lastThrottled);
        } else {
            lastThrottled = leftThrottled.get(task.id());
        }
        if (lastThrottled == null && task.runway().status() == RunwayStatus.THROTTLED) {
            // THROTTLED when an earlier run last read it: it started since, so it is young; count from now.
            lastThrottled = now;
            leftThrottled.put(task.id(), now);
        }
        Instant started = startedAt(task);
        if (lastThrottled != null && lastThrottled.isAfter(started)) {
            started = lastThrottled;
        }
        Duration age = Duration.between(started, now);
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

    /** A task this run saw finished at Runway: it no longer counts among the THROTTLED ones. */
    void finished(String taskId) {
        throttled.remove(taskId);
        leftThrottled.remove(taskId);
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

    /**
     * The time between reads of a THROTTLED task: enough that all the THROTTLED tasks this run saw
     * within the last window ({@link PollPolicy#throttledInterval()} and its jitter) are read with
     * {@link #THROTTLED_SHARE} of the request budget, between the minimum and the throttled
     * interval. The count includes the task just read. A task that was THROTTLED before this run
     * gets the full throttled interval until the run has watched for a whole window: the run may
     * not yet have seen the others like it, and would count too few.
     */
    private Duration throttledInterval(boolean inherited, Instant now) {
        if (inherited && Duration.between(firstSeen, now).compareTo(window()) < 0) {
            return policy.throttledInterval();
        }
        double perSecond = THROTTLED_SHARE * policy.requestsPerSecond();
        long millis = (long) Math.ceil(throttledCount(now) * 1000 / perSecond);
        return clamp(Duration.ofMillis(millis), policy.minInterval(), policy.throttledInterval());
    }

    /** The throttled interval and its most jitter: every THROTTLED task is read within this. */
    private Duration window() {
        Duration interval = policy.throttledInterval();
        return interval.plusMillis((long) (interval.toMillis() * JITTER));
    }

    /** THROTTLED tasks seen within the window; those seen earlier are dropped at most once a second. */
    private int throttledCount(Instant now) {
        Instant last = pruned;
        if (last == null || now.isBefore(last) || Duration.between(last, now).compareTo(PRUNE_EVERY) >= 0) {
            pruned = now;
            Instant since = now.minus(window());
            throttled.values().removeIf(seenAt -> seenAt.isBefore(since));
            // Past this age the interval of a running task is the longest anyway.
            Instant irrelevant = now.minus(policy.maxInterval().multipliedBy(AGE_DIVISOR));
            leftThrottled.values().removeIf(seenAt -> seenAt.isBefore(irrelevant));
        }
        return Math.max(1, throttled.size());
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
