package com.runwayrelay.simulator;

import java.util.List;
import java.util.Map;

/** Ends a request with a Runway-shaped error: {@code {"error": message}} plus {@code issues} for validation. */
final class ApiException extends RuntimeException {
    private final int status;
    private final List<Issue> issues;
    private final Map<String, String> headers;

    ApiException(int status, String message) {
        this(status, message, List.of(), Map.of());
    }

    ApiException(int status, String message, List<Issue> issues, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.issues = List.copyOf(issues);
        this.headers = Map.copyOf(headers);
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
