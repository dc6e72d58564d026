package com.runwayrelay.local.console;

import com.runwayrelay.local.admin.AdminClient;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Forwards {@code /admin/v1/*} to the admin API, signed with SigV4 by {@link AdminClient}: the request is
 * rebuilt from checked parts (method, path segments, decoded query parameters, a JSON body), never passed
 * through byte for byte, and only the API's status, content type, body and {@code retry-after} (a wait in seconds
 * or an HTTP date, so the page can say when to try again) come back. The browser's own headers (cookies included)
 * never reach the API.
 */
final class AdminProxy implements HttpHandler {
    static final String PREFIX = "/admin/v1";
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PATCH", "DELETE");
    /** Ids are {@code app_…} or UUIDs; anything else in a path is refused rather than encoded. */
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
    private static final Set<String> DOT_SEGMENTS = Set.of(".", "..");
    /** A retry-after as RFC 9110 writes one: delay-seconds, or an IMF-fixdate such as {@code Fri, 04 Dec 2026 10:00:00 GMT}. */
    private static final Pattern RETRY_AFTER = Pattern.compile("[0-9]{1,10}|[A-Za-z]{3}, [0-9]{2} [A-Za-z]{3} [0-9]{4} [0-9:]{8} GMT");

    private final RequestGuard guard;
    private final AdminConnection connection;

    AdminProxy(RequestGuard guard, AdminConnection connection) {
        this.guard = guard;
        this.connection = connection;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Optional<RequestGuard.Refusal> refused = guard.checkAdminCall(exchange.getRequestHeaders()::getFirst);
            if (refused.isPresent()) {
                ConsoleServer.problem(exchange, refused.get().status(), "refused", refused.get().reason());
                return;
            }
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, POST, PATCH, DELETE");
                ConsoleServer.problem(exchange, 405, "method", method + " is not forwarded to the admin API");
                return;
            }
            String path = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
            if (!PATH.matcher(path).matches() || Arrays.stream(path.split("/")).anyMatch(DOT_SEGMENTS::contains)) {
                ConsoleServer.problem(exchange, 400, "path", "not an admin API path: " + PREFIX + path);
                return;
            }
            Map<String, String> query;
            try {
                query = query(exchange.getRequestURI().getRawQuery());
            } catch (IllegalArgumentException e) {
                ConsoleServer.problem(exchange, 400, "query", e.getMessage());
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                ConsoleServer.problem(exchange, 413, "body", "a body of the admin API is at most " + MAX_BODY_BYTES + " bytes");
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (body.length > 0 && (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json"))) {
                ConsoleServer.problem(exchange, 400, "body", "a body must be application/json");
                return;
            }
            forward(exchange, method, path, query, body.length == 0 ? null : new String(body, StandardCharsets.UTF_8));
        }
    }

    private void forward(HttpExchange exchange, String method, String path, Map<String, String> query, String json)
            throws IOException {
        AdminClient.Answer answer;
        try {
            answer = connection.client().call(method, path, query, json);
        } catch (AdminConnection.Unavailable e) {
            ConsoleServer.problem(exchange, 503, "no-target", e.getMessage());
            return;
        } catch (AdminClient.Unreachable e) {
            ConsoleServer.problem(exchange, 502, "unreachable", e.getMessage());
            return;
        } catch (AdminClient.NoAdminApiException e) {
            ConsoleServer.problem(exchange, 404, "no-route", e.getMessage());
            return;
        }
        String type = answer.contentType().isEmpty() ? "application/json" : answer.contentType();
        if (answer.retryAfter() != null && RETRY_AFTER.matcher(answer.retryAfter()).matches()) {
            exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
        }
        ConsoleServer.send(exchange, answer.status(), type, answer.body().getBytes(StandardCharsets.UTF_8));
    }

    /** The query's parameters, decoded, in order; a parameter given twice is refused (the API takes one of each). */
    static Map<String, String> query(String raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (parameters.put(name, value) != null) {
                throw new IllegalArgumentException("query parameter '" + name + "' is given twice");
            }
        }
        return parameters;
    }
}
