package com.runwayrelay.aws.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedUploadPartRequest;

class PartSignerTest {
    private static final StaticCredentialsProvider SESSION = StaticCredentialsProvider.create(
            AwsSessionCredentials.create("ASIAEXAMPLE", "secret/key+1", "session-token/+="));
    private static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @Test
    void signsLaterPartsExactlyAsThePresignerWould_onAwsVirtualHostEndpoint() {
        try (S3Presigner presigner = S3Presigner.builder().region(Region.EU_WEST_1).credentialsProvider(SESSION).build()) {
            assertSameAsPresigner(presigner);
        }
    }

    @Test
    void signsLaterPartsExactlyAsThePresignerWould_onPathStyleEndpointOverride() {
        try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(SESSION)
                .endpointOverride(URI.create("http://127.0.0.1:9000"))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
            assertSameAsPresigner(presigner);
        }
    }

    @Test
    void presignsTheFirstPartOfEachObjectWithThePresigner_andNoOtherPart() {
        AtomicInteger presigned = new AtomicInteger();
        // The presigner resolves its credentials once per presign; the signer's own provider is another one.
        AwsCredentialsProvider counting = () -> {
            presigned.incrementAndGet();
            return SESSION.resolveCredentials();
        };
        try (S3Presigner presigner = S3Presigner.builder().region(Region.EU_WEST_1).credentialsProvider(counting).build()) {
            PartSigner signer = new PartSigner(presigner, SESSION, Clock.systemUTC());

            PartSigner.Signed a1 = signer.sign(part("a.mp4", 1), 10, LIFETIME);
            PartSigner.Signed a2 = signer.sign(part("a.mp4", 2), 10, LIFETIME);
            signer.sign(part("a.mp4", 3), 10, LIFETIME);
            PartSigner.Signed b1 = signer.sign(part("b.mp4", 1), 10, LIFETIME);

            assertEquals(2, presigned.get(), "one presign per object");
            assertEquals("/out/a.mp4", a2.url().getPath());
            assertEquals("/out/b.mp4", b1.url().getPath());
            assertEquals(a1.url().getHost(), a2.url().getHost());
            assertEquals("2", query(a2.url()).get("partNumber"));
            assertNotEquals(query(a1.url()).get("X-Amz-Signature"), query(a2.url()).get("X-Amz-Signature"));
        }
    }

    /**
     * Part 7 of an object whose part 1 the presigner signed: the direct signature, made at the instant the
     * presigner signed its own part 7, is the presigner's (same URL, query and signed headers).
     */
    private static void assertSameAsPresigner(S3Presigner presigner) {
        PresignedUploadPartRequest expected = presigner.presignUploadPart(p -> p.signatureDuration(LIFETIME)
                .uploadPartRequest(r -> r.bucket("archive-bucket").key("outputs/app 1/t+1/0.mp4").uploadId("up/1+=x")
                        .partNumber(7).contentLength(8_388_608L).checksumCRC32("y/Q5Jg==")));
        Instant signedAt = AMZ_DATE.parse(query(expected.url()).get("X-Amz-Date"), Instant::from);
        PartSigner signer = new PartSigner(presigner, SESSION, Clock.fixed(signedAt, ZoneOffset.UTC));
        signer.sign(new PartUploader.Part("archive-bucket", "outputs/app 1/t+1/0.mp4", "up/1+=x", 1, "AAAAAA=="), 5,
                LIFETIME);

        PartSigner.Signed actual = signer.sign(new PartUploader.Part("archive-bucket", "outputs/app 1/t+1/0.mp4",
                "up/1+=x", 7, "y/Q5Jg=="), 8_388_608, LIFETIME);

        assertEquals(expected.url().getProtocol() + "://" + expected.url().getAuthority() + expected.url().getPath(),
                actual.url().getProtocol() + "://" + actual.url().getAuthority() + actual.url().getPath());
        assertEquals(query(expected.url()), query(actual.url()));
        assertEquals(lowerCase(expected.signedHeaders()), lowerCase(actual.signedHeaders()));
        assertTrue(query(actual.url()).containsKey("X-Amz-Security-Token"));
    }

    private static PartUploader.Part part(String key, int number) {
        return new PartUploader.Part("bucket", "out/" + key, "upload-" + key, number, "AAAAAA==");
    }

    private static Map<String, String> query(URL url) {
        Map<String, String> parameters = new TreeMap<>();
        for (String pair : url.getQuery().split("&")) {
            int eq = pair.indexOf('=');
            parameters.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static Map<String, Object> lowerCase(Map<String, java.util.List<String>> headers) {
        Map<String, Object> out = new TreeMap<>();
        headers.forEach((name, values) -> out.put(name.toLowerCase(java.util.Locale.ROOT), values));
        return out;
    }
}
