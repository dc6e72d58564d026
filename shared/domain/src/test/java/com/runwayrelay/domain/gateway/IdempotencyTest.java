package com.runwayrelay.domain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.gateway.Idempotency.Decision;
import com.runwayrelay.domain.gateway.IdempotencyStore.IdempotencyRecord;
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
    private static final Duration LEASE = Duration.ofSeconds(30);
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();

    private Idempotency idempotency(Clock clock, Duration wait) {
        return new Idempotency(store, clock, Duration.ofHours(24), LEASE, wait, Duration.ofMillis(5));
    }

    private static Decision.Proceed proceed(String taskId, Instant at) {
        return new Decision.Proceed(taskId, at, at.plus(LEASE));
    }

    @Test
    void firstRequestProceeds_andAnIdenticalOneReplaysItsResponse() {
        Idempotency idem = idempotency(new ManualClock(T0), Duration.ZERO);
        assertEquals(proceed("t1", T0), idem.begin("app", "k", "fp", "t1"));
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
        assertEquals(proceed("t2", T0), idem.begin("other-app", "k", "fp", "t2"));
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
        assertEquals(proceed("t2", clock.instant()), idem.begin("app", "k", "other", "t2"));
    }

    @Test
    void retryProceeds_afterTheWinnerAbandonedTheKey() {
        Idempotency idem = idempotency(new ManualClock(T0), Duration.ZERO);
        Decision.Proceed first = (Decision.Proceed) idem.begin("app", "k", "fp", "t1");
        idem.abandon("app", "k", "t1", first.leaseUntil());
        assertEquals(proceed("t2", T0), idem.begin("app", "k", "fp", "t2"));
    }

    @Test
    void abandonKeepsACompletedRecord() {
        Idempotency idem = idempotency(new ManualClock(T0), Duration.ZERO);
        Decision.Proceed first = (Decision.Proceed) idem.begin("app", "k", "fp", "t1");
        idem.complete("app", "k", "t1", new StoredResponse(200, "{}"));
        idem.abandon("app", "k", "t1", first.leaseUntil());
        assertInstanceOf(Decision.Replay.class, idem.begin("app", "k", "fp", "t2"));
    }

    @Test
    void concurrentDuplicatesGetTheWinnersResponse_andOnlyOneProceeds() throws Exception {
        // The duplicates' wait is only a hang guard (the winner answers after 50 ms); it stays
        // under the lease so that a starved winner is never taken over.
        Idempotency idem = idempotency(Clock.systemUTC(), LEASE.minusSeconds(5));
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
        assertThrows(IllegalArgumentException.class, () -> new Idempotency(store, Clock.systemUTC(), Duration.ZERO,
                LEASE, Duration.ZERO, Duration.ofMillis(1)));
    }

    @Test
    void refusesALease_thatOutlastsTheKey() {
        assertThrows(IllegalArgumentException.class, () -> new Idempotency(store, Clock.systemUTC(),
                Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ZERO, Duration.ofMillis(1)));
    }

    @Test
    void answersInProgress_whenRetriedBeforeTheClaimsLeaseEnds() {
        ManualClock clock = new ManualClock(T0);
        Idempotency idem = idempotency(clock, Duration.ZERO);
        idem.begin("app", "k", "fp", "t1", T0);
        clock.advance(LEASE.minusMillis(1));

        assertEquals(new Decision.InProgress("t1"), idem.begin("app", "k", "fp", "t2"));
    }

    @Test
    void takesTheClaimOver_withTheSameTaskAndArrival_onceTheLeaseHasEnded() {
        ManualClock clock = new ManualClock(T0);
        Idempotency idem = idempotency(clock, Duration.ZERO);
        Instant arrived = T0.minusMillis(40);
        idem.begin("app", "k", "fp", "t1", arrived);
        clock.advance(LEASE);

        Decision retry = idem.begin("app", "k", "fp", "t2", clock.instant());

        assertEquals(new Decision.TakeOver("t1", arrived, clock.instant().plus(LEASE)), retry);
        assertEquals(new Decision.InProgress("t1"), idem.begin("app", "k", "fp", "t3"),
                "the new lease holds the key again");
    }

    @Test
    void takesTheClaimOver_whileWaiting_whenTheLeaseEndsDuringTheWait() {
        ManualClock clock = new ManualClock(T0);
        // Every look at the clock moves it 10 s: the lease (30 s) ends while the duplicate waits (60 s).
        Clock ticking = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return clock.getZone();
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                Instant now = clock.instant();
                clock.advance(Duration.ofSeconds(10));
                return now;
            }
        };
        idempotency(clock, Duration.ZERO).begin("app", "k", "fp", "t1", T0);

        Decision retry = idempotency(ticking, Duration.ofSeconds(60)).begin("app", "k", "fp", "t2", T0);

        assertInstanceOf(Decision.TakeOver.class, retry);
        assertEquals("t1", ((Decision.TakeOver) retry).taskId());
    }

    @Test
    void onlyOneOfManyRetriesTakesOverALapsedClaim() throws Exception {
        ManualClock clock = new ManualClock(T0);
        Idempotency idem = idempotency(clock, Duration.ZERO);
        idem.begin("app", "k", "fp", "t0", T0);
        clock.advance(LEASE.plusSeconds(1));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Decision>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 1; i <= 8; i++) {
                String taskId = "t" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return idem.begin("app", "k", "fp", taskId);
                }));
            }
            start.countDown();
            List<Decision> decisions = new ArrayList<>();
            for (Future<Decision> f : results) {
                decisions.add(f.get());
            }
            assertEquals(1, decisions.stream().filter(d -> d instanceof Decision.TakeOver).count(), decisions.toString());
            assertTrue(decisions.stream().filter(d -> !(d instanceof Decision.TakeOver))
                    .allMatch(d -> d.equals(new Decision.InProgress("t0"))), decisions.toString());
        }
    }

    @Test
    void abandonByTheStoppedRequest_leavesTheClaimOfTheRequestThatTookItOver() {
        ManualClock clock = new ManualClock(T0);
        Idempotency idem = idempotency(clock, Duration.ZERO);
        Decision.Proceed original = (Decision.Proceed) idem.begin("app", "k", "fp", "t1", T0);
        clock.advance(LEASE);
        assertInstanceOf(Decision.TakeOver.class, idem.begin("app", "k", "fp", "t2"));

        idem.abandon("app", "k", "t1", original.leaseUntil());

        assertEquals(new Decision.InProgress("t1"), idem.begin("app", "k", "fp", "t3"));
    }

    @Test
    void takesOverAClaimWrittenBeforeLeases_countingTheLeaseFromItsCreation() {
        ManualClock clock = new ManualClock(T0);
        store.claim(new IdempotencyRecord("app", "k", "fp", "t1", null, T0, T0.plus(Duration.ofHours(24)), null), T0);
        Idempotency idem = idempotency(clock, Duration.ZERO);
        assertEquals(new Decision.InProgress("t1"), idem.begin("app", "k", "fp", "t2"));

        clock.advance(LEASE);

        assertEquals(new Decision.TakeOver("t1", T0, clock.instant().plus(LEASE)), idem.begin("app", "k", "fp", "t3"));
    }

    @Test
    void neverTakesOverAnAnsweredClaim() {
        ManualClock clock = new ManualClock(T0);
        Idempotency idem = idempotency(clock, Duration.ZERO);
        idem.begin("app", "k", "fp", "t1", T0);
        idem.complete("app", "k", "t1", new StoredResponse(200, "{}"));
        clock.advance(LEASE.multipliedBy(10));

        assertInstanceOf(Decision.Replay.class, idem.begin("app", "k", "fp", "t2"));
    }
}
