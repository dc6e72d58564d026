package com.runwayrelay.domain;

import java.time.Instant;

/**
 * Which tasks to list, newest first. Every filter is optional (null) and they combine with AND.
 *
 * @param appId         only this app's tasks
 * @param state         only tasks in this state
 * @param endpoint      only tasks of this endpoint
 * @param model         only tasks of this model
 * @param createdAfter  only tasks created at or after this instant (inclusive)
 * @param createdBefore only tasks created before this instant (exclusive)
 * @param limit         at most this many tasks in the page, {@value #MIN_LIMIT}..{@value #MAX_LIMIT}
 * @param cursor        the {@link TaskPage#nextCursor()} of the previous page of the same query, or null for the first
 */
public record TaskQuery(String appId, TaskState state, String endpoint, String model, Instant createdAfter,
                        Instant createdBefore, int limit, String cursor) {
    public static final int MIN_LIMIT = 1;
    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 50;

    /**
     * @throws IllegalArgumentException when the limit is out of range or {@code createdAfter} is not before
     *                                  {@code createdBefore}; {@link com.runwayrelay.domain.admin.TaskAdministration}
     *                                  reports both as violations before building a query
     */
    public TaskQuery {
        if (limit < MIN_LIMIT || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be " + MIN_LIMIT + ".." + MAX_LIMIT + " (got " + limit + ")");
        }
        if (createdAfter != null && createdBefore != null && !createdAfter.isBefore(createdBefore)) {
            throw new IllegalArgumentException("createdAfter must be before createdBefore");
        }
    }

    /** The first page of every task, {@value #DEFAULT_LIMIT} at a time. */
    public static TaskQuery all() {
        return new TaskQuery(null, null, null, null, null, null, DEFAULT_LIMIT, null);
    }

    /** This query with another cursor (the next page). */
    public TaskQuery withCursor(String next) {
        return new TaskQuery(appId, state, endpoint, model, createdAfter, createdBefore, limit, next);
    }

    /** Whether a task matches every filter (the cursor and limit aside). */
    public boolean matches(TaskSummary t) {
        return (appId == null || appId.equals(t.appId()))
                && (state == null || state == t.state())
                && (endpoint == null || endpoint.equals(t.endpoint()))
                && (model == null || model.equals(t.model()))
                && (createdAfter == null || !t.createdAt().isBefore(createdAfter))
                && (createdBefore == null || t.createdAt().isBefore(createdBefore));
    }
}
