package com.runwayrelay.local.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * A loopback HTTP server that checks every request's SigV4 signature the way AWS does: it rebuilds the
 * request from what arrived (method, path, query, the signed headers, the body), signs it again with the
 * SDK's signer at the request's {@code x-amz-date}, with the credentials and scope it expects, and
 * compares. A request that does not match gets 403 and is recorded as unsigned; one that matches gets
 * the answer scripted for its method and path.
 */
public final class FakeAwsServer implements AutoCloseable {
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

    static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDFAKEADMIN", "fake-admin-secret");

    private final HttpServer server;
    private final AwsBasicCredentials expected;
    private final String region;
    private final String service;
    private final Map<String, Answer> answers = new LinkedHashMap<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    /**
     * What to answer to {@code METHOD /path?query}, or else to {@code METHOD /path} whatever the query.
     *
     * @param retryAfter a {@code retry-after} header to send, or null
     */
    public record Answer(int status, String contentType, String body, String retryAfter) {
        public Answer(int status, String contentType, String body) {
            this(status, contentType, body, null);
        }

        public Answer withRetryAfter(String value) {
            return new Answer(status, contentType, body, value);
        }

        public static Answer json(int status, String body) {
            return new Answer(status, "application/json", body);
        }

        public static Answer problem(int status, String body) {
            return new Answer(status, "application/problem+json", body);
        }
    }

    /**
     * A request as it arrived.
     *
     * @param signatureValid whether its signature matched the one recomputed with the expected credentials
     * @param credentialScope the {@code Credential=} scope it named: {@code AKID/date/region/service}
     */
    public record Received(String method, String path, String rawQuery, Map<String, String> headers, String body,
                    boolean signatureValid, String credentialScope) {
    }

    FakeAwsServer(AwsBasicCredentials expected, String region, String service) {
        this.expected = expected;
        this.region = region;
        this.service = service;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeAwsServer admin(String region) {
        return new FakeAwsServer(CREDENTIALS, region, "execute-api");
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A target that signs with the credentials this server expects. */
    public AdminTarget target() {
        return target(CREDENTIALS);
    }

    AdminTarget target(AwsBasicCredentials signWith) {
        return new AdminTarget(url(), StaticCredentialsProvider.create(signWith), region, "the fake API", "a test's credentials");
    }

    AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(expected);
    }

    public FakeAwsServer answer(String method, String path, Answer answer) {
        answers.put(method + " " + path, answer);
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received last() {
        List<Received> all = received();
        if (all.isEmpty()) {
            throw new AssertionError("no request arrived");
        }
        return all.getLast();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            String authorization = headers.getOrDefault("authorization", "");
            Matcher matcher = AUTHORIZATION.matcher(authorization);
            boolean valid = matcher.matches() && recompute(exchange, headers, body, matcher.group(5)).equals(authorization);
            String scope = matcher.matches() ? matcher.group(1) + "/" + matcher.group(2) + "/" + matcher.group(3) + "/" + matcher.group(4) : "";
            URI uri = exchange.getRequestURI();
            received.add(new Received(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers,
                    new String(body, StandardCharsets.UTF_8), valid, scope));
            String route = exchange.getRequestMethod() + " " + uri.getRawPath();
            Answer answer = valid
                    ? answers.getOrDefault(route + "?" + uri.getRawQuery(), answers.getOrDefault(route, Answer.json(404, "{\"message\":\"Not Found\"}")))
                    : Answer.json(403, "{\"message\":\"The request signature we calculated does not match the signature you provided.\"}");
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", answer.contentType());
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().set("retry-after", answer.retryAfter());
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    /** The Authorization header the SDK's signer gives this request with the expected credentials and scope. */
    private String recompute(HttpExchange exchange, Map<String, String> headers, byte[] body, String signedHeaders) {
        String amzDate = headers.get("x-amz-date");
        if (amzDate == null) {
            return "";
        }
        Instant signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        URI uri = exchange.getRequestURI();
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(exchange.getRequestMethod()))
                .uri(URI.create("http://" + headers.get("host") + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())));
        for (String name : signedHeaders.split(";")) {
            if (!name.equals("host") && !name.equals("x-amz-date") && headers.containsKey(name)) {
                request.putHeader(name, headers.get(name));
            }
        }
        return AwsV4HttpSigner.create().sign(r -> r.identity(expected)
                        .request(request.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)))
                .request().firstMatchingHeader("Authorization").orElse("");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
