package com.runwayrelay.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runway's cursor paging of an organization's lists, as {@code {data, hasMore, nextCursor}}: {@code limit}
 * 1–100 (default 50); the cursor is the unpadded URL-safe Base64 of the last item's id on the previous page,
 * and one naming no item of the list is {@code 400 Invalid cursor.}. The lists of avatars, voices, routers,
 * router requests, documents and avatar conversations share it.
 */
final class CursorPages {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int DEFAULT_LIMIT = 50;

    private CursorPages() {
    }

    /** One page of {@code all} (already in the list's order) for the query's {@code limit} and {@code cursor}. */
    static <T> ObjectNode page(List<T> all, Function<T, String> id, Function<T, ObjectNode> render,
                               Map<String, String> query) {
        return page(all, id, render, limit(query), query.get("cursor"));
    }

    /**
     * The query's {@code limit}, {@link #DEFAULT_LIMIT} when absent.
     *
     * @throws ApiException 400 (issue {@code too_big} at {@code limit}) when it is not a whole number 1–100
     */
    static int limit(Map<String, String> query) {
        int limit = parsedLimit(query);
        if (limit < 1) {
            throw new ApiException(400, "Validation of query failed", List.of(limitIssue()), Map.of());
        }
        return limit;
    }

    /** The query's {@code limit}, {@link #DEFAULT_LIMIT} when absent, -1 when it is not a whole number 1–100. */
    static int parsedLimit(Map<String, String> query) {
        if (!query.containsKey("limit")) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(query.get("limit"));
            return limit < 1 || limit > 100 ? -1 : limit;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The issue of a limit outside 1–100. */
    static ApiException.Issue limitIssue() {
        return new ApiException.Issue("too_big", List.of("limit"), "limit must be 1-100.");
    }

    /** One page of {@code all} (already in the list's order) of at most {@code limit} items after {@code cursor}. */
    static <T> ObjectNode page(List<T> all, Function<T, String> id, Function<T, ObjectNode> render, int limit,
                               String cursor) {
        int start = 0;
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
        List<T> items = all.subList(start, Math.min(all.size(), start + limit));
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
}
