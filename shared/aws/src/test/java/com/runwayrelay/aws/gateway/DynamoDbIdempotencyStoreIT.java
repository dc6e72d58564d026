package com.runwayrelay.aws.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.gateway.IdempotencyStore.Claim;
import com.runwayrelay.domain.gateway.IdempotencyStore.IdempotencyRecord;
import com.runwayrelay.domain.gateway.IdempotencyStore.StoredResponse;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@WithAwsEmulators
class DynamoDbIdempotencyStoreIT {
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private final DynamoDbIdempotencyStore store;
    private final String appId = "app_" + UUID.randomUUID();

    DynamoDbIdempotencyStoreIT(AwsEmulators aws) {
        store = new DynamoDbIdempotencyStore(aws.dynamoDb(), aws.tableName());
    }

    private IdempotencyRecord claim(String key, String fingerprint, String taskId) {
        return new IdempotencyRecord(appId, key, fingerprint, taskId, null, T0, T0.plus(Duration.ofHours(24)));
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
                later.plus(Duration.ofHours(1))), later));
    }

    @Test
    void releaseFreesAnUnansweredClaimOnly() {
        store.claim(claim("k3", "fp", "t1"), T0);
        store.release(appId, "k3", "t-other");
        assertTrue(store.find(appId, "k3", T0).isPresent());
        store.release(appId, "k3", "t1");
        assertTrue(store.find(appId, "k3", T0).isEmpty());

        store.claim(claim("k4", "fp", "t1"), T0);
        store.complete(appId, "k4", "t1", new StoredResponse(400, "{}"));
        store.release(appId, "k4", "t1");
        assertEquals(400, store.find(appId, "k4", T0).orElseThrow().response().status());
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
