package com.runwayrelay.bench.soak;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP proxy in front of an AWS emulator that, by seeded probabilities, answers what the
 * real service answers when it is overloaded or failing, or drops the connection:
 *
 * <ul>
 *   <li>{@link Fault#THROTTLE}: DynamoDB 400 {@code ProvisionedThroughputExceededException} or
 *       {@code ThrottlingException} in DynamoDB's JSON error shape; S3 503 {@code SlowDown} XML;</li>
 *   <li>{@link Fault#SERVER_ERROR}: DynamoDB 500 {@code InternalServerError}; S3 500 {@code InternalError} XML;</li>
 *   <li>{@link Fault#DROP_BEFORE}: the connection is closed without forwarding or answering;</li>
 *   <li>{@link Fault#DROP_AFTER}: the request is forwarded (the emulator applies it), then the
 *       connection is closed without an answer.</li>
 * </ul>
 *
 * Every other request is forwarded byte for byte (the {@code Host} header included, so SigV4
 * signatures still match) over a fresh upstream connection, and the answer relayed. Faults are drawn
 * only while {@link #faultsEnabled(boolean) enabled}, so a harness can set up without them.
 */
public final class FaultProxy implements AutoCloseable {

    /** Which service's error shapes to answer with. */
    public enum Service { DYNAMODB, S3 }

    /** What happened to a request. */
    public enum Fault { THROTTLE, SERVER_ERROR, DROP_BEFORE, DROP_AFTER }

    /**
     * Probabilities (each 0..1, drawn in this order) of each fault per request.
     *
     * @param throttle    a throttling error
     * @param serverError a 500
     * @param dropBefore  a dropped connection before forwarding
     * @param dropAfter   a dropped connection after the emulator applied the request
     */
    public record Rates(double throttle, double serverError, double dropBefore, double dropAfter) {
        public Rates {
            for (double rate : new double[] {throttle, serverError, dropBefore, dropAfter}) {
                if (!(rate >= 0 && rate <= 1)) {
                    throw new IllegalArgumentException("fault rates are between 0 and 1, got " + rate);
                }
            }
        }

        /** No faults. */
        public static Rates none() {
            return new Rates(0, 0, 0, 0);
        }
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "content-length",
            "proxy-connection", "te", "upgrade", "date");

    private final HttpServer server;
    private final ExecutorService executor;
    private final InetSocketAddress upstream;
    private final Service service;
    private final Rates rates;
    private final Random random;
    private final AtomicBoolean enabled = new AtomicBoolean();
    private final AtomicLong forwarded = new AtomicLong();
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);

    private FaultProxy(HttpServer server, ExecutorService executor, InetSocketAddress upstream, Service service, Rates rates, long seed) {
        this.server = server;
        this.executor = executor;
        this.upstream = upstream;
        this.service = service;
        this.rates = rates;
        this.random = new Random(seed);
        for (Fault fault : Fault.values()) {
            injected.put(fault, new AtomicLong());
        }
    }

    /**
     * Listens on a free loopback port, forwarding to {@code upstream} ({@code http://127.0.0.1:port}); faults
     * start disabled.
     */
    public static FaultProxy start(URI upstream, Service service, Rates rates, long seed) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(rates, "rates");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            FaultProxy proxy = new FaultProxy(server, executor, new InetSocketAddress(upstream.getHost(), upstream.getPort()),
                    service, rates, seed);
            server.setExecutor(executor);
            server.createContext("/", proxy::handle);
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fault proxy", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Turns fault injection on or off (off: every request is forwarded). */
    public void faultsEnabled(boolean on) {
        enabled.set(on);
    }

    /** How many requests were forwarded to the emulator (drops after forwarding included). */
    public long forwarded() {
        return forwarded.get();
    }

    /** How many times each fault was injected. */
    public Map<Fault, Long> injected() {
        Map<Fault, Long> counts = new EnumMap<>(Fault.class);
        injected.forEach((fault, count) -> counts.put(fault, count.get()));
        return counts;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private Fault draw() {
        if (!enabled.get()) {
            return null;
        }
        synchronized (random) {
            if (random.nextDouble() < rates.throttle()) {
                return Fault.THROTTLE;
            }
            if (random.nextDouble() < rates.serverError()) {
                return Fault.SERVER_ERROR;
            }
            if (random.nextDouble() < rates.dropBefore()) {
                return Fault.DROP_BEFORE;
            }
            if (random.nextDouble() < rates.dropAfter()) {
                return Fault.DROP_AFTER;
            }
            return null;
        }
    }

    private boolean throttleAsThrottlingException() {
        synchronized (random) {
            return random.nextBoolean();
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Fault fault = draw();
            if (fault != null) {
                injected.get(fault).incrementAndGet();
            }
            switch (fault) {
                case null -> relay(exchange, forward(exchange, body));
                case THROTTLE -> answer(exchange, throttle());
                case SERVER_ERROR -> answer(exchange, serverError());
                case DROP_BEFORE -> drop(exchange);
                case DROP_AFTER -> {
                    forward(exchange, body);
                    drop(exchange);
                }
            }
        } catch (IOException e) {
            // the client or the emulator went away; the client sees a dropped connection, as it would in AWS
        }
    }

    /** An answer the proxy makes up. */
    private record Canned(int status, String contentType, String body) {
    }

    private Canned throttle() {
        if (service == Service.S3) {
            return new Canned(503, "application/xml", s3Error("SlowDown", "Please reduce your request rate."));
        }
        String type = throttleAsThrottlingException() ? "ThrottlingException" : "ProvisionedThroughputExceededException";
        return new Canned(400, "application/x-amz-json-1.0", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type
                + "\",\"message\":\"Rate of requests exceeds the allowed throughput (injected by the soak's fault proxy).\"}");
    }

    private Canned serverError() {
        if (service == Service.S3) {
            return new Canned(500, "application/xml", s3Error("InternalError", "We encountered an internal error. Please try again."));
        }
        return new Canned(500, "application/x-amz-json-1.0", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
                + "\"message\":\"Internal server error (injected by the soak's fault proxy).\"}");
    }

    private static String s3Error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>soak</RequestId><HostId>soak</HostId></Error>";
    }

    private static void answer(HttpExchange exchange, Canned canned) throws IOException {
        byte[] bytes = canned.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", canned.contentType());
        exchange.getResponseHeaders().set("x-amzn-RequestId", "soak");
        exchange.sendResponseHeaders(canned.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Closes the exchange without a status line: the JDK server then closes the connection, unanswered. */
    private static void drop(HttpExchange exchange) {
        exchange.close();
    }

    /** The emulator's answer, parsed from a connection it closes after answering. */
    record Upstream(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    }

    private Upstream forward(HttpExchange exchange, byte[] body) throws IOException {
        forwarded.incrementAndGet();
        try (Socket socket = new Socket(upstream.getAddress(), upstream.getPort())) {
            StringBuilder head = new StringBuilder();
            head.append(exchange.getRequestMethod()).append(' ').append(exchange.getRequestURI().toString()).append(" HTTP/1.1\r\n");
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.equalsIgnoreCase("expect")) {
                    values.forEach(value -> head.append(name).append(": ").append(value).append("\r\n"));
                }
            });
            if (body.length > 0 || exchange.getRequestHeaders().containsKey("Content-Length")) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return parse(socket.getInputStream(), exchange.getRequestMethod().equals("HEAD"));
        }
    }

    static Upstream parse(InputStream in, boolean head) throws IOException {
        byte[] all = in.readAllBytes();
        int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) {
            throw new IOException("the emulator closed the connection without a complete answer");
        }
        String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        List<Map.Entry<String, String>> headers = new java.util.ArrayList<>();
        boolean chunked = false;
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim();
            String value = lines[i].substring(colon + 1).trim();
            if (name.equalsIgnoreCase("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
            if (name.equalsIgnoreCase("content-length")) {
                length = Long.parseLong(value);
            }
            headers.add(Map.entry(name, value));
        }
        byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        byte[] body;
        if (head || status == 204 || status == 304) {
            body = new byte[0];
        } else if (chunked) {
            body = dechunk(rest);
        } else if (length >= 0) {
            if (rest.length < length) {
                throw new IOException("the emulator's answer was cut short");
            }
            body = java.util.Arrays.copyOf(rest, (int) length);
        } else {
            body = rest;
        }
        return new Upstream(status, headers, body);
    }

    private static byte[] dechunk(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOf(data, at, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (lineEnd < 0) {
                throw new IOException("malformed chunked answer");
            }
            String sizeText = new String(data, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int semicolon = sizeText.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
            at = lineEnd + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            if (at + size > data.length) {
                throw new IOException("chunked answer cut short");
            }
            out.write(data, at, size);
            at += size + 2;
        }
    }

    private static void relay(HttpExchange exchange, Upstream answer) throws IOException {
        for (Map.Entry<String, String> header : answer.headers()) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().add(header.getKey(), header.getValue());
            }
        }
        boolean noBody = exchange.getRequestMethod().equals("HEAD") || answer.status() == 204 || answer.status() == 304
                || answer.body().length == 0;
        exchange.sendResponseHeaders(answer.status(), noBody ? -1 : answer.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        return indexOf(data, 0, pattern);
    }

    private static int indexOf(byte[] data, int from, byte[] pattern) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
