package com.runwayrelay.domain.owned;

/** A kind of Runway resource owned by one app; its wire name is Runway's path segment. */
public enum ResourceKind {
    /** Knowledge documents, {@code /v1/documents}. */
    DOCUMENTS("documents"),
    /** Custom conversational avatars, {@code /v1/avatars}. */
    AVATARS("avatars"),
    /** Custom voices, {@code /v1/voices}. */
    VOICES("voices");

    private final String wireName;

    ResourceKind(String wireName) {
        this.wireName = wireName;
    }

    /** Runway's path segment, e.g. {@code documents}; also the kind's name in stored keys. */
    public String wireName() {
        return wireName;
    }
}
