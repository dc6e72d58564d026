package com.runwayrelay.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.gateway.IdempotencyStore;
import com.runwayrelay.domain.gateway.IdempotencyStore.Claim;
import com.runwayrelay.domain.gateway.IdempotencyStore.IdempotencyRecord;
import com.runwayrelay.domain.gateway.IdempotencyStore.StoredResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link IdempotencyStore} promises: one of many concurrent claims of a key wins, the
 * others see the winner's record (with its response once completed); expired records are ignored;
 * a lease is taken over by one of the callers that read it; release frees only the releasing
 * request's unanswered claim; keys are compared whole.
 *
 * @param <S> the implementation under test
 */
public abstract class IdempotencyStoreContract<S extends IdempotencyStore> {
    protected static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    /** Each case its own app, so a store shared between cases needs no reset. */
    protected final String appId = "app_" + UUID.randomUUID();
    protected S store;

    /** The store under test; called before every case. */
    protected abstract S openStore();

    @BeforeEach
    final void open() {
        store = openStore();
    }

    private static final Instant LEASE_END = T0.plusSeconds(30);

    private IdempotencyRecord claim(String key, String fingerprint, String taskId) {
        return new IdempotencyRecord(appId, key, fingerprint, taskId, null, T0, T0.plus(Duration.ofHours(24)), LEASE_END);
    }

    @Test
    void firstClaimWins_andASecondFindsItWithTheResponseOnceCompleted() {
        assertInstanceOf(Claim.Won.class, store.claim(claim("k1", "fp", "t1"), T0));
        Claim second = store.claim(claim("k1", "fp", "t2"), T0);
        assertEquals(new Claim.Taken(claim("k1", "fp", "t1")), second);

        store.complete(appId, "k1", "t1", new StoredResponse(200, "{\"id\":\"t1\"}"));
        IdempotencyRecord found = store.find(appId, "k1", T0).orElseThrow();
        assertEquals(new StoredResponse(200, "{\"id\":\"t1\"}"), found.response());
        assertEquals("t1", found.taskId());
    }

    @Test
    void exactlyOneOfTwentyConcurrentClaimsWins() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Claim>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                String taskId = "t" + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return store.claim(claim("race", "fp", taskId), T0);
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Claim> f : futures) {
                won += f.get() instanceof Claim.Won ? 1 : 0;
            }
            assertEquals(1, won);
        }
    }

    @Test
    void expiredRecordIsIgnored_andCanBeClaimedAgain() {
        store.claim(claim("k2", "fp", "t1"), T0);
        Instant later = T0.plus(Duration.ofHours(24)).plusSeconds(1);
        assertTrue(store.find(appId, "k2", later).isEmpty());
        assertInstanceOf(Claim.Won.class, store.claim(new IdempotencyRecord(appId, "k2", "other", "t9", null, later,
                later.plus(Duration.ofHours(1)), later.plusSeconds(30)), later));
    }

    @Test
    void releaseFreesAnUnansweredClaimOnly() {
        store.claim(claim("k3", "fp", "t1"), T0);
        store.release(appId, "k3", "t-other", LEASE_END);
        assertTrue(store.find(appId, "k3", T0).isPresent());
        store.release(appId, "k3", "t1", LEASE_END);
        assertTrue(store.find(appId, "k3", T0).isEmpty());

        store.claim(claim("k4", "fp", "t1"), T0);
        store.complete(appId, "k4", "t1", new StoredResponse(400, "{}"));
        store.release(appId, "k4", "t1", LEASE_END);
        assertEquals(400, store.find(appId, "k4", T0).orElseThrow().response().status());
    }

    @Test
    void takeOverMovesTheLeaseOfTheClaimAsRead_forOneOfTwoCallers() {
        store.claim(claim("k6", "fp", "t1"), T0);
        IdempotencyRecord stale = store.find(appId, "k6", T0).orElseThrow();
        assertEquals(LEASE_END, stale.leaseUntil());

        assertTrue(store.takeOver(stale, LEASE_END.plusSeconds(30)));
        assertFalse(store.takeOver(stale, LEASE_END.plusSeconds(31)), "the second reader of the old lease loses");

        IdempotencyRecord now = store.find(appId, "k6", T0).orElseThrow();
        assertEquals(LEASE_END.plusSeconds(30), now.leaseUntil());
        assertEquals("t1", now.taskId());
        assertEquals(T0, now.createdAt());
    }

    @Test
    void exactlyOneOfTenConcurrentTakeOversWins() throws Exception {
        store.claim(claim("k7", "fp", "t1"), T0);
        IdempotencyRecord stale = store.find(appId, "k7", T0).orElseThrow();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 10; i++) {
                Instant lease = LEASE_END.plusSeconds(30 + i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return store.takeOver(stale, lease);
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> f : futures) {
                won += f.get() ? 1 : 0;
            }
            assertEquals(1, won);
        }
    }

    @Test
    void takeOverRefusesAnAnsweredClaim_andReleaseSparesAClaimTakenOver() {
        store.claim(claim("k8", "fp", "t1"), T0);
        IdempotencyRecord stale = store.find(appId, "k8", T0).orElseThrow();
        assertTrue(store.takeOver(stale, LEASE_END.plusSeconds(30)));
        store.release(appId, "k8", "t1", LEASE_END);
        assertTrue(store.find(appId, "k8", T0).isPresent(), "the stopped request's release leaves the new claim");

        store.complete(appId, "k8", "t1", new StoredResponse(200, "{}"));
        IdempotencyRecord answered = store.find(appId, "k8", T0).orElseThrow();
        assertFalse(store.takeOver(answered, LEASE_END.plusSeconds(60)));
    }

    @Test
    void takeOverOfAClaimWrittenBeforeLeases_conditionsOnTheLeaseBeingAbsent() {
        IdempotencyRecord old = new IdempotencyRecord(appId, "k9", "fp", "t1", null, T0, T0.plus(Duration.ofHours(24)),
                null);
        store.claim(old, T0);
        assertNull(store.find(appId, "k9", T0).orElseThrow().leaseUntil());

        assertTrue(store.takeOver(old, LEASE_END));
        assertFalse(store.takeOver(old, LEASE_END.plusSeconds(1)));
    }

    @Test
    void completeIgnoresAnotherRequestsClaim() {
        store.claim(claim("k5", "fp", "t1"), T0);
        store.complete(appId, "k5", "t2", new StoredResponse(200, "{}"));
        assertNull(store.find(appId, "k5", T0).orElseThrow().response());
    }

    @Test
    void keysWithSeparatorsStayDistinct() {
        store.claim(claim("a#b", "fp", "t1"), T0);
        assertInstanceOf(Claim.Won.class, store.claim(claim("a#c", "fp", "t2"), T0));
    }
}
