package com.runwayrelay.domain;

import java.util.List;

/**
 * One page of a task list, newest first.
 *
 * @param tasks      at most the query's limit; may be shorter (even empty) when more follow, since a
 *                   page stops after a bounded number of index reads (see {@link TaskListing#list})
 * @param nextCursor pass it back (with the same filters) for the next page; null on the last page
 */
public record TaskPage(List<TaskSummary> tasks, String nextCursor) {
    public TaskPage {
        tasks = List.copyOf(tasks);
    }
}
