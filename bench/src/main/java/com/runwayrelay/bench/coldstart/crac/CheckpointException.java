package com.runwayrelay.bench.coldstart.crac;

/** One or more {@code beforeCheckpoint} hooks failed; their exceptions are suppressed in it. */
public final class CheckpointException extends Exception {
    private static final long serialVersionUID = 1L;

    public CheckpointException() {
        super("a beforeCheckpoint hook failed");
    }
}
