package com.runwayrelay.aws.runway;

import com.runwayrelay.runway.RunwayClient;
import java.time.Duration;
import java.util.Objects;

/**
 * How long one Runway call may take and how often it is retried: chosen by the time budget of
 * the function that makes it, not read from the environment. The worst case of one call is
 * {@link #worstCase()}; a function answering through API Gateway must keep it under 30 s.
 *
 * @param connectTimeout time to establish a connection
 * @param requestTimeout time for one attempt, response body included
 * @param maxRetries     retries after the first attempt
 * @param maxRetryAfter  the longest server-requested wait slept through; a longer one is returned
 *                       to the caller (see {@link RunwayClient.Builder#maxRetryAfter(Duration)})
 */
public record RunwayCallLimits(Duration connectTimeout, Duration requestTimeout, int maxRetries,
                               Duration maxRetryAfter) {
    /**
     * For functions behind API Gateway's 30 s (submit, status): short attempts, one retry, no long
     * sleeps.
     */
    public static final RunwayCallLimits API_REQUEST = new RunwayCallLimits(Duration.ofSeconds(3),
            Duration.ofSeconds(10), 1, Duration.ofSeconds(2));

    /** @throws IllegalArgumentException for limits the client would refuse */
    public RunwayCallLimits {
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("maxRetries must be 0..10, got " + maxRetries);
        }
        if (Objects.requireNonNull(maxRetryAfter, "maxRetryAfter").isNegative()) {
            throw new IllegalArgumentException("maxRetryAfter must not be negative, got " + maxRetryAfter);
        }
    }

    private static void positive(Duration value, String name) {
        if (Objects.requireNonNull(value, name).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** The longest one call can take: every attempt connecting and answering at the limit, every wait slept. */
    public Duration worstCase() {
        return connectTimeout.plus(requestTimeout).multipliedBy(maxRetries + 1L)
                .plus(maxRetryAfter.multipliedBy(maxRetries));
    }

    /** Sets these limits on {@code builder} and returns it. */
    RunwayClient.Builder applyTo(RunwayClient.Builder builder) {
        return builder.connectTimeout(connectTimeout)
                .requestTimeout(requestTimeout)
                .maxRetries(maxRetries)
                .maxRetryAfter(maxRetryAfter);
    }
}
