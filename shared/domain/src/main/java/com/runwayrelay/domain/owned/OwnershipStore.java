package com.runwayrelay.domain.owned;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which app owns which Runway resource. Records are keyed by kind and Runway id (one owner per
 * resource) and listed per app and kind, ordered by creation time then Runway id. Lists never show
 * another app's records, whatever position they start after.
 */
public interface OwnershipStore {

    /**
     * Records a new ownership.
     *
     * @return false (and nothing changes) if this kind and Runway id are already recorded, for any app
     */
    boolean record(Ownership ownership);

    /**
     * Gives a recorded resource to another owner: replaces the record of {@code next}'s kind and Runway id
     * with {@code next}, only while it is still owned by {@code fromAppId} (a compare-and-set on the owner,
     * so two operators cannot both take it, and a record removed meanwhile is not brought back).
     *
     * @return false (and nothing changes) when there is no such record or another app owns it
     */
    boolean transfer(Ownership next, String fromAppId);

    /** The record of this resource, for whichever app owns it. */
    Optional<Ownership> find(ResourceKind kind, String runwayId);

    /**
     * The records of these ids of a kind that exist, each read as {@link #find} reads it (with its
     * charge), keyed by Runway id. This default finds them one by one; adapters read in batches.
     */
    default Map<String, Ownership> findAll(ResourceKind kind, Collection<String> runwayIds) {
        Map<String, Ownership> found = new HashMap<>();
        for (String id : runwayIds) {
            find(kind, id).ifPresent(o -> found.put(id, o));
        }
        return found;
    }

    /**
     * Records of every app holding a charge whose {@link Ownership.Charge#checkAt()} is at or before
     * {@code now}, earliest first, each read as {@link #find} reads it. A record settled a moment ago may
     * still be returned by an adapter whose index lags; it then carries no charge, and callers skip it.
     *
     * @param limit at most this many records, 1 or more
     */
    List<Ownership> chargesDue(Instant now, int limit);

    /**
     * Moves the check time of a record's charge, only if the record still holds exactly {@code expected}
     * (same ledger id and check time): a compare-and-set, so two passes never both claim a record and a
     * charge settled meanwhile is never brought back.
     *
     * @return false (and nothing changes) when the record is gone or holds another or no charge
     */
    boolean moveCheck(ResourceKind kind, String runwayId, Ownership.Charge expected, Instant checkAt);

    /**
     * Replaces the name, update time, charge and measured duration of an existing record (the owner,
     * kind, id and creation time stay); a null charge removes the record's charge.
     *
     * @return false if there is no such record (nothing is written)
     */
    boolean update(Ownership ownership);

    /** Removes the record if there is one; removing a missing record is no error. */
    void remove(ResourceKind kind, String runwayId);

    /**
     * One page of an app's records of a kind. The records carry no {@link Ownership#charge()} (an
     * index need not hold it); {@link #find} reads a record's charge.
     *
     * @param after      the position the page starts after (exclusive), or null for the first page
     * @param descending newest first when true, oldest first when false
     * @param limit      at most this many records, 1 or more
     */
    Page list(String appId, ResourceKind kind, boolean descending, Position after, int limit);

    /**
     * Writes the intent of a create about to ask Runway (unreported; {@link CreateIntent#reportedAt()} is
     * ignored). Stores drop it {@link CreateIntent#KEEP} after its start.
     */
    void recordIntent(CreateIntent intent);

    /** Removes an intent if there is one; removing a missing intent is no error. */
    void removeIntent(ResourceKind kind, String intentId);

    /**
     * Marks an intent reported at {@code at}, only if it is still there and unreported: a compare-and-set,
     * so of two sweeps (or a sweep and the create itself) exactly one reports it. A reported intent is kept
     * (it leaves {@link #intentsDue}) until the store drops it. A mark that landed but whose answer was lost
     * (the client retried it) is still this caller's: true, or the report would be lost.
     *
     * @return false (and nothing changes) when the intent is gone or already reported
     */
    boolean markIntentReported(CreateIntent intent, Instant at);

    /**
     * Unreported intents of every app and kind started at or before {@code startedBy}, earliest first, each
     * read as written. An intent reported or removed a moment ago may still be returned by an adapter whose
     * index lags (reported: it then carries its {@code reportedAt}); callers skip those, and the
     * compare-and-set of {@link #markIntentReported} settles the rest.
     *
     * @param limit at most this many intents, 1 or more
     */
    List<CreateIntent> intentsDue(Instant startedBy, int limit);

    /**
     * Intents of a kind (reported or not) started from {@code from} to {@code to} (both inclusive), earliest
     * first, as an index projects them: without {@code reportedAt}.
     *
     * @param limit at most this many intents, 1 or more
     */
    List<CreateIntent> intentsStarted(ResourceKind kind, Instant from, Instant to, int limit);

    /** A place in an app's list: creation time, then Runway id to break ties. */
    record Position(Instant createdAt, String runwayId) {
        public Position {
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(runwayId, "runwayId");
        }
    }

    /**
     * @param items   the records, in the list's order
     * @param hasMore whether records follow the last one
     */
    record Page(List<Ownership> items, boolean hasMore) {
        public Page {
            items = List.copyOf(items);
        }
    }
}
