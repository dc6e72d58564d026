package com.runwayrelay.domain.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutputLinkExpiryTest {

    @Test
    void readsJwtExpClaim_fromRunwayCdnLink() {
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"x\",\"exp\":1795329120}".getBytes(StandardCharsets.UTF_8));
        URI link = URI.create("https://dnznrvs05pmza.cloudfront.net/a/0.png?_jwt=eyJhbGciOiJIUzI1NiJ9." + payload + ".sig");

        assertEquals(Optional.of(Instant.ofEpochSecond(1795329120)), OutputLinkExpiry.of(link));
    }

    @Test
    void readsCloudFrontExpires() {
        assertEquals(Optional.of(Instant.ofEpochSecond(1700000000)),
                OutputLinkExpiry.of(URI.create("https://x.cloudfront.net/a.mp4?Expires=1700000000&Signature=s&Key-Pair-Id=k")));
    }

    @Test
    void readsSimulatorExp() {
        assertEquals(Optional.of(Instant.ofEpochSecond(1795328449)),
                OutputLinkExpiry.of(URI.create("http://127.0.0.1:1/_outputs/t/0/output.mp4?exp=1795328449&n=1&sig=s")));
    }

    @Test
    void addsAmzExpiresToAmzDate() {
        URI s3 = URI.create("https://b.s3.amazonaws.com/k?X-Amz-Date=20261121T063000Z&X-Amz-Expires=3600&X-Amz-Signature=s");

        assertEquals(Optional.of(Instant.parse("2026-11-21T07:30:00Z")), OutputLinkExpiry.of(s3));
    }

    @Test
    void knowsNothing_whenLinkCarriesNoExpiry() {
        assertEquals(Optional.empty(), OutputLinkExpiry.of(URI.create("https://x.cloudfront.net/a.png")));
        assertEquals(Optional.empty(), OutputLinkExpiry.of(URI.create("https://x.cloudfront.net/a.png?v=2")));
    }

    @Test
    void ignoresMalformedValues() {
        assertEquals(Optional.empty(), OutputLinkExpiry.of(URI.create("https://x/a?_jwt=not-a-jwt&exp=soon")));
        assertEquals(Optional.empty(), OutputLinkExpiry.of(URI.create("https://x/a?_jwt=a.%25%25.c")));
        assertEquals(Optional.empty(), OutputLinkExpiry.of(URI.create("https://x/a?X-Amz-Date=yesterday&X-Amz-Expires=60")));
    }
}
