package com.runwayrelay.domain.owned;

/**
 * What a realtime session counts against its app's budget: Runway reports no price for sessions, so
 * the operator configures credits per started second.
 *
 * @param creditsPerSecond credits per second of session, 0 or more
 */
public record RealtimePricing(long creditsPerSecond) {
    /** Runway's limit on a session's length, in seconds; the reservation of a session that names no maxDuration. */
    public static final int MAX_DURATION_SECONDS = 300;

    public RealtimePricing {
        if (creditsPerSecond < 0) {
            throw new IllegalArgumentException("creditsPerSecond must be >= 0");
        }
    }

    /** The credits of {@code seconds} (started seconds count whole); none for null or negative. */
    public long credits(Double seconds) {
        if (seconds == null || seconds <= 0 || seconds.isNaN()) {
            return 0;
        }
        return (long) Math.ceil(Math.min(seconds, 1e9)) * creditsPerSecond;
    }

    /** What a session of at most {@code maxDurationSeconds} reserves. */
    public long reservation(int maxDurationSeconds) {
        return (long) maxDurationSeconds * creditsPerSecond;
    }
}
