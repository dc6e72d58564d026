package com.runwayrelay.local.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The console's HTTP server, on 127.0.0.1 only: the single-page UI ({@link ConsoleAssets}) and the signing
 * proxy to the admin API ({@link AdminProxy}), both behind {@link RequestGuard}. {@link #url()} is the address
 * to open, with this run's token in its fragment.
 */
public final class ConsoleServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final String token;
    private final AdminConnection connection;

    private ConsoleServer(HttpServer server, ExecutorService executor, String token, AdminConnection connection) {
        this.server = server;
        this.executor = executor;
        this.token = token;
        this.connection = connection;
    }

    /**
     * Starts serving on {@code 127.0.0.1:port} (0 picks a free port) with a fresh random token.
     *
     * @throws IOException when the port cannot be bound
     * @throws ConsoleUiMissingException when the UI was not built into the classpath
     */
    public static ConsoleServer start(int port, AdminConnection connection) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return start(port, connection, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }

    static ConsoleServer start(int port, AdminConnection connection, String token) throws IOException {
        ConsoleAssets assets = ConsoleAssets.fromClasspath();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        RequestGuard guard = new RequestGuard(server.getAddress().getPort(), token);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext(AdminProxy.PREFIX + "/", new AdminProxy(guard, connection));
        server.createContext("/", new GuardedAssets(guard, assets));
        server.start();
        return new ConsoleServer(server, executor, token, connection);
    }

    /** The address to open: {@code http://127.0.0.1:P/#token=...}. */
    public URI url() {
        return URI.create(origin() + "/#token=" + token);
    }

    /** {@code http://127.0.0.1:P}, without the token. */
    public URI origin() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What the proxy talks to. */
    public String target() {
        return connection.description();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    /** The UI, for this server's host names only (a rebound name gets nothing, not even the page). */
    private record GuardedAssets(RequestGuard guard, ConsoleAssets assets) implements com.sun.net.httpserver.HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                var refused = guard.checkHost(exchange.getRequestHeaders().getFirst("Host"));
                if (refused.isPresent()) {
                    problem(exchange, refused.get().status(), "refused", refused.get().reason());
                    return;
                }
                assets.handle(exchange);
            }
        }
    }

    /** Writes an RFC 9457 problem document made by the console itself (not the admin API). */
    static void problem(HttpExchange exchange, int status, String type, String detail) throws IOException {
        ObjectNode problem = JsonNodeFactory.instance.objectNode()
                .put("type", "urn:runway-relay:problem:console-" + type)
                .put("title", title(status))
                .put("status", status)
                .put("detail", detail);
        String body = problem.toString();
        send(exchange, status, "application/problem+json", body.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 421 -> "Misdirected Request";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
