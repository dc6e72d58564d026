package com.runwayrelay.domain.media;

import java.util.Optional;

/**
 * The three kinds of media Runway takes in and produces: the kinds a request field accepts and
 * the kind an endpoint outputs, one type for the catalog, the submit checks and the archiver. A
 * {@code data:} URI is accepted only when its top-level media type names one of the field's kinds
 * ({@code data:image/png;base64,...} for an image field).
 */
public enum MediaKind {
    /** {@code image/*}. */
    IMAGE("image"),
    /** {@code video/*}. */
    VIDEO("video"),
    /** {@code audio/*}. */
    AUDIO("audio");

    private final String topLevelType;

    MediaKind(String topLevelType) {
        this.topLevelType = topLevelType;
    }

    /** The top-level media type, lower case: {@code image}, {@code video} or {@code audio}. */
    public String topLevelType() {
        return topLevelType;
    }

    /**
     * The kind whose top-level media type is exactly {@code type}. Matching is case-sensitive
     * because Runway's own patterns ({@code ^data:image/}) are.
     */
    static Optional<MediaKind> ofTopLevelType(String type) {
        for (MediaKind kind : values()) {
            if (kind.topLevelType.equals(type)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
