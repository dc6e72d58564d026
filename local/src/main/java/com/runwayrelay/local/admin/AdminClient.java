package com.runwayrelay.local.admin;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The admin HTTP API of one target ({@code docs/admin-api.md}): builds {@code /admin/v1/...} URLs with
 * RFC 3986-encoded query strings and sends every request signed for {@code execute-api}.
 */
public final class AdminClient {
    static final String PREFIX = "/admin/v1";

    private final AdminTarget target;
    private final SignedHttp http;

    AdminClient(AdminTarget target, SignedHttp http) {
        this.target = target;
        this.http = http;
    }

    /** The API of a target, over a JDK HTTP client and the system clock. */
    public static AdminClient of(AdminTarget target) {
        return new AdminClient(target, SignedHttp.create());
    }

    AdminTarget target() {
        return target;
    }

    /** An answer of the admin API: its status, content type (or ""), body and retry-after header (or null). */
    public record Answer(int status, String contentType, String body, String retryAfter) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /**
     * Sends one request.
     *
     * @param path  below {@code /admin/v1}, starting with {@code /}, its segments already encoded
     * @param query parameters, in order; null values are left out
     * @param json  the JSON body, or null for none
     * @throws Unreachable when the API cannot be reached or no credentials can be found
     * @throws NoAdminApiException when the API has no admin route there (nothing was done)
     */
    public Answer call(String method, String path, Map<String, String> query, String json) {
        URI uri = URI.create(base() + PREFIX + path + queryString(query));
        SignedHttp.Answer answer;
        try {
            answer = http.send(method, uri, SignedHttp.jsonHeaders(), json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                    target.credentials(), target.region(), "execute-api");
        } catch (IOException e) {
            throw new Unreachable("cannot reach the admin API of " + target.description() + " at " + target.apiUrl() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while calling " + target.apiUrl(), e);
        } catch (SdkClientException e) {
            throw new Unreachable("no AWS credentials to sign with: " + e.getMessage() + " (" + target.credentialsHint() + ")", e);
        }
        if (answer.status() == 404 && isRouteNotFound(answer.body())) {
            throw new NoAdminApiException("the API of " + target.description() + " at " + target.apiUrl()
                    + " has no route " + method + " " + PREFIX + path + " (deployed or started from a version without it?)");
        }
        return new Answer(answer.status(), answer.contentType(), answer.body(), answer.retryAfter());
    }

    private String base() {
        String base = target.apiUrl().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    static String queryString(Map<String, String> query) {
        StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> {
            if (value != null) {
                joined.add(SdkHttpUtils.urlEncode(name) + "=" + SdkHttpUtils.urlEncode(value));
            }
        });
        return joined.toString();
    }

    /** A path segment (an app or task id) encoded for the URL. */
    static String segment(String value) {
        return SdkHttpUtils.urlEncode(value);
    }

    /** API Gateway's own answer for a route the API does not declare (the local stack's too). */
    private static boolean isRouteNotFound(String body) {
        return body != null && body.replace(" ", "").strip().equals("{\"message\":\"NotFound\"}");
    }

    /** The API could not be called at all; nothing is known to have happened. */
    public static final class Unreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The API answered that it has no such admin route (API Gateway's own 404). Nothing was done. */
    public static final class NoAdminApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoAdminApiException(String message) {
            super(message);
        }
    }
}
