package com.runwayrelay.domain.owned.memory;

import com.runwayrelay.domain.owned.CreateIntent;
import com.runwayrelay.domain.owned.Ownership;
import com.runwayrelay.domain.owned.OwnershipStore;
import com.runwayrelay.domain.owned.ResourceKind;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link OwnershipStore} in memory, passing {@code OwnershipContract}. {@link #failNextRecord} makes
 * the next {@link #record} throw, as a store that cannot be reached would; {@link #failIntents} does
 * the same for every intent write (record, remove, mark).
 */
public final class InMemoryOwnershipStore implements OwnershipStore {
    private static final Comparator<Ownership> ORDER = Comparator.comparing(Ownership::createdAt)
            .thenComparing(Ownership::runwayId);
    private final Map<String, Ownership> records = new ConcurrentHashMap<>();
    private final AtomicReference<RuntimeException> nextRecordFailure = new AtomicReference<>();
    private final Map<String, CreateIntent> intents = new ConcurrentHashMap<>();
    private final AtomicReference<RuntimeException> intentFailure = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger intentQueries = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public boolean record(Ownership ownership) {
        RuntimeException failure = nextRecordFailure.getAndSet(null);
        if (failure != null) {
            throw failure;
        }
        return records.putIfAbsent(key(ownership.kind(), ownership.runwayId()), ownership) == null;
    }

    @Override
    public boolean transfer(Ownership next, String fromAppId) {
        boolean[] moved = {false};
        records.computeIfPresent(key(next.kind(), next.runwayId()), (k, old) -> {
            if (!old.ownedBy(fromAppId)) {
                return old;
            }
            moved[0] = true;
            return next;
        });
        return moved[0];
    }

    @Override
    public Optional<Ownership> find(ResourceKind kind, String runwayId) {
        return Optional.ofNullable(records.get(key(kind, runwayId)));
    }

    @Override
    public boolean update(Ownership ownership) {
        return records.computeIfPresent(key(ownership.kind(), ownership.runwayId()),
                (k, old) -> new Ownership(old.appId(), old.kind(), old.runwayId(), ownership.name(), old.createdAt(),
                        ownership.updatedAt(), ownership.charge(), ownership.measuredSeconds())) != null;
    }

    @Override
    public List<Ownership> chargesDue(Instant now, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        return records.values().stream()
                .filter(o -> o.charge() != null && !o.charge().checkAt().isAfter(now))
                .sorted(Comparator.comparing((Ownership o) -> o.charge().checkAt()).thenComparing(Ownership::runwayId))
                .limit(limit)
                .toList();
    }

    @Override
    public boolean moveCheck(ResourceKind kind, String runwayId, Ownership.Charge expected, Instant checkAt) {
        boolean[] moved = {false};
        records.computeIfPresent(key(kind, runwayId), (k, old) -> {
            if (!expected.equals(old.charge())) {
                return old;
            }
            moved[0] = true;
            return new Ownership(old.appId(), old.kind(), old.runwayId(), old.name(), old.createdAt(), old.updatedAt(),
                    expected.checkedAt(checkAt), old.measuredSeconds());
        });
        return moved[0];
    }

    @Override
    public void remove(ResourceKind kind, String runwayId) {
        records.remove(key(kind, runwayId));
    }

    @Override
    public Page list(String appId, ResourceKind kind, boolean descending, Position after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        Comparator<Ownership> order = descending ? ORDER.reversed() : ORDER;
        Ownership start = after == null ? null : new Ownership(appId, kind, after.runwayId(), "-", after.createdAt(),
                after.createdAt());
        List<Ownership> matching = records.values().stream()
                .filter(o -> o.appId().equals(appId) && o.kind() == kind)
                .filter(o -> start == null || order.compare(o, start) > 0)
                .sorted(order)
                .limit(limit + 1L)
                // As an index projection would: no charge, no measured duration.
                .map(o -> new Ownership(o.appId(), o.kind(), o.runwayId(), o.name(), o.createdAt(), o.updatedAt()))
                .toList();
        return new Page(matching.subList(0, Math.min(limit, matching.size())), matching.size() > limit);
    }

    @Override
    public void recordIntent(CreateIntent intent) {
        failIntentIfAsked();
        intents.put(key(intent.kind(), intent.intentId()), intent.reported(null));
    }

    @Override
    public void removeIntent(ResourceKind kind, String intentId) {
        failIntentIfAsked();
        intents.remove(key(kind, intentId));
    }

    @Override
    public boolean markIntentReported(CreateIntent intent, Instant at) {
        failIntentIfAsked();
        boolean[] marked = {false};
        intents.computeIfPresent(key(intent.kind(), intent.intentId()), (k, old) -> {
            if (old.reportedAt() != null) {
                return old;
            }
            marked[0] = true;
            return old.reported(at);
        });
        return marked[0];
    }

    @Override
    public List<CreateIntent> intentsDue(Instant startedBy, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        return intents.values().stream()
                .filter(i -> i.reportedAt() == null && !i.startedAt().isAfter(startedBy))
                .sorted(Comparator.comparing(CreateIntent::startedAt).thenComparing(CreateIntent::intentId))
                .limit(limit)
                .toList();
    }

    @Override
    public List<CreateIntent> intentsStarted(ResourceKind kind, Instant from, Instant to, int limit) {
        intentQueries.incrementAndGet();
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        return intents.values().stream()
                .filter(i -> i.kind() == kind && !i.startedAt().isBefore(from) && !i.startedAt().isAfter(to))
                .sorted(Comparator.comparing(CreateIntent::startedAt).thenComparing(CreateIntent::intentId))
                .limit(limit)
                // As an index would project it: no report time.
                .map(i -> i.reported(null))
                .toList();
    }

    /** The intent as stored (with its report time), if there is one. */
    public Optional<CreateIntent> intent(ResourceKind kind, String intentId) {
        return Optional.ofNullable(intents.get(key(kind, intentId)));
    }

    /** How many times {@link #intentsStarted} was called. */
    public int intentQueries() {
        return intentQueries.get();
    }

    /** Every intent stored, of every app and kind. */
    public List<CreateIntent> intents() {
        return List.copyOf(intents.values());
    }

    /** Makes every intent write (record, remove, mark) throw {@code failure} until called with null. */
    public void failIntents(RuntimeException failure) {
        intentFailure.set(failure);
    }

    private void failIntentIfAsked() {
        RuntimeException failure = intentFailure.get();
        if (failure != null) {
            throw failure;
        }
    }

    /** Makes the next {@link #record} throw {@code failure} (once). */
    public void failNextRecord(RuntimeException failure) {
        nextRecordFailure.set(failure);
    }

    /** How many records there are, of every app. */
    public int size() {
        return records.size();
    }

    private static String key(ResourceKind kind, String runwayId) {
        return kind.wireName() + "#" + runwayId;
    }
}
