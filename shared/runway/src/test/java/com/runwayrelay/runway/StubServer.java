package com.runwayrelay.runway;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tiny programmable HTTP server on 127.0.0.1 with a free port: answers with queued responders
 * in order (then the fallback) and records every request it read.
 */
final class StubServer implements AutoCloseable {

    /** One request as the server saw it. */
    record Recorded(String method, String path, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Produces the answer to one request whose body was already read. */
    @FunctionalInterface
    interface Responder {
        void respond(HttpExchange exchange, Recorded request) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Responder> queue = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile Responder fallback = json(500, "{\"error\":\"no response programmed\"}");

    private StubServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static StubServer start() throws IOException {
        return new StubServer(0);
    }

    static StubServer startOn(int port) throws IOException {
        return new StubServer(port);
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int port() {
        return server.getAddress().getPort();
    }

    StubServer enqueue(Responder... responders) {
        queue.addAll(List.of(responders));
        return this;
    }

    StubServer always(Responder responder) {
        this.fallback = responder;
        return this;
    }

    List<Recorded> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /**
     * The requests read so far, once there are at least {@code count} or {@code limit} has passed:
     * a client that gave up waiting does not mean the server has read the request yet.
     */
    List<Recorded> requestsOnceAtLeast(int count, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (requests) {
            while (requests.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    requests.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return List.copyOf(requests);
        }
    }

    Recorded onlyRequest() {
        List<Recorded> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + all.size());
        }
        return all.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Recorded recorded = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders(), body);
        synchronized (requests) {
            requests.add(recorded);
            requests.notifyAll();
        }
        Responder responder = queue.poll();
        (responder == null ? fallback : responder).respond(exchange, recorded);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    static Responder json(int status, String body, String... headerPairs) {
        return (exchange, request) -> {
            for (int i = 0; i + 1 < headerPairs.length; i += 2) {
                exchange.getResponseHeaders().add(headerPairs[i], headerPairs[i + 1]);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
        };
    }

    static Responder text(int status, String contentType, String body) {
        return (exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
        };
    }

    static Responder status(int status, Map<String, String> headers) {
        return (exchange, request) -> {
            headers.forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        };
    }

    /** Reads the request, then closes the connection without any response. */
    static Responder dropConnection() {
        return (exchange, request) -> exchange.close();
    }

    /** Answers only after {@code delay} (longer than the client's timeout in tests). */
    static Responder stall(Duration delay) {
        return (exchange, request) -> {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        };
    }

    private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }
}
