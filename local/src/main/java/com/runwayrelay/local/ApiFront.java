package com.runwayrelay.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The local HTTP API: listens on loopback, matches each request against the template's routes,
 * turns it into a payload 2.0 event, invokes the function that serves the route and writes its
 * response back, as API Gateway does. Errors API Gateway produces itself are mimicked too: 404
 * {@code {"message":"Not Found"}} for an unknown route, 413 above the 10 MiB payload limit, 500
 * {@code {"message":"Internal Server Error"}} when the function throws or returns nothing, and 503
 * {@code {"message":"Service Unavailable"}} after the 30 s integration timeout. A route the template
 * marks {@code AWS_IAM} runs only for a request signed with the stack's credentials
 * ({@link SigV4Check}); any other gets API Gateway's 403 before a function runs.
 */
final class ApiFront implements AutoCloseable {
    /** API Gateway HTTP APIs accept at most 10 MB of payload. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /** How much of an oversized body is read and dropped before the connection is simply closed. */
    static final long DRAIN_LIMIT = 64L * 1024 * 1024;
    /** API Gateway HTTP APIs give an integration at most 30 s. */
    static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(30);

    private final Clock clock;
    private final StackLog log;
    private final HttpServer server;
    private final ExecutorService exchanges;
    private final ExecutorService invocations;
    private final int port;
    private volatile RouteTable routes;
    private volatile Map<String, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions;
    private volatile Optional<SigV4Check> iam = Optional.empty();

    private ApiFront(Clock clock, StackLog log, HttpServer server) {
        this.clock = clock;
        this.log = log;
        this.server = server;
        this.port = server.getAddress().getPort();
        this.exchanges = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("relay-api-", 0).factory());
        this.invocations = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("relay-api-invoke-", 0).factory());
        server.setExecutor(exchanges);
        server.createContext("/", this::handle);
    }

    /**
     * Takes {@code 127.0.0.1:port} ({@code 0}: a free port) without serving yet, so a busy port is reported before
     * anything else starts. Connections wait in the backlog until {@link #serve}.
     *
     * @throws StackStartException if the port is busy
     */
    static ApiFront bind(int port, Clock clock, StackLog log) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        } catch (IOException e) {
            if (StackStartException.isPortConflict(e)) {
                throw StackStartException.portInUse("The API", port, "--port", e);
            }
            throw new StackStartException("The API cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        return new ApiFront(clock, log, server);
    }

    /**
     * Starts serving {@code routes}.
     *
     * @param functions the HTTP functions by logical id; every route's function must be there
     */
    void serve(RouteTable routes, Map<String, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions) {
        serve(routes, functions, Optional.empty());
    }

    /**
     * Starts serving {@code routes}, checking the signature of requests to {@code AWS_IAM} routes with
     * {@code iam}; without it, such routes refuse every request.
     */
    void serve(RouteTable routes, Map<String, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions,
               Optional<SigV4Check> iam) {
        this.iam = iam;
        for (RouteTable.Route route : routes.routes()) {
            if (!functions.containsKey(route.functionId())) {
                throw new IllegalArgumentException("route " + route.routeKey() + " needs function " + route.functionId() + ", which is not loaded");
            }
        }
        this.routes = routes;
        this.functions = Map.copyOf(functions);
        server.start();
    }

    /** {@link #bind} then {@link #serve}. */
    static ApiFront start(int port, RouteTable routes,
                          Map<String, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions,
                          Clock clock, StackLog log) {
        ApiFront front = bind(port, clock, log);
        try {
            front.serve(routes, functions);
        } catch (RuntimeException e) {
            front.close();
            throw e;
        }
        return front;
    }

    /** {@code http://localhost:<port>}. */
    URI baseUri() {
        return URI.create("http://localhost:" + port);
    }

    /** The port it listens on. */
    int port() {
        return port;
    }

    /** Stops listening, drops open exchanges and abandons running invocations. */
    @Override
    public void close() {
        server.stop(0);
        exchanges.shutdownNow();
        invocations.shutdownNow();
        try {
            exchanges.awaitTermination(5, TimeUnit.SECONDS);
            invocations.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String rawPath = uri.getRawPath();
        String requestId = UUID.randomUUID().toString();
        int status;
        String target = "-";
        Optional<SigV4Check.Refusal> refusal;
        try (exchange) {
            exchange.getResponseHeaders().add("apigw-requestid", requestId);
            byte[] body = readBody(exchange);
            if (body == null) {
                status = send(exchange, 413, "{\"message\":\"Request Entity Too Large\"}");
            } else {
                var match = routes.match(method, rawPath);
                if (match.isEmpty()) {
                    status = send(exchange, 404, "{\"message\":\"Not Found\"}");
                } else if (match.get().route().iamAuthorized()
                        && (refusal = iamRefusal(method, rawPath, uri.getRawQuery(), exchange, body)).isPresent()) {
                    target = "(IAM) " + refusal.get().errorType();
                    exchange.getResponseHeaders().set("x-amzn-errortype", refusal.get().errorType());
                    status = send(exchange, 403, Json.MAPPER.createObjectNode().put("message", refusal.get().message()).toString());
                } else {
                    LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function = functions.get(match.get().route().functionId());
                    target = function.spec().logicalId();
                    APIGatewayV2HTTPEvent event = HttpApiEvents.toEvent(request(exchange, rawPath, uri.getRawQuery(), body),
                            match.get(), requestId, clock.instant());
                    status = respond(exchange, function, event);
                }
            }
        }
        log.info(method + " " + rawPath + " -> " + status + "  " + target + " "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
    }

    private Optional<SigV4Check.Refusal> iamRefusal(String method, String rawPath, String rawQuery, HttpExchange exchange,
                                                    byte[] body) {
        if (iam.isEmpty()) {
            return Optional.of(new SigV4Check.Refusal("ForbiddenException", "Forbidden"));
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(value -> headers.add(Map.entry(name, value))));
        return iam.get().refusal(method, rawPath, rawQuery, headers, body);
    }

    private int respond(HttpExchange exchange, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function,
                        APIGatewayV2HTTPEvent event) throws IOException {
        String name = function.spec().logicalId();
        Duration timeout = function.spec().timeout().compareTo(INTEGRATION_TIMEOUT) < 0 ? function.spec().timeout() : INTEGRATION_TIMEOUT;
        Future<APIGatewayV2HTTPResponse> invocation = invocations.submit(() -> function.invoke(event));
        APIGatewayV2HTTPResponse response;
        try {
            response = invocation.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn(name + " did not answer " + event.getRouteKey() + " within " + timeout.toSeconds() + " s");
            return send(exchange, 503, "{\"message\":\"Service Unavailable\"}");
        } catch (ExecutionException e) {
            log.warn(name + " threw while serving " + event.getRouteKey() + ": " + stackTrace(e.getCause()));
            return send(exchange, 500, "{\"message\":\"Internal Server Error\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            invocation.cancel(true);
            return send(exchange, 503, "{\"message\":\"Service Unavailable\"}");
        }
        if (response == null) {
            log.warn(name + " returned no response for " + event.getRouteKey());
            return send(exchange, 500, "{\"message\":\"Internal Server Error\"}");
        }
        return write(exchange, response);
    }

    private static int write(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        int status = response.getStatusCode() == 0 ? 200 : response.getStatusCode();
        var headers = exchange.getResponseHeaders();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> {
                if (value != null) {
                    headers.set(name, value);
                }
            });
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> {
                if (values != null) {
                    values.forEach(value -> headers.add(name, value));
                }
            });
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(cookie -> headers.add("set-cookie", cookie));
        }
        byte[] body;
        if (response.getBody() == null) {
            body = new byte[0];
        } else if (response.getIsBase64Encoded()) {
            body = Base64.getDecoder().decode(response.getBody());
        } else {
            body = response.getBody().getBytes(StandardCharsets.UTF_8);
        }
        boolean noBody = body.length == 0 || status == 204 || status == 304 || status < 200;
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        return status;
    }

    private static int send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        return status;
    }

    /**
     * The body, or null when it exceeds {@link #MAX_BODY_BYTES}. An oversized body is still read (and dropped, up
     * to {@link #DRAIN_LIMIT}) so the client, which may still be sending, receives the 413 instead of a reset.
     */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length <= MAX_BODY_BYTES) {
                return body;
            }
            byte[] sink = new byte[64 * 1024];
            long drained = body.length;
            for (int read; drained < DRAIN_LIMIT && (read = in.read(sink)) >= 0; ) {
                drained += read;
            }
            return null;
        }
    }

    private HttpApiEvents.Request request(HttpExchange exchange, String rawPath, String rawQuery, byte[] body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(value -> headers.add(Map.entry(name, value))));
        String sourceIp = Objects.requireNonNullElse(exchange.getRemoteAddress().getAddress().getHostAddress(), "127.0.0.1");
        return new HttpApiEvents.Request(exchange.getRequestMethod(), rawPath, rawQuery, headers, body, sourceIp,
                exchange.getProtocol(), port);
    }

    private static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString().stripTrailing();
    }
}
