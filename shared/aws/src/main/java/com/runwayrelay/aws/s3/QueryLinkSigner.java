package com.runwayrelay.aws.s3;

import com.runwayrelay.domain.gateway.ArchiveAccess;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;

/**
 * Pre-signs GET links to archived objects like {@link LinkSigner}, with the SigV4 signer every AWS
 * SDK client already carries ({@code http-auth-aws}) instead of the S3 module's presigner, so a
 * function that does not talk to S3 (submit, which answers a held create with the task's links) can
 * sign links without shipping the S3 SDK (several MB of its package). The link is the one the S3
 * presigner makes: path style against an endpoint override (the emulators), virtual-host style
 * against AWS; query authentication with an unsigned payload; the lifetime capped by the signing
 * credentials' remaining life minus a minute, as {@link LinkSigner} does.
 */
public final class QueryLinkSigner {
    private static final Duration MARGIN = Duration.ofMinutes(1);
    private static final Duration MINIMUM = Duration.ofSeconds(1);
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final AwsCredentialsProvider credentials;
    private final String region;
    private final Optional<URI> endpoint;
    private final String bucket;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param endpoint an S3 endpoint override (emulators; buckets by path), or empty for AWS's regional endpoint
     * @param ttl      the deployment's link lifetime
     */
    public QueryLinkSigner(AwsCredentialsProvider credentials, String region, Optional<URI> endpoint, String bucket,
                           Duration ttl, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.region = Objects.requireNonNull(region, "region");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A link to {@code key} valid for {@code requested} (a task's own lifetime; null for the
     * deployment's), capped by the signing credentials' remaining life.
     */
    public ArchiveAccess.Link sign(String key, Duration requested) {
        AwsCredentials identity = credentials.resolveCredentials();
        Instant now = clock.instant();
        Duration lifetime = lifetime(identity, requested == null ? ttl : requested, now);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(objectUri(key)).build();
        SdkHttpRequest signed = SIGNER.sign(SignRequest.builder(identity).request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, lifetime)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)
                .build()).request();
        return new ArchiveAccess.Link(signed.getUri(), now.plus(lifetime));
    }

    private URI objectUri(String key) {
        String path = "/" + encodePath(key);
        if (endpoint.isPresent()) {
            URI base = endpoint.get();
            String prefix = base.getRawPath() == null || base.getRawPath().equals("/") ? "" : base.getRawPath();
            return URI.create(base.getScheme() + "://" + base.getRawAuthority() + prefix + "/" + encodePath(bucket) + path);
        }
        String suffix = region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
        return URI.create("https://" + bucket + ".s3." + region + suffix + path);
    }

    /** S3's key encoding: every byte but unreserved characters and '/' percent-encoded. */
    static String encodePath(String key) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static Duration lifetime(AwsCredentials identity, Duration wanted, Instant now) {
        Optional<Instant> expiry = identity.expirationTime();
        if (expiry.isEmpty()) {
            return wanted;
        }
        Duration remaining = Duration.between(now, expiry.get()).minus(MARGIN);
        if (remaining.compareTo(MINIMUM) < 0) {
            return MINIMUM;
        }
        return remaining.compareTo(wanted) < 0 ? remaining : wanted;
    }
}
