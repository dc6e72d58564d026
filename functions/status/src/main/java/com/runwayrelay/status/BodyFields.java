package com.runwayrelay.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.media.MediaViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Field checks shared by the avatar and voice bodies: each adds its violations (with the field's path)
 * to a list, so every problem of a body is reported at once, and returns the value or null.
 */
final class BodyFields {
    private BodyFields() {
    }

    /** A string of {@code min}–{@code max} characters, free of unpaired surrogates; null when absent. */
    static String text(JsonNode object, String field, List<Object> at, boolean required, int min, int max,
                       List<Violation> violations) {
        JsonNode value = object.get(field);
        List<Object> path = path(at, field);
        String dotted = Violation.dotted(path);
        if (value == null) {
            if (required) {
                violations.add(new Violation(path, "invalid_type", dotted + " is required (a string)"));
            }
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(path, "invalid_type", dotted + " must be a string, got " + type(value)));
            return null;
        }
        String text = value.textValue();
        if (!wellFormed(text)) {
            violations.add(new Violation(path, "invalid_string", dotted + " has an unpaired surrogate"));
            return null;
        }
        if (text.length() < min || (min > 0 && text.isBlank())) {
            violations.add(new Violation(path, "too_small", dotted + " must be at least " + min + " character"
                    + (min == 1 ? "" : "s") + (min == 1 ? " and not blank" : "") + ", got " + text.length()));
            return null;
        }
        if (text.length() > max) {
            violations.add(new Violation(path, "too_big", dotted + " must be at most " + max + " characters, got "
                    + text.length()));
            return null;
        }
        return text;
    }

    /** One of {@code allowed}; null when absent. */
    static String oneOf(JsonNode object, String field, List<Object> at, boolean required, Set<String> allowed,
                        List<Violation> violations) {
        String value = text(object, field, at, required, 1, 200, violations);
        if (value != null && !allowed.contains(value)) {
            List<Object> path = path(at, field);
            violations.add(new Violation(path, "invalid_enum_value", Violation.dotted(path) + " must be one of "
                    + String.join(", ", new java.util.TreeSet<>(allowed)) + ", got '" + StrictJsonBody.abbreviate(value) + "'"));
            return null;
        }
        return value;
    }

    /** An object member; null (with a violation when required) when absent or not an object. */
    static ObjectNode object(JsonNode object, String field, List<Object> at, boolean required, List<Violation> violations) {
        JsonNode value = object.get(field);
        List<Object> path = path(at, field);
        if (value == null) {
            if (required) {
                violations.add(new Violation(path, "invalid_type", Violation.dotted(path) + " is required (an object)"));
            }
            return null;
        }
        if (!(value instanceof ObjectNode o)) {
            violations.add(new Violation(path, "invalid_type", Violation.dotted(path) + " must be an object, got "
                    + type(value)));
            return null;
        }
        return o;
    }

    /** Members of {@code object} other than {@code allowed}, as one violation at {@code at}. */
    static void onlyMembers(JsonNode object, List<Object> at, Set<String> allowed, List<Violation> violations) {
        List<String> unknown = new ArrayList<>();
        object.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                unknown.add("'" + StrictJsonBody.abbreviate(name) + "'");
            }
        });
        if (!unknown.isEmpty()) {
            violations.add(new Violation(at, "unrecognized_keys", (at.isEmpty() ? "" : Violation.dotted(at) + ": ")
                    + "Unrecognized key(s) in object: " + String.join(", ", unknown)));
        }
    }

    /** A media URI that must pass the gateway's media-URI policy for {@code kind}; null when absent or refused. */
    static String media(JsonNode object, String field, List<Object> at, boolean required, MediaKind kind,
                        MediaUriPolicy policy, List<Violation> violations) {
        String uri = text(object, field, at, required, 1, Integer.MAX_VALUE, violations);
        if (uri == null) {
            return null;
        }
        List<Object> path = path(at, field);
        List<MediaViolation> refused = policy.check(uri, Set.of(kind));
        for (MediaViolation v : refused) {
            violations.add(new Violation(path, v.code(), Violation.dotted(path) + ": " + v.message()));
        }
        return refused.isEmpty() ? uri : null;
    }

    static List<Object> path(List<Object> at, Object segment) {
        List<Object> path = new ArrayList<>(at);
        path.add(segment);
        return path;
    }

    static String type(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
