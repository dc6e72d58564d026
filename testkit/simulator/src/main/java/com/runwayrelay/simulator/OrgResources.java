package com.runwayrelay.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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

    /**
     * One page of {@code all} (already in the list's order) as {@code {data, hasMore, nextCursor}}: query
     * {@code limit} 1–100 (default 50) and {@code cursor} (the id of the last item of the previous page).
     */
    static <T> ObjectNode page(List<T> all, Function<T, String> id, Function<T, ObjectNode> render, Map<String, String> query) {
        int limit = 50;
        if (query.containsKey("limit")) {
            try {
                limit = Integer.parseInt(query.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 100) {
                throw new ApiException(400, "Validation of query failed",
                        List.of(new ApiException.Issue("too_big", List.of("limit"), "limit must be 1-100.")), Map.of());
            }
        }
        int start = 0;
        String cursor = query.get("cursor");
        if (cursor != null) {
            String after;
            try {
                after = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "Invalid cursor.");
            }
            start = -1;
            for (int i = 0; i < all.size(); i++) {
                if (id.apply(all.get(i)).equals(after)) {
                    start = i + 1;
                }
            }
            if (start < 0) {
                throw new ApiException(400, "Invalid cursor.");
            }
        }
        List<T> items = new ArrayList<>(all.subList(start, Math.min(all.size(), start + limit)));
        boolean more = start + limit < all.size();
        ObjectNode out = JSON.createObjectNode();
        ArrayNode data = out.putArray("data");
        items.forEach(item -> data.add(render.apply(item)));
        out.put("hasMore", more);
        if (more) {
            out.put("nextCursor", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(id.apply(items.getLast()).getBytes(StandardCharsets.UTF_8)));
        } else {
            out.putNull("nextCursor");
        }
        return out;
    }

    private static List<Object> path(String field, Object... at) {
        List<Object> path = new ArrayList<>(List.of(at));
        path.add(field);
        return path;
    }
}
