package com.runwayrelay.aws.s3;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;

/**
 * Pre-signs GET links to archived objects. A link can never outlive the credentials that signed
 * it (S3 rejects it once they expire), so the lifetime is the configured one capped at the
 * signing credentials' remaining life minus a minute. Links are cheap: callers sign anew on
 * every read instead of storing links.
 */
public final class LinkSigner {
    private static final Duration MARGIN = Duration.ofMinutes(1);
    private static final Duration MINIMUM = Duration.ofSeconds(1);

    private final S3Presigner presigner;
    private final AwsCredentialsProvider credentials;
    private final String bucket;
    private final Duration ttl;
    private final Clock clock;

    public LinkSigner(S3Presigner presigner, AwsCredentialsProvider credentials, String bucket, Duration ttl,
                      Clock clock) {
        this.presigner = presigner;
        this.credentials = credentials;
        this.bucket = bucket;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A link to {@code key} valid for {@link #lifetime()} from now. */
    public SignedLink sign(String key) {
        return sign(key, null);
    }

    /**
     * A link to {@code key} valid for {@code requested} (a task's own lifetime; null for the
     * configured one), capped like {@link #lifetime()} by the signing credentials' remaining life.
     */
    public SignedLink sign(String key, Duration requested) {
        Duration lifetime = lifetime(requested == null ? ttl : requested);
        URI url = URI.create(presigner.presignGetObject(GetObjectPresignRequest.builder()
                .signatureDuration(lifetime)
                .getObjectRequest(GetObjectRequest.builder().bucket(bucket).key(key).build())
                .build()).url().toString());
        return new SignedLink(url, clock.instant().plus(lifetime));
    }

    /** The configured lifetime, capped by the signing credentials' remaining life. */
    public Duration lifetime() {
        return lifetime(ttl);
    }

    private Duration lifetime(Duration wanted) {
        AwsCredentials current = credentials.resolveCredentials();
        Optional<Instant> expiry = current.expirationTime();
        if (expiry.isEmpty()) {
            return wanted;
        }
        Duration remaining = Duration.between(clock.instant(), expiry.get()).minus(MARGIN);
        if (remaining.compareTo(MINIMUM) < 0) {
            return MINIMUM;
        }
        return remaining.compareTo(wanted) < 0 ? remaining : wanted;
    }

    /**
     * A pre-signed link.
     *
     * @param url       the link
     * @param expiresAt when S3 stops honouring it
     */
    public record SignedLink(URI url, Instant expiresAt) {
    }
}
