package com.runwayrelay.domain.owned;

import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.owned.RunwayResources.Answer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One kind of an app's Runway resources (avatars, voices), forwarded to Runway and kept apart per app
 * (issue #18), with the rules of {@link Documents} over opaque bodies:
 *
 * <ul>
 *   <li><b>Create</b>: the ids the body names ({@link Reference}) must be the app's own, else
 *       {@link Outcome.Rejected} and Runway is not asked. Then an intent ({@link CreateIntent}, as for
 *       documents), Runway, then the ownership record; if the
 *       record cannot be written the resource is deleted at Runway again, and if that fails too (or
 *       Runway's answer was lost) the outcome names the possible orphan.</li>
 *   <li><b>Get, update, delete</b>: the ownership record first. No record, or another app's, is
 *       {@link Outcome.NotFound}, exactly like a missing one, and Runway is not asked. Runway's 404
 *       removes the record.</li>
 *   <li><b>List</b>: pages of the app's own records, each resource read from Runway; one Runway no
 *       longer has is dropped from the page and its record removed.</li>
 * </ul>
 *
 * @param <Q> a create or update body
 * @param <R> a resource as Runway shows it
 */
public final class OwnedResources<Q, R> {
    /** The largest page; Runway's limit. */
    public static final int MAX_LIMIT = 100;
    /** The page size when none is asked for. */
    public static final int DEFAULT_LIMIT = 50;

    private final ResourceKind kind;
    private final OwnershipStore store;
    private final RunwayResources<Q, R> runway;
    private final OwnedReferences references;
    private final Clock clock;
    private final CreateIntents intents;

    public OwnedResources(ResourceKind kind, OwnershipStore store, RunwayResources<Q, R> runway, Clock clock) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.store = Objects.requireNonNull(store, "store");
        this.runway = Objects.requireNonNull(runway, "runway");
        this.references = new OwnedReferences(store);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.intents = new CreateIntents(store, clock);
    }

    /** The kind this use case serves. */
    public ResourceKind kind() {
        return kind;
    }

    /**
     * Creates a resource for {@code appId} and records that the app owns it, inside a {@link CreateIntent}
     * exactly as {@link Documents#create} does (after the check of the named ids, which asks no store write).
     *
     * @param name  the resource's name (kept in the ownership record)
     * @param named the ids the body names, each of which the app must own
     */
    public Outcome<R> create(String appId, Q body, String name, List<Reference> named) {
        List<Violation> unowned = references.unowned(appId, named);
        if (!unowned.isEmpty()) {
            return new Outcome.Rejected<>(400, "A resource the body names is not this app's", unowned, true);
        }
        CreateIntent intent;
        try {
            intent = intents.begin(appId, kind, name);
        } catch (RuntimeException e) {
            return new Outcome.Unavailable<>(CreateIntents.notBegun(e), CreateIntents.RETRY_AFTER);
        }
        // An exception out of the create leaves the intent as it is: the outcome is unknown, the sweep reports it.
        Outcome<R> outcome = createAndRecord(appId, body, name);
        intents.finish(intent, outcome instanceof Outcome.PossibleOrphan);
        return outcome;
    }

    private Outcome<R> createAndRecord(String appId, Q body, String name) {
        Answer<R> answer = runway.create(body);
        if (!(answer instanceof Answer.Created<R> created)) {
            return switch (answer) {
                case Answer.Rejected<R> r -> new Outcome.Rejected<>(r.status(), r.error(), r.issues(), false);
                case Answer.Ambiguous<R> a -> new Outcome.PossibleOrphan<>(null, a.reason());
                default -> unavailable(answer);
            };
        }
        Instant createdAt = created.createdAt() == null ? clock.instant() : created.createdAt();
        Ownership ownership = new Ownership(appId, kind, created.id(), name, createdAt, createdAt);
        boolean recorded;
        try {
            recorded = store.record(ownership);
        } catch (RuntimeException e) {
            // Without its record no app could ever reach (or delete) the resource: take it back.
            Answer<R> undone = runway.delete(created.id());
            boolean gone = undone instanceof Answer.Done || undone instanceof Answer.NotFound;
            return gone ? new Outcome.Unavailable<>("the owner could not be recorded (" + e.getClass().getSimpleName()
                    + "); the resource was deleted at Runway again", Duration.ofSeconds(1))
                    : new Outcome.PossibleOrphan<>(created.id(), "the owner could not be recorded ("
                    + e.getClass().getSimpleName() + ") and the delete at Runway failed");
        }
        if (!recorded) {
            // Runway's ids are unique; a record already there belongs to someone and must stay.
            throw new IllegalStateException("Runway returned the id of a " + kind.wireName() + " resource already recorded: "
                    + created.id());
        }
        return new Outcome.Found<>(created.resource());
    }

    /** The app's resource. */
    public Outcome<R> get(String appId, String id) {
        if (owned(appId, id).isEmpty()) {
            return new Outcome.NotFound<>();
        }
        return switch (runway.get(id)) {
            case Answer.Found<R> found -> new Outcome.Found<>(found.resource());
            case Answer.NotFound<R> gone -> forget(id);
            case Answer.Rejected<R> r -> new Outcome.Rejected<>(r.status(), r.error(), r.issues(), false);
            case Answer<R> other -> unavailable(other);
        };
    }

    /**
     * Changes the app's resource.
     *
     * @param newName the new name, or null when the body leaves it
     * @param named   the ids the body names, each of which the app must own
     */
    public Outcome<R> update(String appId, String id, Q body, String newName, List<Reference> named) {
        Optional<Ownership> owned = owned(appId, id);
        if (owned.isEmpty()) {
            return new Outcome.NotFound<>();
        }
        List<Violation> unowned = references.unowned(appId, named);
        if (!unowned.isEmpty()) {
            return new Outcome.Rejected<>(400, "A resource the body names is not this app's", unowned, true);
        }
        return switch (runway.update(id, body)) {
            case Answer.Found<R> found -> {
                store.update(owned.get().updated(newName, clock.instant()));
                yield new Outcome.Found<>(found.resource());
            }
            case Answer.NotFound<R> gone -> forget(id);
            case Answer.Rejected<R> r -> new Outcome.Rejected<>(r.status(), r.error(), r.issues(), false);
            case Answer<R> other -> unavailable(other);
        };
    }

    /** Deletes the app's resource at Runway, then its record. */
    public Outcome<R> delete(String appId, String id) {
        if (owned(appId, id).isEmpty()) {
            return new Outcome.NotFound<>();
        }
        return switch (runway.delete(id)) {
            case Answer.Done<R> done -> {
                store.remove(kind, id);
                yield new Outcome.Done<>();
            }
            case Answer.NotFound<R> gone -> forget(id);
            case Answer.Rejected<R> r -> new Outcome.Rejected<>(r.status(), r.error(), r.issues(), false);
            case Answer<R> other -> unavailable(other);
        };
    }

    /**
     * One page of the app's resources by creation time.
     *
     * @param cursor the previous page's {@code nextCursor}, or null for the first page
     * @param limit  1 to {@value #MAX_LIMIT}
     */
    public Outcome<R> list(String appId, boolean descending, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT + ", got " + limit);
        }
        OwnershipStore.Position after = null;
        if (cursor != null) {
            switch (ListCursor.decode(cursor, appId, kind, descending)) {
                case ListCursor.Decoded.Refused refused -> {
                    return new Outcome.Rejected<>(400, refused.violation().message(), List.of(refused.violation()), true);
                }
                case ListCursor.Decoded.Ok ok -> after = ok.after();
            }
        }
        OwnershipStore.Page page = store.list(appId, kind, descending, after, limit);
        List<R> resources = new ArrayList<>();
        for (Ownership ownership : page.items()) {
            switch (runway.get(ownership.runwayId())) {
                case Answer.Found<R> found -> resources.add(found.resource());
                case Answer.NotFound<R> gone -> store.remove(kind, ownership.runwayId());
                case Answer.Rejected<R> r -> {
                    return new Outcome.Rejected<>(r.status(), r.error(), r.issues(), false);
                }
                case Answer<R> other -> {
                    return unavailable(other);
                }
            }
        }
        // The cursor follows the last record read, also when Runway no longer had that resource.
        String next = page.hasMore() && !page.items().isEmpty()
                ? ListCursor.encode(appId, kind, descending, page.items().getLast().position())
                : null;
        return new Outcome.Listed<>(resources, next);
    }

    /**
     * Every record of the app of this kind, oldest first, read in pages (for aggregates over what the
     * app owns).
     */
    public List<Ownership> allOwned(String appId) {
        List<Ownership> all = new ArrayList<>();
        OwnershipStore.Position after = null;
        while (true) {
            OwnershipStore.Page page = store.list(appId, kind, false, after, MAX_LIMIT);
            all.addAll(page.items());
            if (!page.hasMore() || page.items().isEmpty()) {
                return all;
            }
            after = page.items().getLast().position();
        }
    }

    private Optional<Ownership> owned(String appId, String id) {
        return store.find(kind, id).filter(o -> o.ownedBy(appId));
    }

    private Outcome<R> forget(String id) {
        store.remove(kind, id);
        return new Outcome.NotFound<>();
    }

    private static <R> Outcome<R> unavailable(Answer<R> answer) {
        return switch (answer) {
            case Answer.Unavailable<R> u -> new Outcome.Unavailable<>(u.reason(), u.retryAfter());
            case Answer.Ambiguous<R> a -> new Outcome.Unavailable<>(a.reason(), null);
            default -> throw new IllegalStateException("unexpected answer from Runway: " + answer);
        };
    }

    /** What became of a call, free of HTTP. */
    public sealed interface Outcome<R> {
        /** The resource (created, read or changed). */
        record Found<R>(R resource) implements Outcome<R> {
        }

        /** Deleted. */
        record Done<R>() implements Outcome<R> {
        }

        /** One page: the resources and the cursor of the next page (null on the last). */
        record Listed<R>(List<R> resources, String nextCursor) implements Outcome<R> {
            public Listed {
                resources = List.copyOf(resources);
            }
        }

        /** No such resource for this app: missing, another app's, or gone at Runway. */
        record NotFound<R>() implements Outcome<R> {
        }

        /**
         * Refused, by Runway ({@code byGateway} false: its 400, or 409 while processing) or by the gateway
         * (a cursor it did not issue to this listing, a named resource that is not the app's).
         */
        record Rejected<R>(int status, String error, List<Violation> issues, boolean byGateway) implements Outcome<R> {
            public Rejected {
                issues = List.copyOf(issues);
            }
        }

        /** Runway (or the store) could not do it now; nothing changed for the app. */
        record Unavailable<R>(String reason, Duration retryAfter) implements Outcome<R> {
        }

        /** A create that may have left a resource at Runway that no app owns (see {@link Documents.Outcome.PossibleOrphan}). */
        record PossibleOrphan<R>(String runwayId, String reason) implements Outcome<R> {
        }
    }
}
