package com.runwayrelay.aws.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.gateway.UsageLedger.Admission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An error answer: RFC 9457 {@code application/problem+json} that also carries Runway's own error
 * fields, {@code error} (the same text as {@code detail}) and, for invalid requests,
 * {@code issues[]} ({@code {code, path, message}}), so the official SDKs raise their usual error
 * classes with a useful message. An issue's path is within the body, or {@code ["query", name]} for a
 * query parameter; {@code detail} says which was wrong ("Validation of body failed", "... of query
 * failed", "... of query and body failed").
 *
 * @param status     the HTTP status
 * @param slug       the problem type, rendered as {@code urn:runway-relay:problem:<slug>}
 * @param title      a short, fixed summary of the problem type
 * @param detail     what went wrong with this request
 * @param issues     every violation, for invalid requests; empty otherwise
 * @param extensions further members (numbers a client can act on), in order
 * @param retryAfter sent as {@code retry-after} when not null
 */
public record Problem(int status, String slug, String title, String detail, List<Violation> issues,
                      Map<String, Object> extensions, Duration retryAfter) {
    /** Prefix of every problem {@code type}. */
    public static final String TYPE_PREFIX = "urn:runway-relay:problem:";
    /** The media type of problem documents. */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** The first segment of a query issue's path, {@code ["query", name]}; no request body has such a member. */
    public static final String QUERY = "query";

    public Problem {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        issues = List.copyOf(issues);
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /**
     * 402 {@code budget-exceeded}: the app's daily budget cannot cover {@code over}'s request, with the
     * figures a client can act on and when the budget resets.
     *
     * @param needs the request's side of the sentence, e.g. "This request needs up to 10 credits"
     */
    public static Problem budgetExceeded(String needs, Admission.OverBudget over, Instant resetsAt) {
        return of(402, "budget-exceeded", "Daily credit budget exceeded", needs + " but only "
                + over.remainingCredits() + " of the app's daily budget of " + over.dailyBudget() + " remain today ("
                + over.usedCredits() + " used); the budget resets at " + resetsAt)
                .with("requestedCredits", over.requestedCredits())
                .with("usedCredits", over.usedCredits())
                .with("dailyCreditBudget", over.dailyBudget())
                .with("remainingCredits", over.remainingCredits())
                .with("resetsAt", resetsAt.toString());
    }

    /** A problem without issues, extensions or retry hint. */
    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(status, slug, title, detail, List.of(), Map.of(), null);
    }

    /**
     * {@code 400 invalid-request} for a body that breaks a rule, listing every violation; {@code detail}
     * reads "Validation of body failed: " and quotes the first (violation messages name their field).
     * Violations of query parameters go to {@link #invalidQuery} or {@link #invalidRequest(List, List)}.
     */
    public static Problem invalidRequest(List<Violation> violations) {
        return invalid("body", violations);
    }

    /**
     * {@code 400 invalid-request} for query parameters that break a rule, listing every violation;
     * {@code detail} reads "Validation of query failed: " and quotes the first. Same type and title as
     * a body's, so clients that act on the type need nothing new; the wording and the paths say it is
     * the query.
     *
     * @param violations issues made by {@link #queryIssue}: each path is {@code ["query", name]}
     * @throws IllegalArgumentException when {@code violations} is empty or one is not a query issue
     */
    public static Problem invalidQuery(List<Violation> violations) {
        violations.forEach(Problem::requireQueryIssue);
        return invalid("query", violations);
    }

    /**
     * {@code 400 invalid-request} for a route that checks both its query and its body: every violation,
     * the query's first. With only one kind, the answer is exactly {@link #invalidQuery} or
     * {@link #invalidRequest(List)}; with both, {@code detail} reads "Validation of query and body
     * failed: " and quotes the first query issue.
     *
     * @param query issues made by {@link #queryIssue}
     * @param body  the body's issues, paths within the body
     * @throws IllegalArgumentException when both are empty, or a query violation is not a query issue
     */
    public static Problem invalidRequest(List<Violation> query, List<Violation> body) {
        if (body.isEmpty()) {
            return invalidQuery(query);
        }
        if (query.isEmpty()) {
            return invalidRequest(body);
        }
        query.forEach(Problem::requireQueryIssue);
        List<Violation> all = new ArrayList<>(query);
        all.addAll(body);
        return invalid("query and body", all);
    }

    /**
     * A violation of query parameter {@code name}: path {@code ["query", name]}, message
     * {@code query parameter 'name' <wrong>}.
     *
     * @param code  a stable code such as {@code too_big} or {@code invalid_enum_value}
     * @param wrong what is wrong and what is accepted, continuing the sentence, e.g.
     *              {@code must be an integer from 1 to 100, got "0"}
     */
    public static Violation queryIssue(String name, String code, String wrong) {
        return new Violation(List.of(QUERY, name), code, "query parameter '" + name + "' " + wrong);
    }

    /**
     * A violation the domain found in a value the route took from a query parameter, as a query issue:
     * its path names the parameter ({@code ["cursor"]}) and its message starts with the name
     * ({@code cursor is not one the gateway issued; ...}), which becomes {@code query parameter 'cursor'}.
     */
    public static Violation queryIssue(Violation about) {
        if (about.path().size() != 1 || !(about.path().getFirst() instanceof String name)) {
            throw new IllegalArgumentException("not about one query parameter: " + about.path());
        }
        String message = about.message();
        String wrong = message.startsWith(name + " ") ? message.substring(name.length() + 1) : "is refused: " + message;
        return queryIssue(name, about.code(), wrong);
    }

    private static void requireQueryIssue(Violation violation) {
        if (violation.path().size() != 2 || !QUERY.equals(violation.path().getFirst())) {
            throw new IllegalArgumentException("not a query issue (path [\"query\", name]): " + violation.path());
        }
    }

    private static Problem invalid(String part, List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an invalid request has at least one violation");
        }
        Violation first = violations.getFirst();
        String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more issue"
                + (violations.size() > 2 ? "s" : "") + ")" : "";
        return new Problem(400, "invalid-request", "Invalid request",
                "Validation of " + part + " failed: " + first.message() + more, violations, Map.of(), null);
    }

    /** {@code 401 unauthorized}. */
    public static Problem unauthorized() {
        return of(401, "unauthorized", "Unauthorized",
                "Missing or invalid API key: send 'Authorization: Bearer <app key>' with a key issued by the gateway");
    }

    /** {@code 404 not-found} for a task the app cannot see. */
    public static Problem taskNotFound() {
        return of(404, "not-found", "Not found", "Task not found");
    }

    /** {@code 500 internal}: nothing about the cause leaks to the caller. */
    public static Problem internal() {
        return of(500, "internal", "Internal error", "The gateway failed to handle the request; try again");
    }

    /** This problem with a {@code retry-after} hint. */
    public Problem withRetryAfter(Duration value) {
        return new Problem(status, slug, title, detail, issues, extensions, value);
    }

    /** This problem with one more extension member. */
    public Problem with(String member, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(member, value);
        return new Problem(status, slug, title, detail, issues, more, retryAfter);
    }

    /** The full {@code type} URI. */
    public String type() {
        return TYPE_PREFIX + slug;
    }

    /** The problem as a response. */
    public ApiResponse response() {
        ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("type", type());
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("error", detail);
        if (!issues.isEmpty()) {
            ArrayNode list = body.putArray("issues");
            for (Violation v : issues) {
                ObjectNode issue = list.addObject();
                issue.put("code", v.code());
                ArrayNode path = issue.putArray("path");
                for (Object segment : v.path()) {
                    if (segment instanceof Integer index) {
                        path.add(index);
                    } else {
                        path.add(String.valueOf(segment));
                    }
                }
                issue.put("message", v.message());
            }
        }
        extensions.forEach((name, value) -> body.set(name, ApiResponse.JSON.valueToTree(value)));
        ApiResponse response = new ApiResponse(status, Map.of("content-type", MEDIA_TYPE), ApiResponse.write(body));
        if (retryAfter != null) {
            response = response.withHeader("retry-after", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        return response;
    }
}
