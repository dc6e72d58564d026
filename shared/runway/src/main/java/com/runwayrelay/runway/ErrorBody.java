package com.runwayrelay.runway;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.runway.RunwayException.Issue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runway's error body {@code {error, issues[{code, path, message}], docUrl}}, read leniently:
 * a non-JSON body (a proxy's HTML page, S3's XML) becomes a short text excerpt in {@code error}.
 *
 * @param error {@code null} when the body was empty
 * @param docUrl {@code null} when absent
 */
record ErrorBody(String error, List<Issue> issues, String docUrl) {

    private static final int MAX_EXCERPT = 300;

    static ErrorBody parse(byte[] body) {
        if (body.length == 0) {
            return new ErrorBody(null, List.of(), null);
        }
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            if (root != null && root.isObject()) {
                return new ErrorBody(text(root.get("error")), issues(root.get("issues")), text(root.get("docUrl")));
            }
        } catch (IOException notJson) {
            // fall through: keep an excerpt of whatever the server sent
        }
        return new ErrorBody(excerpt(new String(body, StandardCharsets.UTF_8)), List.of(), null);
    }

    /** Runway answers a spent daily generation quota with a 429 whose text says so. */
    boolean isDailyQuota() {
        return error != null && error.toLowerCase(Locale.ROOT).contains("daily");
    }

    private static List<Issue> issues(JsonNode node) {
        if (node == null || !node.isArray()) {
            return List.of();
        }
        List<Issue> issues = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isObject()) {
                continue;
            }
            List<Object> path = new ArrayList<>();
            JsonNode pathNode = item.get("path");
            if (pathNode != null && pathNode.isArray()) {
                for (JsonNode segment : pathNode) {
                    path.add(segment.isIntegralNumber() ? (Object) segment.intValue() : segment.asText());
                }
            }
            issues.add(new Issue(text(item.get("code")), path, text(item.get("message"))));
        }
        return issues;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString();
    }

    private static String excerpt(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        if (flat.isEmpty()) {
            return null;
        }
        return flat.length() <= MAX_EXCERPT ? flat : flat.substring(0, MAX_EXCERPT) + "…";
    }
}
