package com.runwayrelay.domain.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollPolicyTest {

    @Test
    void defaultsFollowRunwaysGuidance() {
        PollPolicy policy = PollPolicy.builder().build();

        assertEquals(Duration.ofSeconds(5), policy.minInterval());
        assertEquals(3, policy.maxAttempts());
        assertEquals(Duration.ofSeconds(60), policy.lease());
        assertTrue(policy.retryableFailures().retryable("THIRD_PARTY.UNAVAILABLE"));
    }

    @Test
    void refusesToPollMoreOftenThanEvery5Seconds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PollPolicy.builder().minInterval(Duration.ofSeconds(2)).build());

        assertTrue(e.getMessage().contains("minInterval must be at least 5 s"), e.getMessage());
    }

    @Test
    void hasA30SecondProgressEventInterval_andRefusesANegativeOne() {
        assertEquals(Duration.ofSeconds(30), PollPolicy.builder().build().progressEventInterval());
        assertEquals(Duration.ZERO, PollPolicy.builder().progressEventInterval(Duration.ZERO).build().progressEventInterval());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PollPolicy.builder().progressEventInterval(Duration.ofSeconds(-1)).build());

        assertTrue(e.getMessage().contains("progressEventInterval must be zero or more"), e.getMessage());
    }

    @Test
    void namesEveryInconsistentValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PollPolicy.builder()
                .concurrency(0).requestsPerSecond(0).maxAttempts(0).lease(Duration.ZERO)
                .maxInterval(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(1)).build());

        for (String name : new String[]{"concurrency", "requestsPerSecond", "maxAttempts", "lease", "maxInterval",
                "maxBackoff"}) {
            assertTrue(e.getMessage().contains(name), name + " missing from: " + e.getMessage());
        }
    }

    @Test
    void toBuilderKeepsEveryValue() {
        PollPolicy policy = PollPolicy.builder().concurrency(7).requestsPerSecond(3.5).pageSize(9).build();

        assertEquals(policy, policy.toBuilder().build());
    }
}
