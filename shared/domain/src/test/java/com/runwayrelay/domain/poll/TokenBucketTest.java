package com.runwayrelay.domain.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final AtomicLong nanos = new AtomicLong();
    private final List<Long> pauses = new ArrayList<>();
    private final TokenBucket bucket = new TokenBucket(10, nanos::get, pause -> {
        pauses.add(pause);
        nanos.addAndGet(pause);
    });

    @Test
    void letsOneSecondsWorthThroughAtOnce_thenPacesTheRest() throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            bucket.acquire();
        }
        assertEquals(List.of(), pauses);

        bucket.acquire();
        bucket.acquire();

        assertEquals(List.of(100_000_000L, 100_000_000L), pauses);
    }

    @Test
    void refillsWithTime_butSavesNoMoreThanOneSecond() throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            bucket.acquire();
        }
        nanos.addAndGet(5_000_000_000L);

        for (int i = 0; i < 10; i++) {
            bucket.acquire();
        }
        bucket.acquire();

        assertEquals(List.of(100_000_000L), pauses);
    }

    @Test
    void queuesConcurrentWaiters_oneTokenEach() throws InterruptedException {
        TokenBucket slow = new TokenBucket(2, nanos::get, pause -> pauses.add(pause));
        slow.acquire();
        slow.acquire();

        slow.acquire();
        slow.acquire();

        // Neither waiter has slept yet when the next reserves: the second waits twice as long.
        assertEquals(List.of(500_000_000L, 1_000_000_000L), pauses);
    }
}
