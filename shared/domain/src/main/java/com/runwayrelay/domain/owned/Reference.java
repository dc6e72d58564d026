package com.runwayrelay.domain.owned;

import java.util.List;
import java.util.Objects;

/**
 * An id inside a request body that names a resource the calling app must own, such as a knowledge
 * document in an avatar's {@code documentIds} or a custom voice in its {@code voice}.
 *
 * @param kind what the id names
 * @param id   Runway's id as the app wrote it
 * @param path where in the body it stands, as {@link com.runwayrelay.domain.Violation} paths are written
 */
public record Reference(ResourceKind kind, String id, List<Object> path) {
    public Reference {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        path = List.copyOf(path);
    }
}
