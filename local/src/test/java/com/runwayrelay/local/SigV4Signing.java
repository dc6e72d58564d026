package com.runwayrelay.local;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Signs requests the way an operator's client does (the SDK's SigV4 signer, service execute-api). */
final class SigV4Signing {
    private SigV4Signing() {
    }

    /** The signed request's headers (host, x-amz-date, x-amz-content-sha256 if any, authorization, content-type). */
    static List<Map.Entry<String, String>> sign(String method, URI uri, String body, String accessKeyId, String secret,
                                                String region, Instant at) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().uri(uri)
                .method(SdkHttpMethod.fromValue(method)).putHeader("content-type", "application/json");
        var signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(accessKeyId, secret))
                .request(request.build())
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        signed.request().forEachHeader((name, values) -> values.forEach(v -> headers.add(Map.entry(name, v))));
        if (signed.request().firstMatchingHeader("host").isEmpty()) {
            headers.add(Map.entry("Host", uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort()));
        }
        return headers;
    }

    /** A JDK request carrying the signed headers (the JDK client sets host itself, from the URI). */
    static HttpRequest httpRequest(String method, URI uri, String body, List<Map.Entry<String, String>> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).method(method, body.isEmpty()
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (Map.Entry<String, String> header : headers) {
            if (!header.getKey().equalsIgnoreCase("host")) {
                builder.header(header.getKey(), header.getValue());
            }
        }
        return builder.build();
    }
}
