package com.runwayrelay.aws.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;

@WithAwsEmulators
class LinkSignerIT {
    private final AwsEmulators aws;

    LinkSignerIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @Test
    void signedLinkDownloadsTheObject_andEachSigningDiffers() throws Exception {
        byte[] bytes = "archived output".getBytes(StandardCharsets.UTF_8);
        aws.s3().putObject(b -> b.bucket(aws.bucketName()).key("outputs/app/t/0.txt"), RequestBody.fromBytes(bytes));
        LinkSigner signer = new LinkSigner(aws.s3Presigner(), aws.credentials(), aws.bucketName(),
                Duration.ofMinutes(10), Clock.systemUTC());

        LinkSigner.SignedLink first = signer.sign("outputs/app/t/0.txt");
        // A signature carries its signing second: sign again once the clock has passed it.
        long signedSecond = signedAt(first.url()).getEpochSecond();
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Instant.now().getEpochSecond() <= signedSecond) {
            assertTrue(System.nanoTime() - guard < 0, "the clock did not pass the signing second");
            Thread.sleep(20);
        }
        LinkSigner.SignedLink second = signer.sign("outputs/app/t/0.txt");

        assertNotEquals(first.url(), second.url());
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(second.url()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertArrayEquals(bytes, response.body());
        }
    }

    private static Instant signedAt(URI link) {
        for (String part : link.getRawQuery().split("&")) {
            if (part.startsWith("X-Amz-Date=")) {
                return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX").parse(part.substring("X-Amz-Date=".length()),
                        Instant::from);
            }
        }
        throw new AssertionError("no X-Amz-Date in " + link);
    }

    @Test
    void lifetimeIsCappedByTheSigningCredentials() {
        Instant now = Instant.parse("2026-11-21T06:00:00Z");
        AwsSessionCredentials session = AwsSessionCredentials.builder().accessKeyId("a").secretAccessKey("s")
                .sessionToken("t").expirationTime(now.plus(Duration.ofMinutes(20))).build();
        LinkSigner signer = new LinkSigner(aws.s3Presigner(), StaticCredentialsProvider.create(session),
                aws.bucketName(), Duration.ofHours(6), Clock.fixed(now, ZoneOffset.UTC));

        assertEquals(Duration.ofMinutes(19), signer.lifetime());
    }

    @Test
    void signsForTheTasksOwnLifetime_cappedByTheSigningCredentials() {
        Instant now = Instant.parse("2026-11-21T06:00:00Z");
        AwsSessionCredentials session = AwsSessionCredentials.builder().accessKeyId("a").secretAccessKey("s")
                .sessionToken("t").expirationTime(now.plus(Duration.ofMinutes(20))).build();
        LinkSigner signer = new LinkSigner(aws.s3Presigner(), StaticCredentialsProvider.create(session),
                aws.bucketName(), Duration.ofMinutes(10), Clock.fixed(now, ZoneOffset.UTC));

        LinkSigner.SignedLink shorter = signer.sign("outputs/app/t/0.txt", Duration.ofMinutes(2));
        LinkSigner.SignedLink longer = signer.sign("outputs/app/t/0.txt", Duration.ofHours(3));
        LinkSigner.SignedLink configured = signer.sign("outputs/app/t/0.txt", null);

        assertEquals(now.plus(Duration.ofMinutes(2)), shorter.expiresAt());
        assertEquals("120", expiresParameter(shorter.url()));
        assertEquals(now.plus(Duration.ofMinutes(19)), longer.expiresAt());
        assertEquals("1140", expiresParameter(longer.url()));
        assertEquals(now.plus(Duration.ofMinutes(10)), configured.expiresAt());
    }

    private static String expiresParameter(URI link) {
        for (String part : link.getRawQuery().split("&")) {
            if (part.startsWith("X-Amz-Expires=")) {
                return part.substring("X-Amz-Expires=".length());
            }
        }
        throw new AssertionError("no X-Amz-Expires in " + link);
    }
}
