package com.runwayrelay.domain.owned;

import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.owned.RunwayRealtime.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An app's avatar conversations (issue #18). A conversation has its realtime session's id and belongs
 * to the app that created the session: its ownership record is written with the session's
 * ({@link RealtimeSessions}), named after the session's avatar ({@code custom:<id>} or
 * {@code runway-preset:<id>}).
 *
 * <ul>
 *   <li><b>Get, delete</b>: the record first (another app's id is {@link Outcome.NotFound}); Runway's
 *       404 removes the record; a delete removes it after Runway's. The session's record stays, so the
 *       session can still be read and settled.</li>
 *   <li><b>List</b>: the app's own records, newest first, with the gateway's cursors; the
 *       {@code avatar} filter and the dates apply to the records (no Runway call for a conversation
 *       filtered out), so a page is filled from the records that match. Each listed conversation is
 *       read from Runway; one Runway no longer has is dropped and its record removed.</li>
 *   <li>Every read of an ended conversation settles its session's charge ({@link SessionCharges}).</li>
 * </ul>
 */
public final class AvatarConversations {
    /** The largest page; Runway's limit. */
    public static final int MAX_LIMIT = 100;
    /** The page size when none is asked for; Runway's default. */
    public static final int DEFAULT_LIMIT = 50;
    /**
     * At most this many records are looked at for one filtered page: a page may then be short, and is
     * empty (which ends an SDK's paging) only when that many records in a row were filtered out.
     */
    static final int MAX_SCANNED = 1000;

    private final OwnershipStore store;
    private final RunwayRealtime runway;
    private final SessionCharges charges;

    AvatarConversations(OwnershipStore store, RunwayRealtime runway, SessionCharges charges) {
        this.store = Objects.requireNonNull(store, "store");
        this.runway = Objects.requireNonNull(runway, "runway");
        this.charges = Objects.requireNonNull(charges, "charges");
    }

    /**
     * What a list keeps.
     *
     * @param avatarId  only conversations with this custom avatar, or null
     * @param startDate only conversations created at or after this, or null
     * @param endDate   only conversations created before this, or null
     */
    public record Filter(String avatarId, Instant startDate, Instant endDate) {
        /** No filter. */
        public static final Filter NONE = new Filter(null, null, null);

        boolean keeps(Ownership record) {
            return (avatarId == null || record.name().equals("custom:" + avatarId))
                    && (startDate == null || !record.createdAt().isBefore(startDate))
                    && (endDate == null || record.createdAt().isBefore(endDate));
        }
    }

    /** The app's conversation. */
    public Outcome get(String appId, String id) {
        Optional<Ownership> owned = owned(appId, id);
        if (owned.isEmpty()) {
            return new Outcome.NotFound();
        }
        return switch (runway.getConversation(id)) {
            case Answer.ConversationFound found -> {
                charges.settleFromConversation(found.conversation());
                yield new Outcome.Found(found.conversation());
            }
            case Answer.NotFound gone -> forget(id);
            case Answer other -> unavailable(other);
        };
    }

    /**
     * Deletes the app's conversation at Runway, then its record. An ended conversation settles its
     * session first, since its duration is gone once it is deleted.
     */
    public Outcome delete(String appId, String id) {
        Optional<Ownership> owned = owned(appId, id);
        if (owned.isEmpty()) {
            return new Outcome.NotFound();
        }
        boolean charged = store.find(ResourceKind.REALTIME_SESSIONS, id).map(s -> s.charge() != null).orElse(false);
        if (charged && runway.getConversation(id) instanceof Answer.ConversationFound found) {
            charges.settleFromConversation(found.conversation());
        }
        return switch (runway.deleteConversation(id)) {
            case Answer.Done done -> {
                store.remove(ResourceKind.AVATAR_CONVERSATIONS, id);
                yield new Outcome.Done();
            }
            case Answer.NotFound gone -> forget(id);
            case Answer other -> unavailable(other);
        };
    }

    /**
     * One page of the app's conversations, newest first.
     *
     * @param cursor the previous page's {@code nextCursor}, or null for the first page
     * @param limit  1 to {@value #MAX_LIMIT}
     */
    public Outcome list(String appId, Filter filter, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT + ", got " + limit);
        }
        OwnershipStore.Position after = null;
        if (cursor != null) {
            switch (ListCursor.decode(cursor, appId, ResourceKind.AVATAR_CONVERSATIONS, true)) {
                case ListCursor.Decoded.Refused refused -> {
                    return new Outcome.Rejected(refused.violation().message(), List.of(refused.violation()));
                }
                case ListCursor.Decoded.Ok ok -> after = ok.after();
            }
        } else if (filter.endDate() != null) {
            // Newest first: start just below endDate (every id sorts after the empty one, so endDate itself is out).
            after = new OwnershipStore.Position(filter.endDate(), "");
        }
        List<RunwayConversation> conversations = new ArrayList<>();
        int scanned = 0;
        OwnershipStore.Position last = null;
        boolean more = true;
        while (more && conversations.size() < limit && scanned < MAX_SCANNED) {
            OwnershipStore.Page page = store.list(appId, ResourceKind.AVATAR_CONVERSATIONS, true, after,
                    limit - conversations.size());
            more = page.hasMore();
            for (Ownership record : page.items()) {
                scanned++;
                last = record.position();
                if (filter.startDate() != null && record.createdAt().isBefore(filter.startDate())) {
                    // Newest first: every record after this one is older still.
                    more = false;
                    break;
                }
                if (!filter.keeps(record)) {
                    continue;
                }
                switch (runway.getConversation(record.runwayId())) {
                    case Answer.ConversationFound found -> {
                        charges.settleFromConversation(found.conversation());
                        conversations.add(found.conversation());
                    }
                    case Answer.NotFound gone -> store.remove(ResourceKind.AVATAR_CONVERSATIONS, record.runwayId());
                    case Answer other -> {
                        return unavailable(other);
                    }
                }
            }
            if (page.items().isEmpty()) {
                more = false;
            }
            after = last;
        }
        // The cursor follows the last record looked at, also when it was filtered out or gone at Runway.
        String next = more && last != null
                ? ListCursor.encode(appId, ResourceKind.AVATAR_CONVERSATIONS, true, last)
                : null;
        return new Outcome.Listed(conversations, next);
    }

    private Optional<Ownership> owned(String appId, String id) {
        return store.find(ResourceKind.AVATAR_CONVERSATIONS, id).filter(o -> o.ownedBy(appId));
    }

    private Outcome forget(String id) {
        store.remove(ResourceKind.AVATAR_CONVERSATIONS, id);
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
        /** The conversation. */
        record Found(RunwayConversation conversation) implements Outcome {
        }

        /** Deleted. */
        record Done() implements Outcome {
        }

        /** One page and the cursor of the next (null on the last). */
        record Listed(List<RunwayConversation> conversations, String nextCursor) implements Outcome {
            public Listed {
                conversations = List.copyOf(conversations);
            }
        }

        /** No such conversation for this app: missing, another app's, or gone at Runway. */
        record NotFound() implements Outcome {
        }

        /** Refused: a cursor the gateway did not issue to this listing. */
        record Rejected(String error, List<Violation> issues) implements Outcome {
            public Rejected {
                issues = List.copyOf(issues);
            }
        }

        /** Runway could not be asked now; nothing changed for the app. */
        record Unavailable(String reason, Duration retryAfter) implements Outcome {
        }
    }
}
