package com.runwayrelay.domain.admin;

import com.runwayrelay.domain.owned.CreateIntent;
import com.runwayrelay.domain.owned.OwnershipStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sweep over {@link CreateIntent}s that no create finished: an intent still unreported
 * {@link Orphans#SETTLE} after its start belongs to a create that stopped between writing it and knowing
 * its outcome (the function crashed or timed out, possibly after Runway created the resource and before
 * the ownership record), or, rarely, to one whose clean end could not remove it. The poller runs one
 * bounded pass per invocation: the due intents with one query ({@link OwnershipStore#intentsDue}), each
 * claimed by marking it reported ({@link OwnershipStore#markIntentReported}, a compare-and-set), so two
 * overlapping passes never both report one, and a reported intent stays (for the orphan scan's hint) until
 * the store drops it. The caller logs and counts the reported ones.
 */
public final class InterruptedCreates {
    private final OwnershipStore store;
    private final Clock clock;

    public InterruptedCreates(OwnershipStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reports up to {@code maxIntents} intents started at least {@link Orphans#SETTLE} ago, claiming none
     * after {@code stopBy}. A store failure on one intent is in the result and leaves it to a later pass.
     */
    public Result run(int maxIntents, Instant stopBy) {
        if (maxIntents < 1) {
            throw new IllegalArgumentException("maxIntents must be >= 1");
        }
        Instant now = clock.instant();
        List<CreateIntent> reported = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        int skipped = 0;
        for (CreateIntent due : store.intentsDue(now.minus(Orphans.SETTLE), maxIntents)) {
            if (clock.instant().isAfter(stopBy)) {
                break;
            }
            if (due.reportedAt() != null) {
                skipped++;
                continue;
            }
            try {
                Instant at = clock.instant();
                if (store.markIntentReported(due, at)) {
                    reported.add(due.reported(at));
                } else {
                    skipped++;
                }
            } catch (RuntimeException e) {
                failures.add(new Failure(due, e));
            }
        }
        return new Result(reported, skipped, failures);
    }

    /**
     * What one pass did.
     *
     * @param reported intents this pass claimed: each one to log and count, once
     * @param skipped  due intents another pass (or the create itself) had reported or removed meanwhile
     * @param failures intents whose claim failed in the store, left to a later pass
     */
    public record Result(List<CreateIntent> reported, int skipped, List<Failure> failures) {
        public Result {
            reported = List.copyOf(reported);
            failures = List.copyOf(failures);
        }
    }

    /** An intent whose claim failed, and why. */
    public record Failure(CreateIntent intent, RuntimeException error) {
    }
}
