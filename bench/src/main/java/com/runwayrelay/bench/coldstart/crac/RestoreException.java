package com.runwayrelay.bench.coldstart.crac;

/** One or more {@code afterRestore} hooks failed; their exceptions are suppressed in it. */
public final class RestoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public RestoreException() {
        super("an afterRestore hook failed");
    }
}
