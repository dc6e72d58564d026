package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.memory.ManualClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigV4CheckTest {
    private static final String KEY_ID = "AKIDLOCALSTACK";
    private static final String SECRET = "local-secret";
    private static final String REGION = "us-east-1";
    private static final Instant NOW = Instant.parse("2026-12-03T08:30:00Z");
    private static final URI URL = URI.create("http://localhost:3000/admin/v1/tasks?appId=app_1&limit=5");
    private static final String BODY = "{\"name\":\"storyboard\"}";

    private final ManualClock clock = new ManualClock(NOW);
    private final SigV4Check check = new SigV4Check(KEY_ID, SECRET, REGION, clock);

    private Optional<SigV4Check.Refusal> verify(List<Map.Entry<String, String>> headers, String path, String query,
                                                String body) {
        return check.refusal("POST", path, query, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Map.Entry<String, String>> signed(String keyId, String secret, String region, Instant at) {
        return SigV4Signing.sign("POST", URL, BODY, keyId, secret, region, at);
    }

    @Test
    void acceptsARequestSignedWithTheStackCredentials() {
        assertEquals(Optional.empty(), verify(signed(KEY_ID, SECRET, REGION, NOW), URL.getRawPath(), URL.getRawQuery(), BODY));
    }

    @Test
    void acceptsASignatureFromALittleWhileAgo() {
        assertEquals(Optional.empty(), verify(signed(KEY_ID, SECRET, REGION, NOW.minus(Duration.ofMinutes(14))),
                URL.getRawPath(), URL.getRawQuery(), BODY));
    }

    @Test
    void refusesAnUnsignedRequest() {
        Optional<SigV4Check.Refusal> refusal = verify(List.of(Map.entry("Host", "localhost:3000")), URL.getRawPath(),
                URL.getRawQuery(), BODY);

        assertEquals("Forbidden", refusal.orElseThrow().message());
    }

    @Test
    void refusesAWrongSecret() {
        Optional<SigV4Check.Refusal> refusal = verify(signed(KEY_ID, "not-the-secret", REGION, NOW), URL.getRawPath(),
                URL.getRawQuery(), BODY);

        assertEquals("InvalidSignatureException", refusal.orElseThrow().errorType());
        assertTrue(refusal.get().message().startsWith("The request signature we calculated does not match"));
    }

    @Test
    void refusesAnUnknownAccessKey() {
        Optional<SigV4Check.Refusal> refusal = verify(signed("AKIDSOMEONEELSE", SECRET, REGION, NOW), URL.getRawPath(),
                URL.getRawQuery(), BODY);

        assertEquals("UnrecognizedClientException", refusal.orElseThrow().errorType());
    }

    @Test
    void refusesAnotherRegion() {
        assertEquals("InvalidSignatureException", verify(signed(KEY_ID, SECRET, "eu-west-1", NOW), URL.getRawPath(),
                URL.getRawQuery(), BODY).orElseThrow().errorType());
    }

    @Test
    void refusesATamperedBodyPathQueryOrHeader() {
        List<Map.Entry<String, String>> headers = signed(KEY_ID, SECRET, REGION, NOW);

        assertTrue(verify(headers, URL.getRawPath(), URL.getRawQuery(), "{\"name\":\"other\"}").isPresent(), "body");
        assertTrue(verify(headers, "/admin/v1/apps", URL.getRawQuery(), BODY).isPresent(), "path");
        assertTrue(verify(headers, URL.getRawPath(), "appId=app_2&limit=5", BODY).isPresent(), "query");
        List<Map.Entry<String, String>> otherType = new ArrayList<>(headers.stream()
                .filter(h -> !h.getKey().equalsIgnoreCase("content-type")).toList());
        otherType.add(Map.entry("Content-Type", "text/plain"));
        assertTrue(verify(otherType, URL.getRawPath(), URL.getRawQuery(), BODY).isPresent(), "a signed header");
    }

    @Test
    void refusesAnExpiredSignature_signedTwentyMinutesBeforeTheStackClock() {
        Optional<SigV4Check.Refusal> refusal = verify(signed(KEY_ID, SECRET, REGION, NOW.minus(Duration.ofMinutes(20))),
                URL.getRawPath(), URL.getRawQuery(), BODY);

        assertTrue(refusal.orElseThrow().message().startsWith("Signature expired: 20261203T081000Z is now earlier than"),
                refusal.get().message());
    }

    @Test
    void refusesASignatureFromTheFuture() {
        assertTrue(verify(signed(KEY_ID, SECRET, REGION, NOW.plus(Duration.ofMinutes(20))), URL.getRawPath(),
                URL.getRawQuery(), BODY).isPresent());
    }

    @Test
    void refusesAMalformedAuthorizationHeader() {
        List<Map.Entry<String, String>> headers = List.of(Map.entry("Host", "localhost:3000"),
                Map.entry("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDLOCALSTACK"));

        assertEquals("IncompleteSignatureException", verify(headers, URL.getRawPath(), URL.getRawQuery(), BODY)
                .orElseThrow().errorType());
    }
}
