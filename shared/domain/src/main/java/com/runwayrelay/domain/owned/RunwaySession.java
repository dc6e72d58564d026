package com.runwayrelay.domain.owned;

import java.util.Objects;

/**
 * A realtime session as Runway shows it: what the gateway reads from it, and Runway's object as sent,
 * which the app receives unchanged (it carries the {@code sessionKey} the app connects with).
 *
 * @param id              Runway's id, also the id of the session's avatar conversation
 * @param status          its status
 * @param durationSeconds the session's duration, given by Runway on {@code COMPLETED} only; else null
 * @param json            Runway's session object as sent
 */
public record RunwaySession(String id, SessionStatus status, Double durationSeconds, String json) {
    public RunwaySession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(json, "json");
    }

    /** Whether the session is over: nothing more can run on it, so its cost is final. */
    public boolean ended() {
        return status.ended();
    }
}
