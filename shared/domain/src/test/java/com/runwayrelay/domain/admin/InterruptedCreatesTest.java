package com.runwayrelay.domain.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.owned.CreateIntent;
import com.runwayrelay.domain.owned.Ownership;
import com.runwayrelay.domain.owned.OwnershipStore;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.owned.memory.InMemoryOwnershipStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InterruptedCreatesTest {
    private static final Instant T0 = Instant.parse("2026-12-04T06:00:00Z");
    private static final Instant FAR = T0.plus(Duration.ofDays(1));

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryOwnershipStore store = new InMemoryOwnershipStore();
    private final InterruptedCreates sweep = new InterruptedCreates(store, clock);

    private CreateIntent intent(String id, ResourceKind kind, Instant startedAt) {
        CreateIntent intent = new CreateIntent(id, kind, "app_a", "name " + id, startedAt, null);
        store.recordIntent(intent);
        return intent;
    }

    @Test
    void reportsAnIntentOnlyOnceItIsSettleOld_andThenNeverAgain() {
        CreateIntent left = intent("i-1", ResourceKind.DOCUMENTS, T0);

        clock.advance(Orphans.SETTLE.minusMillis(1));
        assertEquals(List.of(), sweep.run(10, FAR).reported());

        clock.advance(Duration.ofMillis(1));
        InterruptedCreates.Result first = sweep.run(10, FAR);
        assertEquals(List.of(left.reported(T0.plus(Orphans.SETTLE))), first.reported());
        assertEquals(Optional.of(left.reported(T0.plus(Orphans.SETTLE))), store.intent(ResourceKind.DOCUMENTS, "i-1"),
                "kept, reported, as evidence");

        clock.advance(Duration.ofMinutes(10));
        InterruptedCreates.Result second = sweep.run(10, FAR);
        assertEquals(List.of(), second.reported());
        assertEquals(0, second.skipped(), "a reported intent leaves the due query");
    }

    @Test
    void neverReportsAnIntentTheCreateReportedOrRemoved() {
        CreateIntent reported = intent("i-1", ResourceKind.VOICES, T0);
        store.markIntentReported(reported, T0.plusSeconds(1));
        intent("i-2", ResourceKind.AVATARS, T0);
        store.removeIntent(ResourceKind.AVATARS, "i-2");

        clock.advance(Duration.ofHours(1));
        assertEquals(List.of(), sweep.run(10, FAR).reported());
    }

    @Test
    void reportsTheOldestFirst_atMostTheLimitPerPass() {
        intent("i-b", ResourceKind.DOCUMENTS, T0.plusSeconds(2));
        intent("i-a", ResourceKind.AVATARS, T0.plusSeconds(1));
        intent("i-c", ResourceKind.VOICES, T0.plusSeconds(3));
        clock.advance(Duration.ofHours(1));

        assertEquals(List.of("i-a", "i-b"), sweep.run(2, FAR).reported().stream().map(CreateIntent::intentId).toList());
        assertEquals(List.of("i-c"), sweep.run(2, FAR).reported().stream().map(CreateIntent::intentId).toList());
    }

    @Test
    void claimsNoIntentAfterItsStopTime() {
        intent("i-1", ResourceKind.DOCUMENTS, T0);
        clock.advance(Duration.ofHours(1));

        assertEquals(List.of(), sweep.run(10, clock.instant().minusMillis(1)).reported());
        assertEquals(1, sweep.run(10, clock.instant()).reported().size());
    }

    @Test
    void ofTwoOverlappingSweeps_exactlyOneReportsEachIntent() {
        intent("i-1", ResourceKind.DOCUMENTS, T0);
        intent("i-2", ResourceKind.VOICES, T0.plusSeconds(1));
        clock.advance(Duration.ofHours(1));
        InterruptedCreates other = new InterruptedCreates(store, clock);
        InterruptedCreates.Result[] otherResult = new InterruptedCreates.Result[1];
        // The first sweep reads the due intents, then the other sweep runs to its end before the first claims any.
        InterruptedCreates first = new InterruptedCreates(new DueThen(store, () -> otherResult[0] = other.run(10, FAR)), clock);

        InterruptedCreates.Result result = first.run(10, FAR);

        assertEquals(2, otherResult[0].reported().size());
        assertEquals(List.of(), result.reported());
        assertEquals(2, result.skipped());
    }

    @Test
    void leavesAnIntentToALaterPass_whenItsClaimFails() {
        intent("i-1", ResourceKind.DOCUMENTS, T0);
        clock.advance(Duration.ofHours(1));
        IllegalStateException down = new IllegalStateException("table unreachable");
        store.failIntents(down);

        InterruptedCreates.Result failed = sweep.run(10, FAR);
        assertEquals(List.of(), failed.reported());
        assertSame(down, failed.failures().getFirst().error());

        store.failIntents(null);
        assertEquals(1, sweep.run(10, FAR).reported().size());
    }

    @Test
    void refusesALimitBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> sweep.run(0, FAR));
    }

    /** A store that runs {@code between} once, after answering the due query and before anything else. */
    private record DueThen(InMemoryOwnershipStore store, Runnable between) implements OwnershipStore {
        @Override
        public List<CreateIntent> intentsDue(Instant startedBy, int limit) {
            List<CreateIntent> due = store.intentsDue(startedBy, limit);
            between.run();
            return due;
        }

        @Override
        public boolean markIntentReported(CreateIntent intent, Instant at) {
            return store.markIntentReported(intent, at);
        }

        @Override
        public void recordIntent(CreateIntent intent) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeIntent(ResourceKind kind, String intentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<CreateIntent> intentsStarted(ResourceKind kind, Instant from, Instant to, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean record(Ownership ownership) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean transfer(Ownership next, String fromAppId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Ownership> find(ResourceKind kind, String runwayId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Ownership> chargesDue(Instant now, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean moveCheck(ResourceKind kind, String runwayId, Ownership.Charge expected, Instant checkAt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean update(Ownership ownership) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void remove(ResourceKind kind, String runwayId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Page list(String appId, ResourceKind kind, boolean descending, Position after, int limit) {
            throw new UnsupportedOperationException();
        }
    }
}
