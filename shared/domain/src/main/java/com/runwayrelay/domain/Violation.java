package com.runwayrelay.domain;

import java.util.List;
import java.util.Objects;

/**
 * One reason a request is invalid.
 *
 * @param path    where in the request body, as JSON path segments ({@code ["promptImage", 0, "uri"]});
 *                empty for the body as a whole. Segments are {@link String} or {@link Integer}.
 * @param code    a stable machine-readable code such as {@code too_big} or {@code invalid_enum_value}
 * @param message a sentence a developer can act on
 */
public record Violation(List<Object> path, String code, String message) {
    public Violation {
        path = List.copyOf(path);
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** The path in dotted form, {@code promptImage[0].uri}, or the empty string for the body. */
    public String dottedPath() {
        return dotted(path);
    }

    /** A path in dotted form, {@code promptImage[0].uri}; the empty string for an empty path. */
    public static String dotted(List<Object> path) {
        StringBuilder out = new StringBuilder();
        for (Object segment : path) {
            if (segment instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(segment);
            }
        }
        return out.toString();
    }
}
