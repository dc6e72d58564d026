package com.runwayrelay.domain.owned;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An avatar conversation as Runway shows it (one per realtime session, with the session's id): what
 * the gateway reads from it, Runway's object as sent, and its list summary.
 *
 * @param id              Runway's id (the session's)
 * @param status          {@code in_progress}, {@code ended}, {@code failed}, or a status Runway adds later
 * @param createdAt       when Runway created it
 * @param durationSeconds elapsed or final duration, null when it never started
 * @param json            Runway's conversation object as sent (retrieve)
 * @param summaryJson     the conversation as Runway's list shows it
 */
public record RunwayConversation(String id, String status, Instant createdAt, Double durationSeconds, String json,
                                 String summaryJson) {
    private static final Set<String> ENDED = Set.of("ended", "failed");

    public RunwayConversation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(summaryJson, "summaryJson");
    }

    /** Whether the conversation is over, so its duration is final. */
    public boolean ended() {
        return ENDED.contains(status);
    }
}
