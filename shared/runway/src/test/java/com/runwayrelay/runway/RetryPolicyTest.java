package com.runwayrelay.runway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.runway.Transport.Response;
import com.runwayrelay.runway.Transport.RetryMode;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static RetryPolicy policy(double random) {
        return new RetryPolicy(10, Duration.ofSeconds(60), Fixtures.CLOCK, () -> random);
    }

    private static HttpHeaders headers(String... pairs) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            map.put(pairs[i], List.of(pairs[i + 1]));
        }
        return HttpHeaders.of(map, (a, b) -> true);
    }

    private static Response response(int status, String... headerPairs) {
        return new Response(status, headers(headerPairs), new byte[0]);
    }

    @Test
    void doublesFromHalfSecondAndCapsAtEight_whenNoJitter() {
        RetryPolicy policy = policy(0.0);

        List<Long> millis = java.util.stream.IntStream.range(0, 7).mapToObj(policy::backoff)
                .map(Duration::toMillis).toList();

        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 8000L, 8000L), millis);
    }

    @Test
    void shortensByAtMostAQuarter_whenJitterIsMaximal() {
        RetryPolicy policy = policy(0.999999);

        assertEquals(375, policy.backoff(0).toMillis());
        assertEquals(6000, policy.backoff(5).toMillis());
    }

    @Test
    void staysWithinBounds_whenJitterIsRandom() {
        Random random = new Random(42);
        RetryPolicy policy = new RetryPolicy(2, Duration.ofSeconds(60), Fixtures.CLOCK, random::nextDouble);

        for (int n = 0; n < 8; n++) {
            double base = Math.min(0.5 * Math.pow(2, n), 8.0);
            for (int i = 0; i < 200; i++) {
                double seconds = policy.backoff(n).toNanos() / 1e9;
                assertTrue(seconds > base * 0.75 - 1e-9 && seconds <= base + 1e-9, n + ": " + seconds);
            }
        }
    }

    @Test
    void stopsAfterMaxRetries_whenFailuresContinue() {
        RetryPolicy policy = new RetryPolicy(2, Duration.ofSeconds(60), Fixtures.CLOCK, () -> 0);
        TransportFailure failure = new TransportFailure("reset", true, false, null);

        assertTrue(policy.afterFailure(RetryMode.IDEMPOTENT, failure, 1).isPresent());
        assertTrue(policy.afterFailure(RetryMode.IDEMPOTENT, failure, 2).isEmpty());
        assertTrue(policy.afterResponse(RetryMode.IDEMPOTENT, response(503), 1).isPresent());
        assertTrue(policy.afterResponse(RetryMode.IDEMPOTENT, response(503), 2).isEmpty());
    }

    @Test
    void retriesCreateOnlyBeforeConnecting_whenTransportFails() {
        RetryPolicy policy = policy(0);

        assertTrue(policy.afterFailure(RetryMode.CREATE,
                new TransportFailure("refused", false, false, null), 0).isPresent());
        assertTrue(policy.afterFailure(RetryMode.CREATE,
                new TransportFailure("reset", true, false, null), 0).isEmpty());
        assertTrue(policy.afterFailure(RetryMode.CREATE,
                new TransportFailure("read timeout", true, true, null), 0).isEmpty());
    }

    @Test
    void neverRetries_whenModeIsNever() {
        RetryPolicy policy = policy(0);

        assertTrue(policy.afterFailure(RetryMode.NEVER, new TransportFailure("refused", false, false, null), 0)
                .isEmpty());
        assertTrue(policy.afterResponse(RetryMode.NEVER, response(503), 0).isEmpty());
    }

    @Test
    void neverRetries_whenResponseSucceeded() {
        assertTrue(policy(0).afterResponse(RetryMode.IDEMPOTENT, response(200, "x-should-retry", "true"), 0)
                .isEmpty());
    }

    @Test
    void readsMillisecondsFirst_whenBothRetryHeadersPresent() {
        assertEquals(Optional.of(Duration.ofMillis(250)),
                RetryAfter.from(headers("retry-after-ms", "250", "retry-after", "9"), Fixtures.CLOCK));
    }

    @Test
    void fallsBackToRetryAfter_whenMillisecondsUnparseable() {
        assertEquals(Optional.of(Duration.ofSeconds(4)),
                RetryAfter.from(headers("retry-after-ms", "soon", "retry-after", "4"), Fixtures.CLOCK));
    }

    @Test
    void returnsZero_whenRetryAfterDateIsPast() {
        assertEquals(Optional.of(Duration.ZERO),
                RetryAfter.from(headers("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"), Fixtures.CLOCK));
    }

    @Test
    void ignoresHeader_whenValueIsNegativeOrGarbage() {
        assertEquals(Optional.empty(), RetryAfter.from(headers("retry-after", "-3"), Fixtures.CLOCK));
        assertEquals(Optional.empty(), RetryAfter.from(headers("retry-after", "NaN"), Fixtures.CLOCK));
        assertEquals(Optional.empty(), RetryAfter.from(headers("retry-after", "tomorrow"), Fixtures.CLOCK));
        assertEquals(Optional.empty(), RetryAfter.from(headers(), Fixtures.CLOCK));
    }

    @Test
    void usesBackoff_whenRetryAfterIsUnusable() {
        assertEquals(Optional.of(Duration.ofMillis(1000)),
                policy(0).afterResponse(RetryMode.IDEMPOTENT, response(503, "retry-after", "later"), 1));
    }

    @Test
    void retriesImmediately_whenRetryAfterIsZero() {
        assertEquals(Optional.of(Duration.ZERO),
                policy(0).afterResponse(RetryMode.IDEMPOTENT, response(429, "retry-after", "0"), 0));
    }
}
