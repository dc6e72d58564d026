package com.runwayrelay.domain.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private static final RandomGenerator LOWEST = fixed(0.0);
    private static final RandomGenerator MIDDLE = fixed(0.5);

    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void standardScheduleIsImmediatelyThen5s5m30m2h5h10h24h() {
        RetrySchedule schedule = RetrySchedule.standard();
        List<Duration> expected = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(24));

        assertEquals(8, schedule.maxAttempts());
        for (int made = 1; made <= 7; made++) {
            assertEquals(Optional.of(expected.get(made - 1)), schedule.delayAfter(made, null, MIDDLE), "after " + made);
        }
    }

    @Test
    void givesUp_afterTheLastAttempt() {
        assertEquals(Optional.empty(), RetrySchedule.standard().delayAfter(8, null, MIDDLE));
        assertEquals(Optional.empty(), RetrySchedule.standard().delayAfter(9, Duration.ofSeconds(1), MIDDLE));
    }

    @Test
    void jitterStaysWithin20Percent_andSpreadsDelays() {
        RetrySchedule schedule = RetrySchedule.standard();
        SplittableRandom random = new SplittableRandom(42);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 1000; i++) {
            long millis = schedule.delayAfter(2, null, random).orElseThrow().toMillis();
            min = Math.min(min, millis);
            max = Math.max(max, millis);
        }
        assertTrue(min >= 240_000 && max <= 360_000, min + ".." + max);
        assertTrue(max - min > 100_000, "delays are spread: " + min + ".." + max);
        assertEquals(Optional.of(Duration.ofSeconds(4)), schedule.delayAfter(1, null, LOWEST));
    }

    @Test
    void honoursALongerRetryAfter_cappedAtOneDay() {
        RetrySchedule schedule = RetrySchedule.standard();

        assertEquals(Optional.of(Duration.ofMinutes(10)), schedule.delayAfter(1, Duration.ofMinutes(10), MIDDLE));
        assertEquals(Optional.of(Duration.ofSeconds(5)), schedule.delayAfter(1, Duration.ofSeconds(1), MIDDLE));
        assertEquals(Optional.of(Duration.ofHours(24)), schedule.delayAfter(1, Duration.ofDays(30), MIDDLE));
    }

    @Test
    void rejectsNonPositiveDelaysBadJitterAndZeroAttempts() {
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(List.of(Duration.ZERO), 0));
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(List.of(Duration.ofSeconds(1)), 1.0));
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(List.of(Duration.ofSeconds(1)), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.standard().delayAfter(0, null, MIDDLE));
    }
}
