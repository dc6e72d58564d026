package com.runwayrelay.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * What API Gateway does for an {@code AWS_IAM} route, against the local stack's one set of
 * credentials: checks the request's SigV4 {@code Authorization} header (service
 * {@code execute-api}, the stack's region) by signing the same request again with the AWS SDK's
 * signer, at the date the client signed it, and comparing the two signatures in constant time. A
 * request whose {@code X-Amz-Date} is more than {@link #MAX_SKEW} away from the stack's clock is
 * refused as expired. There is no IAM policy locally: whoever holds the stack's credentials may
 * call every admin route.
 *
 * <p>Only header signatures are accepted (not pre-signed query strings), as the CLI sends them.
 */
final class SigV4Check {
    /** How far {@code X-Amz-Date} may be from the stack's clock. */
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    static final String SERVICE = "execute-api";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request,\\s*"
            + "SignedHeaders=([a-z0-9;_.-]+),\\s*Signature=([0-9a-f]{64})");
    private static final Pattern SIGNATURE = Pattern.compile("Signature=([0-9a-f]{64})");

    private final String accessKeyId;
    private final String secretAccessKey;
    private final String region;
    private final Clock clock;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * @param clock the stack's clock, against which signatures expire
     */
    SigV4Check(String accessKeyId, String secretAccessKey, String region, Clock clock) {
        this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
        this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        this.region = Objects.requireNonNull(region, "region");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The check for the stack's {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_REGION}. */
    static SigV4Check forEnvironment(Map<String, String> awsEnvironment, Clock clock) {
        return new SigV4Check(awsEnvironment.get("AWS_ACCESS_KEY_ID"), awsEnvironment.get("AWS_SECRET_ACCESS_KEY"),
                awsEnvironment.get("AWS_REGION"), clock);
    }

    /**
     * Why API Gateway would refuse the request, or empty when it is signed with the stack's credentials.
     *
     * @param rawPath  the percent-encoded path
     * @param rawQuery the percent-encoded query without {@code ?}, or null
     * @param headers  every header as received, names in any case
     */
    Optional<Refusal> refusal(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
                              byte[] body) {
        String authorization = header(headers, "authorization");
        if (authorization == null) {
            return Optional.of(new Refusal("MissingAuthenticationTokenException", "Forbidden"));
        }
        Matcher auth = AUTHORIZATION.matcher(authorization.strip());
        if (!auth.matches()) {
            return Optional.of(new Refusal("IncompleteSignatureException", "Authorization header requires 'Credential',"
                    + " 'Signature' and 'SignedHeaders' parameters for AWS4-HMAC-SHA256."));
        }
        if (!MessageDigest.isEqual(auth.group(1).getBytes(StandardCharsets.UTF_8), accessKeyId.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Refusal("UnrecognizedClientException", "The security token included in the request is invalid."));
        }
        String amzDate = header(headers, "x-amz-date");
        Instant signedAt;
        try {
            signedAt = amzDate == null ? null : Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            signedAt = null;
        }
        if (signedAt == null) {
            return Optional.of(new Refusal("IncompleteSignatureException",
                    "Authorization header requires existence of a valid 'X-Amz-Date' header."));
        }
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            return Optional.of(new Refusal("InvalidSignatureException", "Signature expired: " + amzDate + " is now "
                    + (signedAt.isBefore(now) ? "earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW))
                    : "later than " + AMZ_DATE.format(now.plus(MAX_SKEW))) + " (" + AMZ_DATE.format(now) + " "
                    + (signedAt.isBefore(now) ? "-" : "+") + " " + MAX_SKEW.toMinutes() + " min.)"));
        }
        if (!auth.group(2).equals(amzDate.substring(0, 8)) || !auth.group(3).equals(region)
                || !auth.group(4).equals(SERVICE)) {
            return Optional.of(new Refusal("InvalidSignatureException", "Credential should be scoped to a valid region,"
                    + " service '" + SERVICE + "' and the date of X-Amz-Date (" + region + ")."));
        }
        String expected;
        try {
            expected = signature(method, rawPath, rawQuery, headers, auth.group(5), body, signedAt);
        } catch (RuntimeException e) {
            expected = null;
        }
        if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.group(6).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(new Refusal("InvalidSignatureException", "The request signature we calculated does not"
                    + " match the signature you provided. Check your AWS Secret Access Key and signing method."));
        }
        return Optional.empty();
    }

    /** The signature of the request as the SDK signs it: the signed headers only, at {@code signedAt}. */
    private String signature(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
                             String signedHeaders, byte[] body, Instant signedAt) {
        Set<String> signed = new HashSet<>(List.of(signedHeaders.split(";")));
        String host = header(headers, "host");
        if (host == null || !signed.contains("host")) {
            return null;
        }
        int colon = host.lastIndexOf(':');
        boolean hasPort = colon > 0 && host.indexOf(']') < colon;
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(method.toUpperCase(Locale.ROOT)))
                .protocol("http")
                .host(hasPort ? host.substring(0, colon) : host)
                .encodedPath(rawPath);
        if (hasPort) {
            request.port(Integer.parseInt(host.substring(colon + 1)));
        }
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                request.appendRawQueryParameter(decode(eq < 0 ? pair : pair.substring(0, eq)),
                        eq < 0 ? null : decode(pair.substring(eq + 1)));
            }
        }
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (signed.contains(name) && !name.equals("host")) {
                request.appendHeader(name, header.getValue());
            }
        }
        var signedRequest = signer.sign(r -> r.identity(AwsCredentialsIdentity.create(accessKeyId, secretAccessKey))
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        String recomputed = signedRequest.request().firstMatchingHeader("Authorization").orElse("");
        Matcher m = SIGNATURE.matcher(recomputed);
        return m.find() ? m.group(1) : null;
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String header(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /**
     * A refused request, as API Gateway answers it: 403, {@code x-amzn-ErrorType} and {@code {"message": ...}}.
     *
     * @param errorType the value of {@code x-amzn-ErrorType}
     * @param message   the body's {@code message}
     */
    record Refusal(String errorType, String message) {
    }
}
