package com.runwayrelay.catalog;

import com.networknt.schema.JsonNodePath;
import com.runwayrelay.domain.Violation;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the validator library's instance locations and our path convention. */
final class InstancePath {
    private InstancePath() {}

    /** {@code /promptImage/0/uri} as {@code ["promptImage", 0, "uri"]}. */
    static List<Object> segments(JsonNodePath path) {
        List<Object> out = new ArrayList<>(path.getNameCount());
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            out.add(element instanceof Integer index ? index : String.valueOf(element));
        }
        return out;
    }

    static List<Object> append(List<Object> path, Object segment) {
        List<Object> out = new ArrayList<>(path.size() + 1);
        out.addAll(path);
        out.add(segment);
        return out;
    }

    /** The path in {@code promptImage[0].uri} form; {@code body} for the request body itself. */
    static String dotted(List<Object> path) {
        return path.isEmpty() ? "body" : Violation.dotted(path);
    }
}
