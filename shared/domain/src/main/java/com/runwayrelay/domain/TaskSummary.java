package com.runwayrelay.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * What a list of tasks shows of each: the attributes the list indexes carry, so a page is read
 * from an index alone.
 *
 * @param id               the task
 * @param appId            its app
 * @param endpoint         the Runway endpoint
 * @param model            the model, or null
 * @param state            the gateway state
 * @param runwayStatus     the last Runway status seen, or null
 * @param createdAt        when the app submitted it
 * @param updatedAt        its last write, or null: list pages leave it out (it changes on every poll, and
 *                         keeping it in the indexes would make every poll write them too); {@link #of(Task)}
 *                         fills it
 * @param estimatedCredits credits reserved at admission
 * @param actualCredits    credits charged, or null
 * @param failureCode      the machine failure code, or null
 * @param stateReason      why it is in its state when that is not obvious (e.g. deleted by its app), or null
 */
public record TaskSummary(String id, String appId, String endpoint, String model, TaskState state, RunwayStatus runwayStatus,
                          Instant createdAt, Instant updatedAt, long estimatedCredits, Long actualCredits,
                          String failureCode, String stateReason) {
    public TaskSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The summary as the list indexes hold it: {@link #of(Task)} without {@code updatedAt}. */
    public static TaskSummary indexed(Task t) {
        return new TaskSummary(t.id(), t.appId(), t.request().endpoint(), t.request().model(), t.state(), t.runway().status(), t.createdAt(),
                null, t.request().estimatedCredits(), t.runway().actualCredits(), t.failureCode(), t.stateReason());
    }

    /** The summary of a whole task (with its {@code updatedAt}). */
    public static TaskSummary of(Task t) {
        return new TaskSummary(t.id(), t.appId(), t.request().endpoint(), t.request().model(), t.state(), t.runway().status(), t.createdAt(),
                t.updatedAt(), t.request().estimatedCredits(), t.runway().actualCredits(), t.failureCode(), t.stateReason());
    }
}
