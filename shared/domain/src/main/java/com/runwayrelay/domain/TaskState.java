package com.runwayrelay.domain;

/**
 * Where a gateway task stands. Stored as the {@code state} attribute of a task item; the
 * DynamoDB stream filters in {@code template.yaml} name these constants, and a contract test
 * checks that every state a filter names exists here.
 */
public enum TaskState {
    /** Record written; Runway not called yet, or the create is being retried. */
    ACCEPTED(false),
    /** A Runway task exists and is being tracked by the poller. */
    SUBMITTED(false),
    /** Runway succeeded; the outputs wait for the archiver. */
    OUTPUT_READY(false),
    /** Every output is stored in S3. */
    ARCHIVED(true),
    /** Runway failed for good (after allowed retries) or the outputs could not be archived. */
    FAILED(true),
    /** Cancelled by the app. */
    CANCELLED(true),
    /** The app's deadline passed; the Runway task was cancelled. */
    EXPIRED(true);

    private final boolean terminal;

    TaskState(boolean terminal) {
        this.terminal = terminal;
    }

    /** True when no further transition is possible. */
    public boolean isTerminal() {
        return terminal;
    }
}
