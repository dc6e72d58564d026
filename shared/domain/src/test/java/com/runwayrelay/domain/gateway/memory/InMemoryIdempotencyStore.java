package com.runwayrelay.domain.gateway.memory;

import com.runwayrelay.domain.gateway.IdempotencyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** An {@link IdempotencyStore} in a map. Thread-safe. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private final Map<String, IdempotencyRecord> records = new HashMap<>();

    @Override
    public synchronized Claim claim(IdempotencyRecord claim, Instant now) {
        IdempotencyRecord existing = records.get(id(claim.appId(), claim.key()));
        if (existing != null && existing.liveAt(now)) {
            return new Claim.Taken(existing);
        }
        records.put(id(claim.appId(), claim.key()), claim);
        return new Claim.Won();
    }

    @Override
    public synchronized Optional<IdempotencyRecord> find(String appId, String key, Instant now) {
        return Optional.ofNullable(records.get(id(appId, key))).filter(r -> r.liveAt(now));
    }

    @Override
    public synchronized boolean takeOver(IdempotencyRecord stale, Instant leaseUntil) {
        IdempotencyRecord stored = records.get(id(stale.appId(), stale.key()));
        if (stored == null || stored.response() != null || !stored.taskId().equals(stale.taskId())
                || !Objects.equals(stored.leaseUntil(), stale.leaseUntil())) {
            return false;
        }
        records.put(id(stale.appId(), stale.key()), stored.withLease(leaseUntil));
        return true;
    }

    @Override
    public synchronized void complete(String appId, String key, String taskId, StoredResponse response) {
        records.computeIfPresent(id(appId, key), (k, r) -> r.taskId().equals(taskId) ? r.withResponse(response) : r);
    }

    @Override
    public synchronized void release(String appId, String key, String taskId, Instant leaseUntil) {
        IdempotencyRecord existing = records.get(id(appId, key));
        if (existing != null && existing.taskId().equals(taskId) && existing.response() == null
                && Objects.equals(existing.leaseUntil(), leaseUntil)) {
            records.remove(id(appId, key));
        }
    }

    private static String id(String appId, String key) {
        return appId + "\n" + key;
    }
}
