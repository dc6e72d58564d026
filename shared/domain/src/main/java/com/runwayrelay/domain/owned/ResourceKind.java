package com.runwayrelay.domain.owned;

import java.util.Arrays;
import java.util.Optional;

/** A kind of Runway resource owned by one app; its wire name is Runway's path segment. */
public enum ResourceKind {
    /** Knowledge documents, {@code /v1/documents}. */
    DOCUMENTS("documents"),
    /** Custom conversational avatars, {@code /v1/avatars}. */
    AVATARS("avatars"),
    /** Custom voices, {@code /v1/voices}. */
    VOICES("voices"),
    /** Realtime avatar sessions, {@code /v1/realtime_sessions}; their records carry the session's {@link Ownership.Charge}. */
    REALTIME_SESSIONS("realtime_sessions"),
    /** Avatar conversations, {@code /v1/avatar_conversations}: one per realtime session, with the session's id. */
    AVATAR_CONVERSATIONS("avatar_conversations");

    private final String wireName;

    ResourceKind(String wireName) {
        this.wireName = wireName;
    }

    /** Runway's path segment, e.g. {@code documents}; also the kind's name in stored keys. */
    public String wireName() {
        return wireName;
    }

    /** The kind with this wire name, if the gateway tracks it. */
    public static Optional<ResourceKind> byWireName(String wireName) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(wireName)).findFirst();
    }
}
