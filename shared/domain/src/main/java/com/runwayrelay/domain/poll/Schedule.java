package com.runwayrelay.domain.poll;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.runway.RunwayGateway.RunwayTask;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * When a task is next due. Never sooner than {@link PollPolicy#minInterval()}; later for tasks
 * that take long (long videos) and for THROTTLED ones; backoff with jitter after errors.
 *
 * <p>One instance serves one poll run and remembers, for that run only, which tasks it saw
 * THROTTLED and when (docs/decisions.md, "Reading THROTTLED tasks"): THROTTLED tasks are read
 * as often as {@link #THROTTLED_SHARE} of the request budget allows for the number of them seen
 * lately (for tasks THROTTLED before the run, while it has not watched long enough to know that
 * number, for the number of active tasks, counted once), and a task that left PENDING or THROTTLED
 * counts its age from the first read that found it past them ({@link Task.RunwaySide#waitedUntil()}
 * across runs). Safe for concurrent use by the run's workers.
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
    /** Counts the active tasks (the due index); asked at most once, and only for an inherited THROTTLED task. */
    private final LongSupplier activeTasks;
    private final ReentrantLock counting = new ReentrantLock();
    /** The active tasks when first needed, empty when they could not be counted; null until then. */
    private volatile OptionalLong activeBound;

    /** Tasks last seen THROTTLED by this run (not seen otherwise since), and when. */
    private final Map<String, Instant> throttled = new ConcurrentHashMap<>();
    /** Tasks that were THROTTLED before this run and that it has seen THROTTLED since. */
    private final Set<String> inherited = ConcurrentHashMap.newKeySet();
    /** Tasks this run saw leave PENDING or THROTTLED, with the first read that found them past it. */
    private final Map<String, Instant> leftWaiting = new ConcurrentHashMap<>();
    /** When this run first asked for a read time; its watch of THROTTLED tasks began then. */
    private volatile Instant firstSeen;
    /** When {@link #throttled} was last cleared of entries older than the window. */
    private volatile Instant pruned;

    /** A schedule that knows no count of the active tasks: tasks THROTTLED before the run wait the longest. */
    Schedule(PollPolicy policy, DoubleSupplier random) {
        this(policy, random, () -> {
            throw new IllegalStateException("no count of the active tasks");
        });
    }

    /**
     * @param activeTasks how many tasks are active (in the due index): at least as many as are THROTTLED.
     *                    Asked at most once, when the first task THROTTLED before this run is read; when it
     *                    throws, those tasks wait the throttled interval as without it
     */
    Schedule(PollPolicy policy, DoubleSupplier random, LongSupplier activeTasks) {
        this.policy = policy;
        this.random = random;
        this.activeTasks = Objects.requireNonNull(activeTasks, "activeTasks");
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
            if (throttled.put(task.id(), now) == null && !leftWaiting.containsKey(task.id())
                    && task.runway().status() == RunwayStatus.THROTTLED) {
                inherited.add(task.id());
            }
            leftWaiting.remove(task.id());
            return now.plus(jittered(throttledInterval(inherited.contains(task.id()), now)));
        }
        inherited.remove(task.id());
        boolean seenThrottled = throttled.remove(task.id()) != null;
        if (seen.status() != RunwayStatus.PENDING && (seenThrottled || waiting(task.runway().status()))) {
            // PENDING or THROTTLED at the last read (this run's or, on record, an earlier run's): it started
            // since, so it has run no longer than from now. Counting from the last waiting read, or from the
            // attempt's start, would take waiting for running time, and a progress of a few percent would
            // then promise minutes left.
            leftWaiting.put(task.id(), now);
        }
        Instant pastWaiting = leftWaiting.get(task.id());
        Instant started = startedAt(task);
        Instant storedWaited = task.runway().waitedUntil();
        if (storedWaited != null && storedWaited.isAfter(started)) {
            // An earlier run saw it leave PENDING or THROTTLED (an older attempt's instant lies before this one's start).
            started = storedWaited;
        }
        if (pastWaiting != null && pastWaiting.isAfter(started)) {
            started = pastWaiting;
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

    /** Whether Runway has not started the task yet: it waits in its queue or for a concurrency slot. */
    static boolean waiting(RunwayStatus status) {
        return status == RunwayStatus.PENDING || status == RunwayStatus.THROTTLED;
    }

    /**
     * For a task this run has read past PENDING or THROTTLED after it was so, the first read that found
     * it past them (see {@link Task.RunwaySide#waitedUntil()}): the instant {@link #nextRead} counts its
     * age from. Null when this run never saw the task THROTTLED, nor found it so on record.
     */
    Instant waitedUntil(String taskId) {
        return leftWaiting.get(taskId);
    }

    /** A task this run saw finished at Runway: it no longer counts among the THROTTLED ones. */
    void finished(String taskId) {
        throttled.remove(taskId);
        leftWaiting.remove(taskId);
        inherited.remove(taskId);
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
     * interval. The count includes the task just read. For a task that was THROTTLED before this
     * run, until the run has watched for a whole window, that count may be too low (the run may
     * not yet have met the others like it), so the number of active tasks stands in for it: every
     * THROTTLED task is one of them. Without that number, such a task gets the full throttled interval.
     */
    private Duration throttledInterval(boolean inherited, Instant now) {
        long count = throttledCount(now);
        if (inherited && Duration.between(firstSeen, now).compareTo(window()) < 0) {
            OptionalLong bound = activeBound();
            if (bound.isEmpty()) {
                return policy.throttledInterval();
            }
            count = Math.max(count, bound.getAsLong());
        }
        double perSecond = THROTTLED_SHARE * policy.requestsPerSecond();
        double millis = Math.ceil(count * 1000.0 / perSecond);
        if (millis >= policy.throttledInterval().toMillis()) {
            return policy.throttledInterval();
        }
        return clamp(Duration.ofMillis((long) millis), policy.minInterval(), policy.throttledInterval());
    }

    /** The active tasks, counted the first time they are needed; empty when the count failed (not asked again). */
    private OptionalLong activeBound() {
        OptionalLong bound = activeBound;
        if (bound != null) {
            return bound;
        }
        counting.lock();
        try {
            if (activeBound == null) {
                OptionalLong counted;
                try {
                    counted = OptionalLong.of(activeTasks.getAsLong());
                } catch (RuntimeException e) {
                    // Reported where it was counted; the tasks keep the safe interval.
                    counted = OptionalLong.empty();
                }
                activeBound = counted;
            }
            return activeBound;
        } finally {
            counting.unlock();
        }
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
            leftWaiting.values().removeIf(seenAt -> seenAt.isBefore(irrelevant));
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
