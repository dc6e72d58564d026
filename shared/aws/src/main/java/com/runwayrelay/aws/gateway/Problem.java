package com.runwayrelay.aws.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.gateway.UsageLedger.Admission;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An error answer: RFC 9457 {@code application/problem+json} that also carries Runway's own error
 * fields, {@code error} (the same text as {@code detail}) and, for invalid requests,
 * {@code issues[]} ({@code {code, path, message}}), so the official SDKs raise their usual error
 * classes with a useful message.
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
     * {@code 400 invalid-request} listing every violation; {@code detail} quotes the first (violation
     * messages name their field).
     */
    public static Problem invalidRequest(List<Violation> violations) {
        Violation first = violations.getFirst();
        String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more issue"
                + (violations.size() > 2 ? "s" : "") + ")" : "";
        return new Problem(400, "invalid-request", "Invalid request",
                "Validation of body failed: " + first.message() + more, violations, Map.of(), null);
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
