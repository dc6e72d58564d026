package com.runwayrelay.domain.owned;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A knowledge document as Runway shows it.
 *
 * @param id        Runway's id
 * @param name      its name
 * @param type      {@code text} or {@code file}
 * @param content   its full content
 * @param createdAt when Runway created it
 * @param updatedAt when Runway last changed it
 * @param usedBy    the avatars that use it
 */
public record RunwayDocument(String id, String name, String type, String content, Instant createdAt,
                             Instant updatedAt, List<UsedBy> usedBy) {
    public RunwayDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        usedBy = List.copyOf(usedBy);
    }

    /** An avatar using a document; {@code imageUrl} is null until Runway has processed the avatar. */
    public record UsedBy(String id, String imageUrl, String name) {
        public UsedBy {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }
}
