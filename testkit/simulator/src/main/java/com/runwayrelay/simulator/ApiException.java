package com.runwayrelay.simulator;

import java.util.List;
import java.util.Map;

/** Ends a request with a Runway-shaped error: {@code {"error": message}} plus {@code issues} for validation. */
final class ApiException extends RuntimeException {
    private final int status;
    private final List<Issue> issues;
    private final Map<String, String> headers;
    private final com.fasterxml.jackson.databind.node.ObjectNode body;

    ApiException(int status, String message) {
        this(status, message, List.of(), Map.of());
    }

    ApiException(int status, String message, List<Issue> issues, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.issues = List.copyOf(issues);
        this.headers = Map.copyOf(headers);
        this.body = null;
    }

    /** An error whose whole body is given (Runway's Model Router errors carry {@code code} and more). */
    ApiException(int status, com.fasterxml.jackson.databind.node.ObjectNode body) {
        super(body.path("error").asText(), null, false, false);
        this.status = status;
        this.issues = List.of();
        this.headers = Map.of();
        this.body = body;
    }

    /** The whole error body, or null for the usual {@code {error, issues?}}. */
    com.fasterxml.jackson.databind.node.ObjectNode body() {
        return body;
    }

    int status() {
        return status;
    }

    List<Issue> issues() {
        return issues;
    }

    Map<String, String> headers() {
        return headers;
    }

    /** One entry of a 400's {@code issues} array; path segments are strings or integers. */
    record Issue(String code, List<Object> path, String message) {
        Issue {
            path = List.copyOf(path);
        }
    }
}
