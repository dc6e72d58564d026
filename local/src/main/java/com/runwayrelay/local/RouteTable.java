package com.runwayrelay.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP API's routes, taken from the functions' {@code HttpApi} events, matched the way API
 * Gateway HTTP APIs do: path variables ({@code {id}}) match one segment, greedy ones
 * ({@code {proxy+}}) the rest; the most specific route wins (more literal segments, then not greedy,
 * then a named method over {@code ANY}); nothing matches a method or path the template does not
 * declare, so the front answers 404 as API Gateway does.
 */
final class RouteTable {
    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = routes;
    }

    /**
     * The routes of every function.
     *
     * @throws IllegalArgumentException if two functions declare the same route key or a path is malformed
     */
    static RouteTable from(List<FunctionSpec> functions) {
        List<Route> routes = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (FunctionSpec function : functions) {
            for (FunctionSpec.HttpRoute route : function.routes()) {
                if (!keys.add(route.routeKey())) {
                    throw new IllegalArgumentException("route " + route.routeKey() + " is declared twice (again by " + function.logicalId() + ")");
                }
                routes.add(new Route(route.method(), route.path(), function.logicalId(), segments(route.path()),
                        route.authorizer()));
            }
        }
        return new RouteTable(List.copyOf(routes));
    }

    /** Every route, in template order. */
    List<Route> routes() {
        return routes;
    }

    /** The route serving {@code method} on {@code rawPath} (percent-encoded, without query), if any. */
    Optional<Match> match(String method, String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return Optional.empty();
        }
        String[] parts = rawPath.substring(1).split("/", -1);
        return routes.stream()
                .filter(route -> route.method().equals("ANY") || route.method().equals(method))
                .map(route -> route.bind(parts).map(parameters -> new Match(route, parameters)))
                .flatMap(Optional::stream)
                .max(Comparator.comparingInt((Match m) -> m.route().literalCount())
                        .thenComparing(m -> !m.route().greedy())
                        .thenComparing(m -> !m.route().method().equals("ANY")));
    }

    private static List<Segment> segments(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/': " + path);
        }
        List<Segment> segments = new ArrayList<>();
        String[] parts = path.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("{") && part.endsWith("}")) {
                String name = part.substring(1, part.length() - 1);
                boolean greedy = name.endsWith("+");
                if (greedy && i != parts.length - 1) {
                    throw new IllegalArgumentException("greedy path variable must be last: " + path);
                }
                segments.add(new Segment(null, greedy ? name.substring(0, name.length() - 1) : name, greedy));
            } else {
                segments.add(new Segment(part, null, false));
            }
        }
        return List.copyOf(segments);
    }

    /**
     * One route.
     *
     * @param method     upper-case method or {@code ANY}
     * @param path       the template's path, e.g. {@code /v1/tasks/{id}}
     * @param functionId logical id of the function serving it
     * @param segments   the parsed path
     * @param authorizer {@link FunctionSpec.HttpRoute#IAM} or {@link FunctionSpec.HttpRoute#NONE}
     */
    record Route(String method, String path, String functionId, List<Segment> segments, String authorizer) {
        /** Whether API Gateway checks the caller's SigV4 signature before the function runs. */
        boolean iamAuthorized() {
            return FunctionSpec.HttpRoute.IAM.equals(authorizer);
        }

        /** API Gateway's route key, e.g. {@code GET /v1/tasks/{id}}. */
        String routeKey() {
            return method + " " + path;
        }

        int literalCount() {
            return (int) segments.stream().filter(s -> s.literal() != null).count();
        }

        boolean greedy() {
            return !segments.isEmpty() && segments.getLast().greedy();
        }

        Optional<Map<String, String>> bind(String[] parts) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < segments.size(); i++) {
                Segment segment = segments.get(i);
                if (segment.greedy()) {
                    if (i >= parts.length) {
                        return Optional.empty();
                    }
                    String rest = String.join("/", java.util.Arrays.copyOfRange(parts, i, parts.length));
                    if (rest.isEmpty()) {
                        return Optional.empty();
                    }
                    parameters.put(segment.variable(), decode(rest));
                    return Optional.of(parameters);
                }
                if (i >= parts.length) {
                    return Optional.empty();
                }
                if (segment.literal() != null) {
                    if (!segment.literal().equals(parts[i])) {
                        return Optional.empty();
                    }
                } else {
                    if (parts[i].isEmpty()) {
                        return Optional.empty();
                    }
                    parameters.put(segment.variable(), decode(parts[i]));
                }
            }
            return parts.length == segments.size() ? Optional.of(parameters) : Optional.empty();
        }

        private static String decode(String raw) {
            try {
                // '+' is a literal plus in a path, unlike in a query string.
                return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformedEscape) {
                return raw;
            }
        }
    }

    /** A path segment: a literal, or a variable (greedy when it ends in {@code +}). */
    record Segment(String literal, String variable, boolean greedy) {
    }

    /**
     * A matched route.
     *
     * @param route          the route
     * @param pathParameters decoded values of its path variables, in path order
     */
    record Match(Route route, Map<String, String> pathParameters) {
    }
}
