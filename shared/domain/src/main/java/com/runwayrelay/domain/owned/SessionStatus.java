package com.runwayrelay.domain.owned;

import java.util.Arrays;

/** A realtime session's status as Runway names it; a status Runway adds later is {@link #UNKNOWN}, not an error. */
public enum SessionStatus {
    /** Being provisioned (or queued for capacity). */
    NOT_READY,
    /** Ready to connect; Runway shows the {@code sessionKey}. */
    READY,
    /** Connected and running. */
    RUNNING,
    /** Ended normally; Runway shows its {@code duration}. */
    COMPLETED,
    /** Ended by an error. */
    FAILED,
    /** Cancelled. */
    CANCELLED,
    /** A status this gateway does not know yet: treated as not ended. */
    UNKNOWN;

    /** The status with Runway's name {@code wire}, or {@link #UNKNOWN}. */
    public static SessionStatus of(String wire) {
        return Arrays.stream(values()).filter(s -> s != UNKNOWN && s.name().equals(wire)).findFirst().orElse(UNKNOWN);
    }

    /** Whether nothing more can run on the session, so its cost is final. */
    public boolean ended() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
