package com.runwayrelay.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One state a task went through, kept in {@link Task#history()}.
 *
 * @param state  the state entered
 * @param at     when it was entered (the {@code updatedAt} of the version that entered it)
 * @param reason why, when the task says so ({@link Task#stateReason()}, else {@link Task#failureCode()}), or null
 */
public record StateChange(TaskState state, Instant at, String reason) {
    public StateChange {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }
}
