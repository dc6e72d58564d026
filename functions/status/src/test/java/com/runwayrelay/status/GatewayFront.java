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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test-only stand-in for API Gateway: an HTTP server on a free loopback port that matches the
 * template's routes, turns each request into an HTTP API (payload 2.0) event and invokes the real
 * handler classes, so HTTP clients such as the official SDK can talk to the gateway.
 */
final class GatewayFront implements AutoCloseable {
    private static final Pattern TASK = Pattern.compile("/v1/tasks/([^/]+)");
    private static final Pattern DOCUMENT = Pattern.compile("/v1/documents/([^/]+)");
    private static final Pattern WORKFLOW = Pattern.compile("/v1/workflows/([^/]+)");
    private static final Pattern INVOCATION = Pattern.compile("/v1/workflow_invocations/([^/]+)");
    /** The template's routes served by the status function (the others, all POST, by submit). */
    private static final Set<String> STATUS_ROUTES = Set.of("GET /v1/tasks/{id}", "DELETE /v1/tasks/{id}",
            "GET /v1/organization", "POST /v1/organization/usage", "POST /v1/documents", "GET /v1/documents",
            "GET /v1/documents/{id}", "PATCH /v1/documents/{id}", "DELETE /v1/documents/{id}", "ANY /v1/{proxy+}",
            "GET /v1/workflows", "GET /v1/workflows/{id}", "GET /v1/workflow_invocations/{id}",
            "POST /v1/realtime_sessions", "GET /v1/realtime_sessions/{id}", "DELETE /v1/realtime_sessions/{id}",
            "GET /v1/avatar_conversations", "GET /v1/avatar_conversations/{id}", "DELETE /v1/avatar_conversations/{id}",
            "GET /v1/avatar_usage", "POST /v1/avatars", "GET /v1/avatars", "GET /v1/avatars/{id}", "PATCH /v1/avatars/{id}",
            "DELETE /v1/avatars/{id}", "POST /v1/voices", "GET /v1/voices", "GET /v1/voices/{id}",
            "PATCH /v1/voices/{id}", "DELETE /v1/voices/{id}", "POST /v1/voices/preview");
    /** Avatars and voices: the collection, and one by id. */
    private static final Pattern OWNED = Pattern.compile("/v1/(avatars|voices)(/[^/]+)?");
    private static final Pattern SESSION = Pattern.compile("/v1/realtime_sessions/([^/]+)");
    private static final Pattern CONVERSATION = Pattern.compile("/v1/avatar_conversations/([^/]+)");
    private static final Pattern TASK_ENDPOINT = Pattern.compile("/v1/([a-z0-9_]+)");
    static final String OTHER = "ANY /v1/{proxy+}";
    /** The template's POST routes served by the submit function. */
    private static final Set<String> SUBMIT_ENDPOINTS = Set.of("text_to_image", "image_to_video", "text_to_video",
            "video_to_video", "image_upscale", "video_upscale", "video_to_hdr", "character_performance", "sound_effect",
            "text_to_speech", "speech_to_speech", "voice_dubbing", "voice_isolation", "avatar_videos", "recipes/ad_localization",
            "recipes/marketing_stock_image", "recipes/product_ad", "recipes/product_campaign_image", "recipes/product_swap",
            "recipes/multi_shot_video", "recipes/product_ugc", "uploads");

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

    /**
     * The template route a request matches, or null: {@code POST /v1/uploads},
     * {@code POST /v1/{endpoint}}, {@code GET|DELETE /v1/tasks/{id}}, {@code GET /v1/organization},
     * {@code POST /v1/organization/usage}, and {@code ANY /v1/{proxy+}} for any other path under {@code /v1/}.
     */
    static String routeKey(String method, String path) {
        if (method.equals("POST") && path.equals("/v1/uploads")) {
            return "POST /v1/uploads";
        }
        if (method.equals("GET") && path.equals("/v1/organization")) {
            return "GET /v1/organization";
        }
        if (method.equals("POST") && path.equals("/v1/organization/usage")) {
            return "POST /v1/organization/usage";
        }
        if ((method.equals("POST") || method.equals("GET")) && path.equals("/v1/documents")) {
            return method + " /v1/documents";
        }
        if ((method.equals("GET") || method.equals("PATCH") || method.equals("DELETE")) && DOCUMENT.matcher(path).matches()) {
            return method + " /v1/documents/{id}";
        }
        if (method.equals("GET") && path.equals("/v1/workflows")) {
            return "GET /v1/workflows";
        }
        if ((method.equals("GET") || method.equals("POST")) && WORKFLOW.matcher(path).matches()) {
            return method + " /v1/workflows/{id}";
        }
        if (method.equals("GET") && INVOCATION.matcher(path).matches()) {
            return "GET /v1/workflow_invocations/{id}";
        }
        if (method.equals("POST") && path.equals("/v1/realtime_sessions")) {
            return "POST /v1/realtime_sessions";
        }
        if (method.equals("GET") && path.equals("/v1/avatar_conversations")) {
            return "GET /v1/avatar_conversations";
        }
        if (method.equals("GET") && path.equals("/v1/avatar_usage")) {
            return "GET /v1/avatar_usage";
        }
        if ((method.equals("GET") || method.equals("DELETE")) && SESSION.matcher(path).matches()) {
            return method + " /v1/realtime_sessions/{id}";
        }
        if ((method.equals("GET") || method.equals("DELETE")) && CONVERSATION.matcher(path).matches()) {
            return method + " /v1/avatar_conversations/{id}";
        }
        if (method.equals("POST") && path.equals("/v1/voices/preview")) {
            return "POST /v1/voices/preview";
        }
        Matcher owned = OWNED.matcher(path);
        if (owned.matches()) {
            boolean one = owned.group(2) != null;
            if (one ? Set.of("GET", "PATCH", "DELETE").contains(method) : Set.of("GET", "POST").contains(method)) {
                return method + " /v1/" + owned.group(1) + (one ? "/{id}" : "");
            }
        }
        if ((method.equals("GET") || method.equals("DELETE")) && TASK.matcher(path).matches()) {
            return method + " /v1/tasks/{id}";
        }
        Matcher endpoint = TASK_ENDPOINT.matcher(path);
        if (method.equals("POST") && endpoint.matches() && SUBMIT_ENDPOINTS.contains(endpoint.group(1))) {
            return "POST /v1/" + endpoint.group(1);
        }
        if (path.startsWith("/v1/") && path.length() > "/v1/".length()) {
            return OTHER;
        }
        return null;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            String route = routeKey(method, path);
            if (route == null) {
                write(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}");
                return;
            }
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
            Matcher task = TASK.matcher(path);
            Matcher document = DOCUMENT.matcher(path);
            Matcher workflow = WORKFLOW.matcher(path);
            Matcher invocation = INVOCATION.matcher(path);
            if (route.equals(OTHER)) {
                event.setPathParameters(Map.of("proxy", path.substring("/v1/".length())));
            } else if (task.matches()) {
                event.setPathParameters(Map.of("id", task.group(1)));
            } else if (document.matches()) {
                event.setPathParameters(Map.of("id", document.group(1)));
            } else if (workflow.matches()) {
                event.setPathParameters(Map.of("id", workflow.group(1)));
            } else if (invocation.matches()) {
                event.setPathParameters(Map.of("id", invocation.group(1)));
            } else if (route.endsWith("/{id}") && (OWNED.matcher(path).matches() || SESSION.matcher(path).matches()
                    || CONVERSATION.matcher(path).matches())) {
                event.setPathParameters(Map.of("id", path.substring(path.lastIndexOf('/') + 1)));
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
            APIGatewayV2HTTPResponse response = (STATUS_ROUTES.contains(route) ? status : submit).handleRequest(event, null);
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
