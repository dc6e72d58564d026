package com.runwayrelay.domain;

/**
 * How one Runway create of a task ended, as {@link Attempt#outcome()} records it. Stored (and
 * shown by the status endpoint and the admin API) as the constant's name; the names are the ones
 * tasks have always been written with, so older items read unchanged.
 *
 * <p>The gateway alone writes these names, so the set is closed. A stored name this version does
 * not know (written by a newer version, read after a rollback) reads as {@link #UNKNOWN}: a
 * settled attempt that no rule matches (not in flight, not ambiguous, not a success).
 */
public enum AttemptOutcome {
    /** Sent and not answered on record yet: a Runway task may exist. */
    IN_FLIGHT,
    /** Runway created the task; the attempt's Runway task is being followed. */
    CREATED,
    /** Runway refused the request itself (400). */
    REJECTED,
    /** Nothing was created (Runway unavailable); a later try may work. */
    NOT_CREATED,
    /** The create may or may not have made a Runway task (its answer was lost, or its sender stopped). */
    AMBIGUOUS,
    /** The attempt's Runway task succeeded. */
    SUCCEEDED,
    /** The attempt's Runway task failed. */
    FAILED,
    /** The attempt's Runway task was cancelled (at Runway, or by the gateway after the deadline). */
    CANCELLED,
    /** Runway no longer knows the attempt's task. */
    GONE,
    /** A stored name this version does not know; see the class comment. */
    UNKNOWN;

    /** The outcome stored as {@code name}: {@link #UNKNOWN} for a name not listed here, null for null. */
    public static AttemptOutcome fromStored(String name) {
        if (name == null) {
            return null;
        }
        for (AttemptOutcome outcome : values()) {
            if (outcome.name().equals(name)) {
                return outcome;
            }
        }
        return UNKNOWN;
    }
}
