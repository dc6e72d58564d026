package com.runwayrelay.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.owned.Documents;
import com.runwayrelay.domain.owned.ListCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The requests of {@code /v1/documents}, checked before Runway is asked: the create and update bodies
 * (a JSON object with {@code name} and {@code content}, strings; both for a create, at least one for an
 * update; nothing else) and the list's query ({@code limit}, {@code cursor}, {@code order},
 * {@code sort}). Every violation is reported at once.
 */
final class DocumentRequests {
    /** The longest name: the gateway's own limit (the name is kept in the ownership record). */
    static final int MAX_NAME = 1000;
    /** The largest body read; the same limit as every other POST body. */
    static final int MAX_BYTES = StrictJsonBody.MAX_BYTES;
    private static final Set<String> MEMBERS = Set.of("name", "content");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,3}");

    private DocumentRequests() {
    }

    /** A create or update body: {@code name} and {@code content}, either null in an update when left out. */
    record Body(String name, String content) {
    }

    /** A list query. */
    record ListQuery(boolean descending, String cursor, int limit) {
    }

    /** What a parse found: the request, or the problem to answer. */
    sealed interface Parsed<T> {
        record Ok<T>(T value) implements Parsed<T> {
        }

        record Refused<T>(Problem problem) implements Parsed<T> {
        }
    }

    static Parsed<Body> create(String body) {
        return body(body, true);
    }

    static Parsed<Body> update(String body) {
        return body(body, false);
    }

    /**
     * The list's query parameters: {@code limit} 1–100 (default 50), {@code cursor} (a previous page's
     * {@code nextCursor}), {@code order} {@code asc} or {@code desc} (default {@code desc}), {@code sort}
     * {@code createdAt} (the default; {@code updatedAt} is refused: the gateway's index is by creation).
     */
    static Parsed<ListQuery> list(String limit, String cursor, String order, String sort) {
        List<Violation> violations = new ArrayList<>();
        int size = limit(limit, Documents.DEFAULT_LIMIT, Documents.MAX_LIMIT, violations);
        cursor(cursor, violations);
        boolean descending = true;
        if (order != null) {
            if (order.equals("asc") || order.equals("desc")) {
                descending = order.equals("desc");
            } else {
                violations.add(Problem.queryIssue("order", "invalid_enum_value",
                        "must be 'asc' or 'desc', got '" + StrictJsonBody.abbreviate(order) + "'"));
            }
        }
        if (sort != null && !sort.equals("createdAt")) {
            violations.add(Problem.queryIssue("sort", "invalid_enum_value", sort.equals("updatedAt")
                    ? "cannot be 'updatedAt': the gateway lists documents by creation time; use 'createdAt'"
                    : "must be 'createdAt', got '" + StrictJsonBody.abbreviate(sort) + "'"));
        }
        return violations.isEmpty() ? new Parsed.Ok<>(new ListQuery(descending, cursor, size))
                : new Parsed.Refused<>(Problem.invalidQuery(violations));
    }

    /**
     * A list's {@code limit}: 1 to {@code max}, {@code defaultLimit} when absent; with a violation added
     * (and the default returned) when it is anything else.
     */
    static int limit(String limit, int defaultLimit, int max, List<Violation> violations) {
        if (limit == null) {
            return defaultLimit;
        }
        if (DIGITS.matcher(limit).matches() && Integer.parseInt(limit) >= 1 && Integer.parseInt(limit) <= max) {
            return Integer.parseInt(limit);
        }
        violations.add(Problem.queryIssue("limit", "invalid_string", "must be an integer from 1 to " + max
                + ", got \"" + StrictJsonBody.abbreviate(limit) + "\""));
        return defaultLimit;
    }

    /**
     * A list's {@code cursor}: a violation when present but empty or longer than any cursor the gateway
     * issues (whether the gateway issued it is for the use case to say).
     */
    static void cursor(String cursor, List<Violation> violations) {
        if (cursor != null && (cursor.isEmpty() || cursor.length() > ListCursor.MAX_LENGTH)) {
            violations.add(Problem.queryIssue("cursor", cursor.isEmpty() ? "too_small" : "too_big",
                    "must be 1-" + ListCursor.MAX_LENGTH + " characters (the previous page's nextCursor, unchanged), got "
                            + cursor.length()));
        }
    }

    private static Parsed<Body> body(String body, boolean create) {
        StrictJsonBody.Read read = StrictJsonBody.read(body, MEMBERS, "the body takes name and content");
        if (read instanceof StrictJsonBody.Read.Refused r) {
            return new Parsed.Refused<>(r.problem());
        }
        StrictJsonBody.Read.Parsed parsed = (StrictJsonBody.Read.Parsed) read;
        ObjectNode object = parsed.object();
        List<Violation> violations = parsed.violations();
        String name = text(object, "name", create, MAX_NAME, violations);
        String content = text(object, "content", create, Integer.MAX_VALUE, violations);
        if (!create && name == null && content == null && violations.isEmpty()) {
            violations.add(new Violation(List.of(), "custom", "At least one of name or content must be given"));
        }
        return violations.isEmpty() ? new Parsed.Ok<>(new Body(name, content)) : refused(violations);
    }

    private static String text(ObjectNode object, String field, boolean required, int max, List<Violation> violations) {
        JsonNode value = object.get(field);
        if (value == null) {
            if (required) {
                violations.add(new Violation(List.of(field), "invalid_type", field + " is required (a string)"));
            }
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(List.of(field), "invalid_type", field + " must be a string, got "
                    + value.getNodeType().name().toLowerCase(Locale.ROOT)));
            return null;
        }
        String text = value.textValue();
        if (text.isBlank()) {
            violations.add(new Violation(List.of(field), "too_small", field + " must not be empty"));
            return null;
        }
        if (!wellFormed(text)) {
            violations.add(new Violation(List.of(field), "invalid_string", field + " has an unpaired surrogate"));
            return null;
        }
        if (text.length() > max) {
            violations.add(new Violation(List.of(field), "too_big", field + " must be at most " + max
                    + " characters, got " + text.length()));
            return null;
        }
        return text;
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

    private static <T> Parsed<T> refused(List<Violation> violations) {
        return new Parsed.Refused<>(Problem.invalidRequest(violations));
    }
}
