package com.runwayrelay.status;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test-only stand-in for API Gateway: an HTTP server on a free loopback port that matches the
 * template's routes, turns each request into an HTTP API (payload 2.0) event and invokes the real
 * handler classes, so HTTP clients such as the official SDK can talk to the gateway.
 *
 * <p>{@link #ROUTES} is the template's {@code /v1} routes and the function each invokes;
 * {@code GatewayFrontTest} compares it with template.yaml's {@code HttpApi} events, so a route
 * added to the template must be added here too. A request picks its route as API Gateway does: the
 * most specific path wins (literal segments before {@code {param}}, the greedy {@code {proxy+}}
 * last), and a route's own method before {@code ANY}.
 */
final class GatewayFront implements AutoCloseable {
    /** The function a route invokes. */
    enum Target { SUBMIT, STATUS }

    static final String OTHER = "ANY /v1/{proxy+}";

    /** The template's routes under {@code /v1}, route key to the function it invokes. */
    static final Map<String, Target> ROUTES = routes();

    private static Map<String, Target> routes() {
        Map<String, Target> routes = new LinkedHashMap<>();
        for (String endpoint : List.of("text_to_image", "image_to_video", "text_to_video", "video_to_video",
                "image_upscale", "video_upscale", "video_to_hdr", "character_performance", "sound_effect",
                "text_to_speech", "speech_to_speech", "voice_dubbing", "voice_isolation", "avatar_videos",
                "recipes/ad_localization", "recipes/marketing_stock_image", "recipes/multi_shot_video",
                "recipes/product_ad", "recipes/product_campaign_image", "recipes/product_swap", "recipes/product_ugc",
                "generate/video", "generate/image", "generate/audio", "workflows/{id}", "uploads")) {
            routes.put("POST /v1/" + endpoint, Target.SUBMIT);
        }
        for (String route : List.of("GET /v1/tasks/{id}", "DELETE /v1/tasks/{id}", "GET /v1/organization",
                "POST /v1/organization/usage", "POST /v1/documents", "GET /v1/documents", "GET /v1/documents/{id}",
                "PATCH /v1/documents/{id}", "DELETE /v1/documents/{id}", "POST /v1/avatars", "GET /v1/avatars",
                "GET /v1/avatars/{id}", "PATCH /v1/avatars/{id}", "DELETE /v1/avatars/{id}", "POST /v1/voices",
                "GET /v1/voices", "GET /v1/voices/{id}", "PATCH /v1/voices/{id}", "DELETE /v1/voices/{id}",
                "POST /v1/voices/preview", "GET /v1/workflows", "GET /v1/workflows/{id}",
                "GET /v1/workflow_invocations/{id}", "POST /v1/realtime_sessions", "GET /v1/realtime_sessions/{id}",
                "DELETE /v1/realtime_sessions/{id}", "GET /v1/avatar_conversations",
                "GET /v1/avatar_conversations/{id}", "DELETE /v1/avatar_conversations/{id}", "GET /v1/avatar_usage",
                OTHER)) {
            routes.put(route, Target.STATUS);
        }
        return Collections.unmodifiableMap(routes);
    }

    /** {@link #ROUTES} as matchers, most specific first. */
    private static final List<Route> MATCHERS = ROUTES.keySet().stream().map(Route::of).sorted().toList();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> submit;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> status;

    private GatewayFront(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> submit,
                         RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> status) throws IOException {
        this.submit = submit;
        this.status = status;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.setExecutor(threads);
        server.start();
    }

    static GatewayFront start(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> submit,
                              RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> status) throws IOException {
        return new GatewayFront(submit, status);
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The template route a request matches, or null (API Gateway's bare 404). */
    static String routeKey(String method, String path) {
        Route route = match(method, path);
        return route == null ? null : route.key();
    }

    private static Route match(String method, String path) {
        return MATCHERS.stream().filter(r -> r.matches(method, path)).findFirst().orElse(null);
    }

    /**
     * One route: its method ({@code ANY} for every method), and its path as a pattern whose groups are
     * the path parameters, in order. Sorted most specific first, as API Gateway chooses.
     */
    private record Route(String key, String method, Pattern path, List<String> parameters, int literals,
                         boolean greedy) implements Comparable<Route> {
        static Route of(String key) {
            String[] parts = key.split(" ", 2);
            StringBuilder regex = new StringBuilder();
            List<String> parameters = new ArrayList<>();
            int literals = 0;
            boolean greedy = false;
            for (String segment : parts[1].substring(1).split("/")) {
                regex.append('/');
                if (segment.startsWith("{") && segment.endsWith("+}")) {
                    parameters.add(segment.substring(1, segment.length() - 2));
                    regex.append("(.+)");
                    greedy = true;
                } else if (segment.startsWith("{") && segment.endsWith("}")) {
                    parameters.add(segment.substring(1, segment.length() - 1));
                    regex.append("([^/]+)");
                } else {
                    regex.append(Pattern.quote(segment));
                    literals++;
                }
            }
            return new Route(key, parts[0], Pattern.compile(regex.toString()), List.copyOf(parameters), literals, greedy);
        }

        boolean matches(String requestMethod, String requestPath) {
            return (method.equals("ANY") || method.equals(requestMethod)) && path.matcher(requestPath).matches();
        }

        /** The path parameters a request path gives this route. */
        Map<String, String> parameters(String requestPath) {
            Matcher m = path.matcher(requestPath);
            if (!m.matches()) {
                throw new IllegalArgumentException(requestPath + " is not a path of " + key);
            }
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < parameters.size(); i++) {
                values.put(parameters.get(i), m.group(i + 1));
            }
            return values;
        }

        @Override
        public int compareTo(Route other) {
            if (greedy != other.greedy) {
                return greedy ? 1 : -1;
            }
            if (parameters.size() != other.parameters.size()) {
                return Integer.compare(parameters.size(), other.parameters.size());
            }
            if (literals != other.literals) {
                return Integer.compare(other.literals, literals);
            }
            return Boolean.compare(method.equals("ANY"), other.method.equals("ANY"));
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            Route matched = match(method, path);
            if (matched == null) {
                write(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}");
                return;
            }
            String route = matched.key();
            APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
            event.setVersion("2.0");
            event.setRouteKey(route);
            event.setRawPath(path);
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    String.join(",", values)));
            event.setHeaders(headers);
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            event.setBody(body.isEmpty() ? null : body);
            event.setIsBase64Encoded(false);
            Map<String, String> pathParameters = matched.parameters(path);
            if (!pathParameters.isEmpty()) {
                event.setPathParameters(pathParameters);
            }
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null && !query.isEmpty()) {
                Map<String, String> parameters = new HashMap<>();
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    parameters.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
                event.setRawQueryString(query);
                event.setQueryStringParameters(parameters);
            }
            event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRouteKey(route)
                    .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                    .build());
            APIGatewayV2HTTPResponse response = (ROUTES.get(route) == Target.STATUS ? status : submit)
                    .handleRequest(event, null);
            write(exchange, response.getStatusCode(), response.getHeaders() == null ? Map.of() : response.getHeaders(),
                    response.getBody());
        }
    }

    private static void write(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, status == 204 || bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0 && status != 204) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.close();
    }
}
