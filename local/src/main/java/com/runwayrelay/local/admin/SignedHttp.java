package com.runwayrelay.local.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Sends one request signed with SigV4 by the SDK's {@link AwsV4HttpSigner}, over the JDK client.
 * The request goes out as signed: the caller's URI (the signature covers its query in canonical order,
 * whatever order it is sent in) and the signed headers, less those the JDK client sets itself
 * ({@code host}, {@code content-length}, which it computes to the same values).
 */
final class SignedHttp {
    /** Headers the JDK client refuses to take from the caller. */
    private static final Set<String> SET_BY_TRANSPORT = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final HttpClient http;
    private final Clock clock;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    SignedHttp(HttpClient http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    static SignedHttp create() {
        return new SignedHttp(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build(), Clock.systemUTC());
    }

    /** What came back: the status, the content type (or ""), the body as text and the retry-after header (or null). */
    record Answer(int status, String contentType, String body, String retryAfter) {
    }

    /**
     * Signs and sends a request.
     *
     * @param body the body, or null for none
     * @throws IOException when the server cannot be reached or the connection fails
     */
    Answer send(String method, URI uri, Map<String, String> headers, byte[] body, AwsCredentialsProvider credentials,
                String region, String service) throws IOException, InterruptedException {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(unsigned::putHeader);
        SignedRequest signed = signer.sign(r -> {
            r.identity(credentials.resolveCredentials())
                    .request(unsigned.build())
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock);
            if (body != null) {
                r.payload(ContentStreamProvider.fromByteArrayUnsafe(body));
            }
        });
        SdkHttpRequest request = signed.request();
        HttpRequest.Builder out = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        request.forEachHeader((name, values) -> {
            if (!SET_BY_TRANSPORT.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> out.header(name, value));
            }
        });
        HttpResponse<String> response = http.send(out.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(response.statusCode(), response.headers().firstValue("content-type").orElse(""), response.body(),
                response.headers().firstValue("retry-after").orElse(null));
    }

    static Map<String, String> jsonHeaders() {
        return Map.of("content-type", "application/json", "accept", "application/json");
    }
}
