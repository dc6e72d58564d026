package com.runwayrelay.domain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.gateway.Idempotency.Decision;
import com.runwayrelay.domain.gateway.IdempotencyStore.StoredResponse;
import com.runwayrelay.domain.gateway.memory.InMemoryIdempotencyStore;
import com.runwayrelay.domain.memory.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdempotencyTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();

    private Idempotency idempotency(Clock clock, Duration wait) {
        return new Idempotency(store, clock, Duration.ofHours(24), wait, Duration.ofMillis(5));
    }

    @Test
    void firstRequestProceeds_andAnIdenticalOneReplaysItsResponse() {
        Idempotency idem = idempotency(new ManualClock(T0), Duration.ZERO);
        assertEquals(new Decision.Proceed("t1"), idem.begin("app", "k", "fp", "t1"));
        idem.complete("app", "k", "t1", new StoredResponse(200, "{\"id\":\"t1\"}"));

        Decision again = idem.begin("app", "k", "fp", "t2");
        assertEquals(new Decision.Replay("t1", new StoredResponse(200, "{\"id\":\"t1\"}")), again);
    }

    @Test
    void refuses_whenTheSameKeyComesWithAnotherRequest() {
        Idempotency idem = idempotency(new ManualClock(T0), Duration.ZERO);
        idem.begin("app", "k", "fp", "t1");
        assertEquals(new Decision.Mismatch("t1"), idem.begin("app", "k", "other", "t2"));
    }

    @Test
    void keysAreSeparatePerApp() {
        Idempotency idem = idempotency(new ManualClock(T0), Duration.ZERO);
        idem.begin("app", "k", "fp", "t1");
        assertEquals(new Decision.Proceed("t2"), idem.begin("other-app", "k", "fp", "t2"));
    }

    @Test
    void answersInProgress_whenTheWinnerDoesNotFinishWithinTheWait() {
        Idempotency idem = idempotency(Clock.systemUTC(), Duration.ofMillis(30));
        idem.begin("app", "k", "fp", "t1");
        assertEquals(new Decision.InProgress("t1"), idem.begin("app", "k", "fp", "t2"));
    }

    @Test
    void keyCanBeReused_afterItExpires() {
        ManualClock clock = new ManualClock(T0);
        Idempotency idem = idempotency(clock, Duration.ZERO);
        idem.begin("app", "k", "fp", "t1");
        idem.complete("app", "k", "t1", new StoredResponse(200, "{}"));
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        assertEquals(new Decision.Proceed("t2"), idem.begin("app", "k", "other", "t2"));
    }

    @Test
    void retryProceeds_afterTheWinnerAbandonedTheKey() {
        Idempotency idem = idempotency(new ManualClock(T0), Duration.ZERO);
        idem.begin("app", "k", "fp", "t1");
        idem.abandon("app", "k", "t1");
        assertEquals(new Decision.Proceed("t2"), idem.begin("app", "k", "fp", "t2"));
    }

    @Test
    void abandonKeepsACompletedRecord() {
        Idempotency idem = idempotency(new ManualClock(T0), Duration.ZERO);
        idem.begin("app", "k", "fp", "t1");
        idem.complete("app", "k", "t1", new StoredResponse(200, "{}"));
        idem.abandon("app", "k", "t1");
        assertInstanceOf(Decision.Replay.class, idem.begin("app", "k", "fp", "t2"));
    }

    @Test
    void concurrentDuplicatesGetTheWinnersResponse_andOnlyOneProceeds() throws Exception {
        Idempotency idem = idempotency(Clock.systemUTC(), Duration.ofSeconds(5));
        AtomicInteger proceeded = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Decision>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                String taskId = "t" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    Decision d = idem.begin("app", "k", "fp", taskId);
                    if (d instanceof Decision.Proceed) {
                        proceeded.incrementAndGet();
                        Thread.sleep(50);
                        idem.complete("app", "k", taskId, new StoredResponse(200, "{\"id\":\"" + taskId + "\"}"));
                    }
                    return d;
                }));
            }
            start.countDown();
            List<Decision> decisions = new ArrayList<>();
            for (Future<Decision> f : results) {
                decisions.add(f.get());
            }
            assertEquals(1, proceeded.get());
            String winner = decisions.stream().filter(d -> d instanceof Decision.Proceed)
                    .map(d -> ((Decision.Proceed) d).taskId()).findFirst().orElseThrow();
            assertTrue(decisions.stream().filter(d -> !(d instanceof Decision.Proceed))
                    .allMatch(d -> d.equals(new Decision.Replay(winner, new StoredResponse(200, "{\"id\":\"" + winner + "\"}")))));
        }
    }

    @Test
    void validatesKeys() {
        assertTrue(Idempotency.problemWith("3f0c6a7e-8a61-4c2f-9a7e-0c1d2e3f4a5b").isEmpty());
        assertTrue(Idempotency.problemWith("").isPresent());
        assertTrue(Idempotency.problemWith("a".repeat(256)).orElseThrow().contains("255"));
        assertTrue(Idempotency.problemWith("caf\u00e9").orElseThrow().contains("index 3"));
        assertThrows(IllegalArgumentException.class,
                () -> new Idempotency(store, Clock.systemUTC(), Duration.ZERO, Duration.ZERO, Duration.ofMillis(1)));
    }
}
