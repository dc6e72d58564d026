package com.runwayrelay.domain.admin;

import com.runwayrelay.domain.TaskListing;
import com.runwayrelay.domain.TaskListing.OpenTasks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The operator's health view: unfinished tasks older than a threshold ("stuck") and the depth of
 * the queues holding work the gateway gave up on. Reads the open-task index (cost follows the
 * number of unfinished tasks, never the table) and two queue attributes.
 */
public final class HealthReport {
    /** Default threshold. */
    public static final Duration DEFAULT_STUCK_AFTER = Duration.ofMinutes(60);
    /** How many of the oldest stuck tasks are shown by default. */
    public static final int DEFAULT_OLDEST = 10;
    /** The most stuck tasks one report shows. */
    public static final int MAX_OLDEST = 100;

    private final TaskListing listing;
    private final QueueDepths queues;
    private final Clock clock;

    public HealthReport(TaskListing listing, QueueDepths queues, Clock clock) {
        this.listing = Objects.requireNonNull(listing, "listing");
        this.queues = Objects.requireNonNull(queues, "queues");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The report now.
     *
     * @param stuckAfter a task not terminal and created longer ago than this is stuck; positive
     * @param oldest     how many of the oldest stuck tasks to show, 0..{@value #MAX_OLDEST}
     * @throws IllegalArgumentException when either is out of range
     */
    public Health report(Duration stuckAfter, int oldest) {
        if (stuckAfter == null || stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException("stuckAfter must be positive");
        }
        if (oldest < 0 || oldest > MAX_OLDEST) {
            throw new IllegalArgumentException("oldest must be 0.." + MAX_OLDEST);
        }
        Instant now = clock.instant();
        OpenTasks stuck = listing.openTasks(now.minus(stuckAfter), oldest);
        return new Health(now, stuckAfter, stuck, queues.pollerDeadLetters(), queues.streamFailures());
    }

    /**
     * The health of the gateway at one instant.
     *
     * @param asOf              when it was read
     * @param stuckAfter        the threshold used
     * @param stuck             unfinished tasks created before {@code asOf - stuckAfter}: count and oldest
     * @param pollerDeadLetters the poller's dead-letter queue
     * @param streamFailures    the stream-failure queue
     */
    public record Health(Instant asOf, Duration stuckAfter, OpenTasks stuck, QueueDepths.Depth pollerDeadLetters,
                         QueueDepths.Depth streamFailures) {
    }
}
