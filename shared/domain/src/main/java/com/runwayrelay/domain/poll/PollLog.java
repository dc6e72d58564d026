package com.runwayrelay.domain.poll;

import com.runwayrelay.domain.Task;

/**
 * Where a run reports what it did, one call per event. Implementations must be thread-safe
 * (workers call concurrently) and must not log request bodies, metadata or outputs: only ids,
 * states, statuses and codes.
 */
public interface PollLog {

    /**
     * A task changed state, or its Runway status changed (e.g. PENDING → THROTTLED).
     *
     * @param runId  the run that wrote {@code after}
     * @param before the version the run read
     * @param after  the version it wrote
     */
    void transition(String runId, Task before, Task after);

    /**
     * Something unexpected stopped the work on one task; its lease lapses and a later run retries.
     *
     * @param runId  the run
     * @param taskId the task
     * @param error  what went wrong
     */
    void problem(String runId, String taskId, RuntimeException error);

    /** A log that drops everything. */
    static PollLog silent() {
        return new PollLog() {
            @Override
            public void transition(String runId, Task before, Task after) {
            }

            @Override
            public void problem(String runId, String taskId, RuntimeException error) {
            }
        };
    }
}
