package com.runwayrelay.domain.owned;

import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.owned.RunwayDocuments.Answer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An app's knowledge documents, forwarded to Runway and kept apart per app (issue #18).
 *
 * <ul>
 *   <li><b>Create</b>: an intent ({@link CreateIntent}), Runway, then the ownership record. If the record cannot be written the
 *       document is deleted at Runway again, so the app never has a document it cannot reach; if that
 *       delete fails too, or Runway's answer to the create was lost, the outcome names the possible
 *       orphan for the caller to report.</li>
 *   <li><b>Get, update, delete</b>: the ownership record first. No record, or another app's, is
 *       {@link Outcome.NotFound}, exactly like a missing one, and Runway is not asked. Runway's 404
 *       removes the record.</li>
 *   <li><b>List</b>: pages of the app's own records (never Runway's organization-wide list, whose
 *       pages filtered per app would be empty and stop an SDK's paging), each document read from
 *       Runway; one Runway no longer has is dropped from the page and its record removed.</li>
 * </ul>
 * Inputs are already validated by the caller (names and contents are non-empty strings).
 */
public final class Documents {
    /** The largest page; Runway's limit. */
    public static final int MAX_LIMIT = 100;
    /** The page size when none is asked for; Runway's default. */
    public static final int DEFAULT_LIMIT = 50;

    private final OwnershipStore store;
    private final RunwayDocuments runway;
    private final Clock clock;
    private final CreateIntents intents;

    public Documents(OwnershipStore store, RunwayDocuments runway, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.runway = Objects.requireNonNull(runway, "runway");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.intents = new CreateIntents(store, clock);
    }

    /**
     * Creates a document for {@code appId} and records that the app owns it, inside a {@link CreateIntent}:
     * written before Runway is asked (a store that cannot write it is {@link Outcome.Unavailable} and Runway
     * is not asked), removed when nothing can be orphaned any more, kept (reported) on
     * {@link Outcome.PossibleOrphan}, and left for the poller's sweep when the create never finishes.
     */
    public Outcome create(String appId, String name, String content) {
        CreateIntent intent;
        try {
            intent = intents.begin(appId, ResourceKind.DOCUMENTS, name);
        } catch (RuntimeException e) {
            return new Outcome.Unavailable(CreateIntents.notBegun(e), CreateIntents.RETRY_AFTER);
        }
        // An exception out of the create leaves the intent as it is: the outcome is unknown, the sweep reports it.
        Outcome outcome = createAndRecord(appId, name, content);
        intents.finish(intent, outcome instanceof Outcome.PossibleOrphan);
        return outcome;
    }

    private Outcome createAndRecord(String appId, String name, String content) {
        Answer answer = runway.create(name, content);
        if (!(answer instanceof Answer.Found found)) {
            return switch (answer) {
                case Answer.Rejected r -> new Outcome.Rejected(r.status(), r.error(), r.issues());
                case Answer.Ambiguous a -> new Outcome.PossibleOrphan(null, a.reason());
                default -> unavailable(answer);
            };
        }
        RunwayDocument document = found.document();
        Ownership ownership = new Ownership(appId, ResourceKind.DOCUMENTS, document.id(), document.name(),
                document.createdAt(), document.updatedAt());
        boolean recorded;
        try {
            recorded = store.record(ownership);
        } catch (RuntimeException e) {
            // Without its record no app could ever reach (or delete) the document: take it back.
            Answer undone = runway.delete(document.id());
            boolean gone = undone instanceof Answer.Done || undone instanceof Answer.NotFound;
            return gone ? new Outcome.Unavailable("the document's owner could not be recorded (" + e.getClass()
                    .getSimpleName() + "); it was deleted at Runway again", Duration.ofSeconds(1))
                    : new Outcome.PossibleOrphan(document.id(), "the owner could not be recorded ("
                    + e.getClass().getSimpleName() + ") and the delete at Runway failed");
        }
        if (!recorded) {
            // Runway's ids are unique; a record already there belongs to someone and must stay.
            throw new IllegalStateException("Runway returned the id of a document already recorded: " + document.id());
        }
        return new Outcome.Found(document);
    }

    /** The app's document. */
    public Outcome get(String appId, String id) {
        Optional<Ownership> owned = owned(appId, id);
        if (owned.isEmpty()) {
            return new Outcome.NotFound();
        }
        return switch (runway.get(id)) {
            case Answer.Found found -> new Outcome.Found(found.document());
            case Answer.NotFound gone -> forget(id);
            case Answer other -> unavailable(other);
        };
    }

    /** Renames the app's document, changes its content, or both (null leaves a field as it is). */
    public Outcome update(String appId, String id, String name, String content) {
        Optional<Ownership> owned = owned(appId, id);
        if (owned.isEmpty()) {
            return new Outcome.NotFound();
        }
        return switch (runway.update(id, name, content)) {
            case Answer.Done done -> {
                store.update(owned.get().updated(name, clock.instant()));
                yield new Outcome.Done();
            }
            case Answer.Found found -> {
                store.update(owned.get().updated(name, clock.instant()));
                yield new Outcome.Done();
            }
            case Answer.NotFound gone -> forget(id);
            case Answer.Rejected r -> new Outcome.Rejected(r.status(), r.error(), r.issues());
            case Answer other -> unavailable(other);
        };
    }

    /** Deletes the app's document at Runway, then its record. */
    public Outcome delete(String appId, String id) {
        Optional<Ownership> owned = owned(appId, id);
        if (owned.isEmpty()) {
            return new Outcome.NotFound();
        }
        return switch (runway.delete(id)) {
            case Answer.Done done -> {
                store.remove(ResourceKind.DOCUMENTS, id);
                yield new Outcome.Done();
            }
            case Answer.NotFound gone -> forget(id);
            case Answer other -> unavailable(other);
        };
    }

    /**
     * One page of the app's documents by creation time.
     *
     * @param cursor the previous page's {@code nextCursor}, or null for the first page
     * @param limit  1 to {@value #MAX_LIMIT}
     */
    public Outcome list(String appId, boolean descending, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT + ", got " + limit);
        }
        OwnershipStore.Position after = null;
        if (cursor != null) {
            switch (ListCursor.decode(cursor, appId, ResourceKind.DOCUMENTS, descending)) {
                case ListCursor.Decoded.Refused refused -> {
                    return new Outcome.Rejected(refused.violation().message(), List.of(refused.violation()));
                }
                case ListCursor.Decoded.Ok ok -> after = ok.after();
            }
        }
        OwnershipStore.Page page = store.list(appId, ResourceKind.DOCUMENTS, descending, after, limit);
        List<RunwayDocument> documents = new ArrayList<>();
        for (Ownership ownership : page.items()) {
            switch (runway.get(ownership.runwayId())) {
                case Answer.Found found -> documents.add(found.document());
                case Answer.NotFound gone -> store.remove(ResourceKind.DOCUMENTS, ownership.runwayId());
                case Answer other -> {
                    return unavailable(other);
                }
            }
        }
        // The cursor follows the last record read, also when Runway no longer had that document.
        String next = page.hasMore() && !page.items().isEmpty()
                ? ListCursor.encode(appId, ResourceKind.DOCUMENTS, descending, page.items().getLast().position())
                : null;
        return new Outcome.Listed(documents, next);
    }

    private Optional<Ownership> owned(String appId, String id) {
        return store.find(ResourceKind.DOCUMENTS, id).filter(o -> o.ownedBy(appId));
    }

    private Outcome forget(String id) {
        store.remove(ResourceKind.DOCUMENTS, id);
        return new Outcome.NotFound();
    }

    private static Outcome unavailable(Answer answer) {
        return switch (answer) {
            case Answer.Unavailable u -> new Outcome.Unavailable(u.reason(), u.retryAfter());
            case Answer.Ambiguous a -> new Outcome.Unavailable(a.reason(), null);
            default -> throw new IllegalStateException("unexpected answer from Runway: " + answer);
        };
    }

    /** What became of a call, free of HTTP. */
    public sealed interface Outcome {
        /** The document (created or read). */
        record Found(RunwayDocument document) implements Outcome {
        }

        /** Updated or deleted. */
        record Done() implements Outcome {
        }

        /** One page: the documents and the cursor of the next page (null on the last). */
        record Listed(List<RunwayDocument> documents, String nextCursor) implements Outcome {
            public Listed {
                documents = List.copyOf(documents);
            }
        }

        /** No such document for this app: missing, another app's, or gone at Runway. */
        record NotFound() implements Outcome {
        }

        /**
         * Refused, nothing changed: by Runway ({@code status} 400, or 409 when a create or change conflicts
         * with the document's state) or by the gateway (400: a cursor it did not issue to this listing).
         */
        record Rejected(int status, String error, List<Violation> issues) implements Outcome {
            public Rejected {
                issues = List.copyOf(issues);
            }

            /** A 400. */
            public Rejected(String error, List<Violation> issues) {
                this(400, error, issues);
            }
        }

        /** Runway (or the store) could not do it now; nothing changed for the app. */
        record Unavailable(String reason, Duration retryAfter) implements Outcome {
        }

        /**
         * A create that may have left a document at Runway that no app owns: Runway's answer was lost
         * ({@code runwayId} null), or the owner could not be recorded and the document could not be
         * deleted again. No app can reach it; the operator finds it in Runway's own list.
         */
        record PossibleOrphan(String runwayId, String reason) implements Outcome {
        }
    }
}
