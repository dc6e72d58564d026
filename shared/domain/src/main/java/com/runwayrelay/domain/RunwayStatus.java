package com.runwayrelay.domain;

import java.util.Objects;

/**
 * The status of a Runway task, as Runway reports it and as a task stores the last one seen.
 *
 * <p>Runway owns this vocabulary and may add to it, so it is open: the six statuses this code
 * knows are {@link Known} constants, and any other text is kept whole as {@link Unknown} (never
 * a crash, never lost: it is stored and shown as received). An unknown status means "not
 * finished": the poller keeps reading the task. The wire and stored form of every status is
 * {@link #wire()}, the exact text Runway sent.
 */
public sealed interface RunwayStatus permits RunwayStatus.Known, RunwayStatus.Unknown {

    /** The text Runway sends and the task item stores, e.g. {@code RUNNING}. */
    String wire();

    /** SUCCEEDED, FAILED or CANCELLED: the Runway task will not change any more. */
    boolean terminal();

    /** Queued at Runway. */
    Known PENDING = Known.PENDING;
    /** Held back by Runway's concurrency limit; normal, not an error. */
    Known THROTTLED = Known.THROTTLED;
    /** Running; progress may be reported. */
    Known RUNNING = Known.RUNNING;
    /** Finished with outputs. */
    Known SUCCEEDED = Known.SUCCEEDED;
    /** Finished without outputs. */
    Known FAILED = Known.FAILED;
    /** Cancelled before it finished. */
    Known CANCELLED = Known.CANCELLED;

    /**
     * The status whose wire form is {@code wire}: a {@link Known} constant, else an {@link Unknown}
     * keeping the text; null for null (a task that has not reached Runway).
     */
    static RunwayStatus fromWire(String wire) {
        if (wire == null) {
            return null;
        }
        for (Known known : Known.values()) {
            if (known.name().equals(wire)) {
                return known;
            }
        }
        return new Unknown(wire);
    }

    /** The wire form of {@code status}, or null for null. */
    static String wireOf(RunwayStatus status) {
        return status == null ? null : status.wire();
    }

    /** The statuses this code knows; each constant's name is its wire form. */
    enum Known implements RunwayStatus {
        PENDING, THROTTLED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

        @Override
        public String wire() {
            return name();
        }

        @Override
        public boolean terminal() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }

        /** PENDING, THROTTLED or RUNNING. */
        public boolean active() {
            return !terminal();
        }
    }

    /**
     * A status Runway added that this code does not know: not terminal, kept as received.
     *
     * @param wire the text exactly as Runway sent it
     */
    record Unknown(String wire) implements RunwayStatus {
        public Unknown {
            Objects.requireNonNull(wire, "wire");
            for (Known known : Known.values()) {
                if (known.name().equals(wire)) {
                    throw new IllegalArgumentException(wire + " is a known status; use RunwayStatus.fromWire");
                }
            }
        }

        @Override
        public boolean terminal() {
            return false;
        }

        /** The wire text, like a {@link Known} constant's {@code toString}. */
        @Override
        public String toString() {
            return wire;
        }
    }
}
