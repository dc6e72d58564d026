package com.runwayrelay.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's webhook endpoint: one path per app ({@code /hooks/<n>}); every delivery is verified with
 * the official Standard Webhooks library and the app's secret, recorded by task id, and answered 204.
 * A delivery that fails verification is answered 401 and counted in {@link #rejected()}.
 */
final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One verified delivery. */
    record Delivery(String webhookId, String type) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<Integer, Webhook> verifiers = new ConcurrentHashMap<>();
    private final Map<String, List<Delivery>> byTask = new ConcurrentHashMap<>();
    private final AtomicLong rejected = new AtomicLong();

    private WebhookReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            WebhookReceiver receiver = new WebhookReceiver(server, executor);
            server.setExecutor(executor);
            server.createContext("/hooks/", receiver::handle);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the webhook receiver", e);
        }
    }

    void register(int app, String secret) {
        verifiers.put(app, new Webhook(secret));
    }

    URI url(int app) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + app);
    }

    List<Delivery> deliveries(String taskId) {
        return byTask.getOrDefault(taskId, List.of());
    }

    long rejected() {
        return rejected.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status;
            try {
                int app = Integer.parseInt(exchange.getRequestURI().getPath().substring("/hooks/".length()));
                var headers = exchange.getRequestHeaders();
                Map<String, List<String>> signed = Map.of(
                        "webhook-id", List.of(String.valueOf(headers.getFirst("webhook-id"))),
                        "webhook-timestamp", List.of(String.valueOf(headers.getFirst("webhook-timestamp"))),
                        "webhook-signature", List.of(String.valueOf(headers.getFirst("webhook-signature"))));
                verifiers.get(app).verify(body, signed);
                var payload = JSON.readTree(body);
                byTask.computeIfAbsent(payload.path("data").path("id").asText(), id -> new CopyOnWriteArrayList<>())
                        .add(new Delivery(headers.getFirst("webhook-id"), payload.path("type").asText()));
                status = 204;
            } catch (Exception e) {
                rejected.incrementAndGet();
                System.err.println("soak: webhook rejected: " + e);
                status = 401;
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
