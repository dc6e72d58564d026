package com.runwayrelay.aws.archive;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedUploadPartRequest;

/**
 * Pre-signs each attempt of an {@code UploadPart} request, as the S3 presigner would, for a
 * fraction of its CPU.
 *
 * <p>The first part of an object is signed by the SDK's {@link S3Presigner}: its endpoint rules
 * decide the object's URL (virtual host or path style, the region's endpoint) and the signing
 * scope (region, service), which this class keeps per object. Every later part of that object is
 * signed with the SigV4 signer the presigner itself uses ({@code http-auth-aws}), on the kept URL
 * with that part's {@code partNumber} and {@code uploadId}: the same query authentication, the same
 * signed headers ({@code content-length}, {@code host}, {@code x-amz-checksum-crc32}), an unsigned
 * payload. What is skipped is the presigner's per-call pipeline (request marshalling, interceptors,
 * endpoint-rule evaluation, auth-scheme resolution), which cost the archiver about 2 ms of CPU per
 * part while the JVM was still warming up, and much of the JIT's work on top (docs/BENCHMARKS.md).
 *
 * <p>Thread-safe.
 */
final class PartSigner {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
    /** Objects whose URL and scope are kept: uploads in flight at once are few. */
    private static final int KEPT_OBJECTS = 16;

    /** Where an object's parts go and how they are signed, as the presigner decided for its first part. */
    record Scope(String scheme, String host, int port, String encodedPath, String region, String service) {

        /** Reads a presigned {@code UploadPart} URL: its object's address and its {@code X-Amz-Credential} scope. */
        static Scope of(URL presigned) {
            URI uri;
            try {
                uri = presigned.toURI();
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("the presigner made an invalid URL", e);
            }
            String credential = null;
            for (String parameter : uri.getRawQuery().split("&")) {
                if (parameter.startsWith("X-Amz-Credential=")) {
                    credential = java.net.URLDecoder.decode(parameter.substring("X-Amz-Credential=".length()),
                            java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            // <access key>/<date>/<region>/<service>/aws4_request
            String[] parts = credential == null ? new String[0] : credential.split("/");
            if (parts.length != 5) {
                throw new IllegalArgumentException("the presigned URL has no SigV4 credential scope");
            }
            return new Scope(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(), parts[2], parts[3]);
        }
    }

    /** One attempt's request: where to send it, and the headers its signature covers. */
    record Signed(URL url, Map<String, List<String>> signedHeaders) {
    }

    private final S3Presigner presigner;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final Clock clock;
    private final Map<String, Scope> scopes = new LinkedHashMap<>(KEPT_OBJECTS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Scope> eldest) {
            return size() > KEPT_OBJECTS;
        }
    };

    /**
     * @param presigner   signs the first part of each object
     * @param credentials the presigner's credentials, for the later parts
     * @param clock       the signing time
     */
    PartSigner(S3Presigner presigner, IdentityProvider<? extends AwsCredentialsIdentity> credentials, Clock clock) {
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Signs one attempt to send {@code length} bytes as {@code part}, valid for {@code lifetime}.
     *
     * @throws SdkException when the presigner or the credentials fail
     */
    Signed sign(PartUploader.Part part, int length, Duration lifetime) {
        String object = part.bucket() + "/" + part.key();
        Scope scope;
        synchronized (scopes) {
            scope = scopes.get(object);
        }
        if (scope == null) {
            PresignedUploadPartRequest presigned = presigner.presignUploadPart(p -> p.signatureDuration(lifetime)
                    .uploadPartRequest(r -> r.bucket(part.bucket()).key(part.key()).uploadId(part.uploadId())
                            .partNumber(part.number()).contentLength((long) length).checksumCRC32(part.crc32())));
            Scope learned = Scope.of(presigned.url());
            synchronized (scopes) {
                scopes.put(object, learned);
            }
            return new Signed(presigned.url(), presigned.signedHeaders());
        }
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.PUT)
                .protocol(scope.scheme())
                .host(scope.host())
                .port(scope.port() == -1 ? null : scope.port())
                .encodedPath(scope.encodedPath())
                .putRawQueryParameter("partNumber", Integer.toString(part.number()))
                .putRawQueryParameter("uploadId", part.uploadId())
                .putHeader("Content-Length", Integer.toString(length))
                .putHeader("x-amz-checksum-crc32", part.crc32())
                .build();
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        SdkHttpRequest signed = SIGNER.sign(SignRequest.builder(identity).request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, scope.service())
                .putProperty(AwsV4HttpSigner.REGION_NAME, scope.region())
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, lifetime)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)
                .build()).request();
        try {
            return new Signed(signed.getUri().toURL(), signed.headers());
        } catch (MalformedURLException e) {
            throw new IllegalStateException("the signed part request has an invalid URL", e);
        }
    }
}
