package com.runwayrelay.domain.poll;

import com.runwayrelay.domain.webhook.CourseEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a poll run can be tuned by. Build with {@link #builder()}; {@link Builder#build()}
 * rejects inconsistent values naming each one.
 *
 * @param concurrency        tasks worked on at once (virtual threads)
 * @param requestsPerSecond  cap on requests to Runway (reads, creates, cancels), all workers together
 * @param lease              how long a claim holds a task that is not SUBMITTED (an ACCEPTED task being created); a run
 *                           that dies mid-task frees it after this. A SUBMITTED task is held for its poll
 *                           gap (see {@link SubmittedClaims})
 * @param maxAttempts        Runway tasks created for one gateway task, at most (the first included)
 * @param maxCreateTries     creates that reached no Runway task (Runway unavailable) before giving up
 * @param retryableFailures  which Runway failure codes earn a new Runway task
 * @param minInterval        the shortest time between two reads of one task; Runway asks for 5 s
 * @param maxInterval        the longest time between two reads of a running task
 * @param throttledInterval  time between reads of a THROTTLED task (it waits for a free slot)
 * @param retryDelay         first wait before a new create or after Runway was unavailable
 * @param maxBackoff         the longest wait after repeated unavailability
 * @param inFlightGrace      a create recorded IN_FLIGHT longer ago than this was abandoned by a process
 *                           that stopped; younger ones (and ACCEPTED tasks younger than this with no
 *                           attempt) may still be in the hands of the submit function
 * @param webhookRewake      after waking the notifier, when to wake it again if it did not reschedule
 * @param pageSize           due entries read per shard and query, beyond the concurrency
 * @param idlePause          wait before looking again when nothing was due
 * @param progressEventInterval the shortest time between two {@code task.progress} webhooks of one task
 *                           (only tasks that chose that event get any); zero sends one for every change
 *                           the poller sees
 */
public record PollPolicy(
        int concurrency,
        double requestsPerSecond,
        Duration lease,
        int maxAttempts,
        int maxCreateTries,
        FailureCodes retryableFailures,
        Duration minInterval,
        Duration maxInterval,
        Duration throttledInterval,
        Duration retryDelay,
        Duration maxBackoff,
        Duration inFlightGrace,
        Duration webhookRewake,
        int pageSize,
        Duration idlePause,
        Duration progressEventInterval) {

    /** Runway: "do not expect a task to change more often than every 5 seconds". */
    public static final Duration RUNWAY_MIN_INTERVAL = Duration.ofSeconds(5);

    public PollPolicy {
        Objects.requireNonNull(retryableFailures, "retryableFailures");
        List<String> problems = new ArrayList<>();
        if (concurrency < 1) {
            problems.add("concurrency must be at least 1 (got " + concurrency + ")");
        }
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            problems.add("requestsPerSecond must be a positive number (got " + requestsPerSecond + ")");
        }
        if (maxAttempts < 1) {
            problems.add("maxAttempts must be at least 1 (got " + maxAttempts + ")");
        }
        if (maxCreateTries < 1) {
            problems.add("maxCreateTries must be at least 1 (got " + maxCreateTries + ")");
        }
        if (pageSize < 1) {
            problems.add("pageSize must be at least 1 (got " + pageSize + ")");
        }
        positive(problems, "lease", lease);
        positive(problems, "retryDelay", retryDelay);
        positive(problems, "inFlightGrace", inFlightGrace);
        positive(problems, "webhookRewake", webhookRewake);
        positive(problems, "idlePause", idlePause);
        if (progressEventInterval == null || progressEventInterval.isNegative()) {
            problems.add("progressEventInterval must be zero or more (got " + progressEventInterval + ")");
        }
        if (positive(problems, "minInterval", minInterval) && minInterval.compareTo(RUNWAY_MIN_INTERVAL) < 0) {
            problems.add("minInterval must be at least 5 s, as Runway asks (got " + minInterval + ")");
        }
        if (positive(problems, "maxInterval", maxInterval) && minInterval != null
                && maxInterval.compareTo(minInterval) < 0) {
            problems.add("maxInterval must not be shorter than minInterval");
        }
        if (positive(problems, "throttledInterval", throttledInterval) && minInterval != null
                && throttledInterval.compareTo(minInterval) < 0) {
            problems.add("throttledInterval must not be shorter than minInterval");
        }
        if (positive(problems, "maxBackoff", maxBackoff) && retryDelay != null
                && maxBackoff.compareTo(retryDelay) < 0) {
            problems.add("maxBackoff must not be shorter than retryDelay");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid poll policy: " + String.join("; ", problems));
        }
    }

    /** The defaults, open for changes. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static boolean positive(List<String> problems, String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(name + " must be a positive duration (got " + value + ")");
            return false;
        }
        return true;
    }

    /** Assembles a {@link PollPolicy}; starts from the defaults documented on each method. */
    public static final class Builder {
        private int concurrency = 32;
        private double requestsPerSecond = 50;
        private Duration lease = Duration.ofSeconds(60);
        private int maxAttempts = 3;
        private int maxCreateTries = 20;
        private FailureCodes retryableFailures = FailureCodes.of(FailureCodes.DEFAULT);
        private Duration minInterval = RUNWAY_MIN_INTERVAL;
        private Duration maxInterval = Duration.ofSeconds(30);
        private Duration throttledInterval = Duration.ofSeconds(30);
        private Duration retryDelay = Duration.ofSeconds(10);
        private Duration maxBackoff = Duration.ofMinutes(10);
        private Duration inFlightGrace = Duration.ofMinutes(2);
        private Duration webhookRewake = Duration.ofMinutes(15);
        private int pageSize = 100;
        private Duration idlePause = Duration.ofMillis(500);
        private Duration progressEventInterval = CourseEvents.DEFAULT_PROGRESS_INTERVAL;

        private Builder() {
        }

        private Builder(PollPolicy p) {
            concurrency = p.concurrency;
            requestsPerSecond = p.requestsPerSecond;
            lease = p.lease;
            maxAttempts = p.maxAttempts;
            maxCreateTries = p.maxCreateTries;
            retryableFailures = p.retryableFailures;
            minInterval = p.minInterval;
            maxInterval = p.maxInterval;
            throttledInterval = p.throttledInterval;
            retryDelay = p.retryDelay;
            maxBackoff = p.maxBackoff;
            inFlightGrace = p.inFlightGrace;
            webhookRewake = p.webhookRewake;
            pageSize = p.pageSize;
            idlePause = p.idlePause;
            progressEventInterval = p.progressEventInterval;
        }

        /** Default 32. */
        public Builder concurrency(int v) { concurrency = v; return this; }
        /** Default 50. */
        public Builder requestsPerSecond(double v) { requestsPerSecond = v; return this; }
        /** Default 60 s. */
        public Builder lease(Duration v) { lease = v; return this; }
        /** Default 3. */
        public Builder maxAttempts(int v) { maxAttempts = v; return this; }
        /** Default 20. */
        public Builder maxCreateTries(int v) { maxCreateTries = v; return this; }
        /** Default {@link FailureCodes#DEFAULT}. */
        public Builder retryableFailures(FailureCodes v) { retryableFailures = v; return this; }
        /** Default 5 s, also the least allowed. */
        public Builder minInterval(Duration v) { minInterval = v; return this; }
        /** Default 30 s. */
        public Builder maxInterval(Duration v) { maxInterval = v; return this; }
        /** Default 30 s. */
        public Builder throttledInterval(Duration v) { throttledInterval = v; return this; }
        /** Default 10 s. */
        public Builder retryDelay(Duration v) { retryDelay = v; return this; }
        /** Default 10 min. */
        public Builder maxBackoff(Duration v) { maxBackoff = v; return this; }
        /** Default 2 min: longer than any function's timeout for a create. */
        public Builder inFlightGrace(Duration v) { inFlightGrace = v; return this; }
        /** Default 15 min. */
        public Builder webhookRewake(Duration v) { webhookRewake = v; return this; }
        /** Default 100. */
        public Builder pageSize(int v) { pageSize = v; return this; }
        /** Default 500 ms. */
        public Builder idlePause(Duration v) { idlePause = v; return this; }
        /** Default {@link CourseEvents#DEFAULT_PROGRESS_INTERVAL} (30 s). */
        public Builder progressEventInterval(Duration v) { progressEventInterval = v; return this; }

        /** @throws IllegalArgumentException naming every inconsistent value */
        public PollPolicy build() {
            return new PollPolicy(concurrency, requestsPerSecond, lease, maxAttempts, maxCreateTries,
                    retryableFailures, minInterval, maxInterval, throttledInterval, retryDelay, maxBackoff,
                    inFlightGrace, webhookRewake, pageSize, idlePause, progressEventInterval);
        }
    }
}
