package com.runwayrelay.runway;

import com.runwayrelay.runway.Transport.Response;
import com.runwayrelay.runway.Transport.RetryMode;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Decides whether and when to retry, mirroring the official Runway SDKs with two deliberate
 * differences.
 *
 * <p>Like the SDKs: up to {@code maxRetries} retries; connection failures, timeouts, 408, 409,
 * 429 and 5xx are retried; {@code x-should-retry: true|false} overrides that; the delay is the
 * server's {@code retry-after-ms}/{@code retry-after}, else {@code min(0.5 s × 2ⁿ, 8 s)} reduced
 * by a random 0–25 %.
 *
 * <p>Differently: (1) a {@link RetryMode#CREATE} request is retried only when the server cannot
 * have created a task: the connection was never made, or Runway answered 429 (it rejects before
 * creating). Runway has no idempotency key, so repeating a create after a 5xx, 408, 409, timeout
 * or dropped connection could bill a second task; {@code x-should-retry: true} does not change
 * that. (2) When the server asks for a longer wait than {@code maxHonouredRetryAfter}, or a 429
 * says the daily quota is spent, the client gives up at once and reports the delay instead of
 * hammering the server with short backoffs that cannot succeed.
 */
final class RetryPolicy {

    private static final double INITIAL_DELAY_SECONDS = 0.5;
    private static final double MAX_DELAY_SECONDS = 8.0;
    private static final double MAX_JITTER = 0.25;

    private final int maxRetries;
    private final Duration maxHonouredRetryAfter;
    private final Clock clock;
    private final DoubleSupplier random;

    /**
     * @param random uniform values in [0, 1); drives the jitter
     */
    RetryPolicy(int maxRetries, Duration maxHonouredRetryAfter, Clock clock, DoubleSupplier random) {
        this.maxRetries = maxRetries;
        this.maxHonouredRetryAfter = maxHonouredRetryAfter;
        this.clock = clock;
        this.random = random;
    }

    int maxRetries() {
        return maxRetries;
    }

    /** The delay before the next attempt after a transport failure, or empty to give up. */
    Optional<Duration> afterFailure(RetryMode mode, TransportFailure failure, int retriesDone) {
        if (retriesDone >= maxRetries || mode == RetryMode.NEVER) {
            return Optional.empty();
        }
        if (mode == RetryMode.CREATE && failure.mayHaveReachedServer()) {
            return Optional.empty();
        }
        return Optional.of(backoff(retriesDone));
    }

    /** The delay before the next attempt after an error response, or empty to give up. */
    Optional<Duration> afterResponse(RetryMode mode, Response response, int retriesDone) {
        if (response.isSuccess() || retriesDone >= maxRetries || mode == RetryMode.NEVER) {
            return Optional.empty();
        }
        if (!isRetryable(mode, response)) {
            return Optional.empty();
        }
        if (response.status() == 429 && ErrorBody.parse(response.body()).isDailyQuota()) {
            return Optional.empty();
        }
        Optional<Duration> requested = RetryAfter.from(response.headers(), clock);
        if (requested.isPresent()) {
            return requested.get().compareTo(maxHonouredRetryAfter) <= 0 ? requested : Optional.empty();
        }
        return Optional.of(backoff(retriesDone));
    }

    private static boolean isRetryable(RetryMode mode, Response response) {
        Optional<String> override = response.header("x-should-retry");
        if (override.isPresent() && override.get().equalsIgnoreCase("false")) {
            return false;
        }
        if (mode == RetryMode.CREATE) {
            return response.status() == 429;
        }
        if (override.isPresent() && override.get().equalsIgnoreCase("true")) {
            return true;
        }
        int status = response.status();
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    /** {@code min(0.5 s × 2^retriesDone, 8 s)} times a factor in (0.75, 1]. */
    Duration backoff(int retriesDone) {
        double base = Math.min(INITIAL_DELAY_SECONDS * Math.pow(2, retriesDone), MAX_DELAY_SECONDS);
        double jitter = 1 - random.getAsDouble() * MAX_JITTER;
        return Duration.ofNanos(Math.round(base * jitter * 1_000_000_000d));
    }
}
