package com.runwayrelay.simulator;

/**
 * Per-model limits of the simulated organization's tier, as {@code GET /v1/organization} reports them.
 *
 * @param maxConcurrentGenerations tasks of the model that may be PENDING or RUNNING at once; further
 *                                 tasks are THROTTLED. Null means no limit.
 * @param maxDailyGenerations      tasks of the model that may be created in a rolling 24 hours; the next
 *                                 create gets 429. Null means no limit.
 */
public record ModelLimits(Integer maxConcurrentGenerations, Integer maxDailyGenerations) {

    /** No limit on anything. */
    public static final ModelLimits UNLIMITED = new ModelLimits(null, null);

    public ModelLimits {
        if (maxConcurrentGenerations != null && maxConcurrentGenerations < 1) {
            throw new IllegalArgumentException("maxConcurrentGenerations must be at least 1 or null, was " + maxConcurrentGenerations);
        }
        if (maxDailyGenerations != null && maxDailyGenerations < 0) {
            throw new IllegalArgumentException("maxDailyGenerations must be at least 0 or null, was " + maxDailyGenerations);
        }
    }
}
