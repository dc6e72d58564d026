package com.runwayrelay.simulator;

/** The six statuses of a Runway task, as the wire {@code status} field spells them. */
public enum TaskStatus {
    PENDING, THROTTLED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** True for SUCCEEDED, FAILED and CANCELLED. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
