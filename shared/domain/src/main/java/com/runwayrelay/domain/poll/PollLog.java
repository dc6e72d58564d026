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

    /**
     * A step on a leased task ended with {@code onRecord} stored as the task's current version: the
     * version the step wrote, or the claim itself when the read of Runway found nothing new. Not
     * called for steps that lost the task to another writer or failed. Does nothing by default
     * (one call per poll is too many for a log); the benchmarks observe the run through it.
     */
    default void stepped(String runId, Task onRecord) {
    }

    /** Both logs, {@code first} then {@code second}, for every event. */
    static PollLog both(PollLog first, PollLog second) {
        return new PollLog() {
            @Override
            public void transition(String runId, Task before, Task after) {
                first.transition(runId, before, after);
                second.transition(runId, before, after);
            }

            @Override
            public void problem(String runId, String taskId, RuntimeException error) {
                first.problem(runId, taskId, error);
                second.problem(runId, taskId, error);
            }

            @Override
            public void stepped(String runId, Task onRecord) {
                first.stepped(runId, onRecord);
                second.stepped(runId, onRecord);
            }
        };
    }

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
