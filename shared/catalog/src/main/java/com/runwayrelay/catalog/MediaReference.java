package com.runwayrelay.catalog;

import com.runwayrelay.domain.media.MediaKind;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One media URI found in a request body.
 *
 * @param path  where the URI sits, as JSON path segments ({@link String} keys, {@link Integer}
 *              indexes), the same convention as {@link com.runwayrelay.domain.Violation#path()}
 * @param kinds the kinds of media the field accepts; one kind for most fields, narrowed by the
 *              sibling {@code type} where the field allows several (act_two {@code character.uri})
 * @param uri   the URI string exactly as given ({@code https://}, {@code runway://} or {@code data:})
 */
public record MediaReference(List<Object> path, Set<MediaKind> kinds, String uri) {
    public MediaReference {
        path = List.copyOf(path);
        kinds = Set.copyOf(kinds);
        Objects.requireNonNull(uri, "uri");
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a media reference accepts at least one kind");
        }
    }
}
