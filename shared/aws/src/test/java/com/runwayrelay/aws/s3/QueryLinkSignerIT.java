package com.runwayrelay.aws.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.domain.gateway.ArchiveAccess;
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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;

/** Links signed without the S3 module are links S3 (s3proxy, which checks SigV4) honours, and only as signed. */
@WithAwsEmulators
class QueryLinkSignerIT {
    private final AwsEmulators aws;

    QueryLinkSignerIT(AwsEmulators aws) {
        this.aws = aws;
    }

    private QueryLinkSigner signer(Clock clock) {
        return new QueryLinkSigner(aws.credentials(), aws.region().id(), Optional.of(aws.s3Endpoint()), aws.bucketName(),
                Duration.ofMinutes(10), clock);
    }

    private static HttpResponse<byte[]> get(URI link) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(link).build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    @Test
    void signedLinkDownloadsTheObject_evenWithSpacesAndNonAsciiInTheKey() throws Exception {
        byte[] bytes = "archived output".getBytes(StandardCharsets.UTF_8);
        String key = "outputs/app/t é 1/0+1.txt";
        aws.s3().putObject(b -> b.bucket(aws.bucketName()).key(key), RequestBody.fromBytes(bytes));

        ArchiveAccess.Link link = signer(Clock.systemUTC()).sign(key, Duration.ofSeconds(120));

        HttpResponse<byte[]> response = get(link.url());
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertArrayEquals(bytes, response.body());
        assertEquals("120", query(link.url(), "X-Amz-Expires"));
    }

    @Test
    void aTamperedOrExpiredLinkIsRefused() throws Exception {
        aws.s3().putObject(b -> b.bucket(aws.bucketName()).key("outputs/app/t/1.txt"), RequestBody.fromString("x"));
        ArchiveAccess.Link link = signer(Clock.systemUTC()).sign("outputs/app/t/1.txt", null);
        ArchiveAccess.Link old = signer(Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC))
                .sign("outputs/app/t/1.txt", Duration.ofMinutes(5));

        assertEquals(403, get(URI.create(link.url().toString().replace("/1.txt", "/2.txt"))).statusCode());
        assertEquals(403, get(old.url()).statusCode(), "signed an hour ago for five minutes");
    }

    @Test
    void lifetimeIsCappedByTheSigningCredentials() {
        Instant now = Instant.parse("2026-11-21T06:00:00Z");
        AwsSessionCredentials session = AwsSessionCredentials.builder().accessKeyId("a").secretAccessKey("s")
                .sessionToken("t").expirationTime(now.plus(Duration.ofMinutes(20))).build();
        QueryLinkSigner capped = new QueryLinkSigner(StaticCredentialsProvider.create(session), "us-east-1", Optional.empty(),
                "bucket-1", Duration.ofHours(6), Clock.fixed(now, ZoneOffset.UTC));

        ArchiveAccess.Link link = capped.sign("outputs/a b.png", null);

        assertEquals(now.plus(Duration.ofMinutes(19)), link.expiresAt());
        assertEquals("https://bucket-1.s3.us-east-1.amazonaws.com/outputs/a%20b.png", link.url().toString().split("\\?")[0]);
        assertEquals("1140", query(link.url(), "X-Amz-Expires"));
    }

    private static String query(URI link, String name) {
        for (String part : link.getRawQuery().split("&")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + link);
    }
}
