package com.runwayrelay.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Helpers shared by the simulator's organization resources (avatars, voices): body checks and cursor pages. */
final class OrgResources {
    static final ObjectMapper JSON = new ObjectMapper();

    private OrgResources() {
    }

    /** A string member; null when absent (an issue when required), an issue when not a non-empty string. */
    static String text(JsonNode body, String field, boolean required, int minLength, List<ApiException.Issue> issues,
                       Object... at) {
        JsonNode value = body == null ? null : body.get(field);
        List<Object> path = path(field, at);
        if (value == null || value.isNull()) {
            if (required) {
                issues.add(new ApiException.Issue("invalid_type", path, "Required"));
            }
            return null;
        }
        if (!value.isTextual()) {
            issues.add(new ApiException.Issue("invalid_type", path, "Expected string"));
            return null;
        }
        if (value.asText().length() < minLength) {
            issues.add(new ApiException.Issue("too_small", path, "String must contain at least " + minLength
                    + " character(s)"));
            return null;
        }
        return value.asText();
    }

    static String oneOf(JsonNode body, String field, boolean required, Set<String> allowed, List<ApiException.Issue> issues,
                        Object... at) {
        String value = text(body, field, required, 1, issues, at);
        if (value != null && !allowed.contains(value)) {
            issues.add(new ApiException.Issue("invalid_enum_value", path(field, at), "Invalid enum value. Received '"
                    + value + "'"));
            return null;
        }
        return value;
    }

    static void unknownKeys(JsonNode body, Set<String> known, List<ApiException.Issue> issues, Object... at) {
        if (body == null) {
            return;
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                issues.add(new ApiException.Issue("unrecognized_keys", List.of(at), "Unrecognized key(s) in object: '"
                        + name + "'"));
            }
        });
    }

    static void failIfAny(List<ApiException.Issue> issues) {
        if (!issues.isEmpty()) {
            throw new ApiException(400, "Validation of body failed", issues, Map.of());
        }
    }

    private static List<Object> path(String field, Object... at) {
        List<Object> path = new ArrayList<>(List.of(at));
        path.add(field);
        return path;
    }
}
