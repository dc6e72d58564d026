package com.runwayrelay.domain;

import java.time.Instant;
import java.util.List;

/**
 * Reads over many tasks for the operator, each through an index, never a table scan: their cost
 * follows the page asked for (list) or the unfinished work (open tasks), not the table's size.
 */
public interface TaskListing {

    /**
     * One page of tasks matching the query, newest first ({@code createdAt}, then id).
     *
     * <p>A page reads at most a bounded number of index entries (a few times its limit); when the
     * state, endpoint or model filters reject many of them, the page is shorter than the limit, or empty,
     * and still carries a cursor while more may follow.
     *
     * @throws InvalidCursorException when the cursor was not issued for this query
     */
    TaskPage list(TaskQuery query);

    /**
     * Unfinished (non-terminal) tasks created before {@code createdBefore}: how many, and the
     * {@code oldest} oldest of them, oldest first.
     *
     * @param oldest 0..100
     */
    OpenTasks openTasks(Instant createdBefore, int oldest);

    /**
     * Unfinished tasks created before a given instant.
     *
     * @param count  how many there are
     * @param oldest the oldest of them, oldest first
     */
    record OpenTasks(long count, List<TaskSummary> oldest) {
        public OpenTasks {
            oldest = List.copyOf(oldest);
        }
    }
}
