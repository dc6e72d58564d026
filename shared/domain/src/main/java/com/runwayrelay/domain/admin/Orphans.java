package com.runwayrelay.domain.admin;

import com.runwayrelay.domain.app.AppRepository;
import com.runwayrelay.domain.owned.CreateIntent;
import com.runwayrelay.domain.owned.Ownership;
import com.runwayrelay.domain.owned.OwnershipStore;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.owned.RunwayInventory;
import com.runwayrelay.domain.owned.RunwayInventory.Item;
import com.runwayrelay.domain.owned.RunwayInventory.Listing;
import com.runwayrelay.domain.owned.RunwayInventory.Lookup;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator's reconciliation of owned resources: the resources Runway has that no current app owns,
 * and what to do with one. One Runway key covers the organization, and a create is a {@link CreateIntent},
 * Runway, then the ownership record: a crash between the last two ({@code interrupted_create} in the
 * poller's logs, {@link InterruptedCreates}), a lost create answer or a failed undo ({@code possible_orphan})
 * leaves a resource nobody owns, and a deleted app leaves its resources with records naming an app that is
 * gone.
 *
 * <ul>
 *   <li><b>Scan</b>: one page of Runway's organization-wide list per call (at most {@code limit} items
 *       examined, so a call never runs unbounded), the page's records read in one batch, each owner app
 *       looked up once. A resource with no record is {@link Reason#NO_OWNER}; one whose record names an app
 *       that no longer exists is {@link Reason#APP_DELETED}. A {@code NO_OWNER} one carries the app of a matching
 *       create intent as a hint ({@link Orphan#likelyAppId()}; one more query per page). The cursor is the
 *       gateway's, wrapping Runway's and bound to the kind.</li>
 *   <li><b>Assign</b>: writes the record for an existing app, conditionally (no record, or still the
 *       deleted app's), after Runway confirms the resource exists.</li>
 *   <li><b>Delete</b>: deletes an orphan at Runway, then removes a deleted app's record if there was one.
 *       A resource an existing app owns is refused: the app deletes its own.</li>
 * </ul>
 *
 * <p><b>Avatar conversations.</b> A conversation has its realtime session's id, and the gateway writes
 * two records with it when the session is created: the session's (its charge) and the conversation's.
 * Only the conversation's is reconciled here; the session's is left as it is (Runway has no list of
 * sessions, and it holds no transcript, only the session's charge or measured seconds, which the
 * poller's settlement pass still settles). So assign writes the conversation's record alone: the app
 * can then read, list and delete the conversation (its transcript), never reach the session, and is
 * charged nothing. Delete deletes the conversation at Runway and a deleted app's conversation record,
 * and keeps any session record. A conversation with no record whose session record exists (a crash
 * between the two writes) is hinted at the session's app, with the session's start, instead of a
 * create intent (sessions write none).
 *
 * <p><b>Settling.</b> A resource with no record created less than {@link #SETTLE} ago may be one an app's
 * create is still recording (Runway answered, the record is being written). It is not an orphan yet: a scan
 * counts it as {@code settling} instead of listing it, and assign and delete refuse it with the time left, so
 * an operator can neither take nor delete a resource from under a create that is about to record it.
 */
public final class Orphans {
    /** Runway items examined by one scan when no limit is asked for. */
    public static final int DEFAULT_LIMIT = 50;
    /** The most Runway items one scan examines; Runway's largest page. */
    public static final int MAX_LIMIT = 100;
    /**
     * How long after Runway's creation time a resource with no record counts as settling: far beyond the
     * longest a create can hold between Runway's answer and the record (the function handling creates stops
     * at its 29 s timeout), with room for a clock difference between Runway and the gateway.
     */
    public static final Duration SETTLE = Duration.ofMinutes(5);
    private static final String PREFIX = "oc1.";
    private static final int MAX_CURSOR = 2000;

    private final OwnershipStore store;
    private final RunwayInventory runway;
    private final AppRepository apps;
    private final Clock clock;

    public Orphans(OwnershipStore store, RunwayInventory runway, AppRepository apps, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.runway = Objects.requireNonNull(runway, "runway");
        this.apps = Objects.requireNonNull(apps, "apps");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Why a resource is an orphan; the wire name is the API's {@code reason}. */
    public enum Reason {
        /** No ownership record. */
        NO_OWNER("no-owner"),
        /** A record whose app was deleted. */
        APP_DELETED("app-deleted");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /**
     * A resource at Runway that no current app owns.
     *
     * @param formerAppId     the deleted app its record names ({@link Reason#APP_DELETED}), else null
     * @param likelyAppId     for {@link Reason#NO_OWNER}: the app of the {@link CreateIntent} that most likely
     *                        created it (same kind and name, started within {@link #SETTLE} before Runway's
     *                        creation time), or for a conversation the app of its session's record, else
     *                        null. A hint, not a record: the operator decides.
     * @param intentStartedAt when that intent was started (the session's create, for a conversation), else null
     */
    public record Orphan(ResourceKind kind, Item item, Reason reason, String formerAppId, String likelyAppId,
                         Instant intentStartedAt) {
        /** An orphan without a hint. */
        public Orphan(ResourceKind kind, Item item, Reason reason, String formerAppId) {
            this(kind, item, reason, formerAppId, null, null);
        }
    }

    /** The most intents one scan reads for its hints (one query per page). */
    static final int HINT_LIMIT = 200;

    /**
     * One page of Runway's list of {@code kind}, keeping its orphans.
     *
     * @param cursor the gateway's cursor from the previous scan of this kind, or null for the first page
     * @param limit  Runway items to examine, 1–{@value #MAX_LIMIT}
     */
    public Scan scan(ResourceKind kind, String cursor, int limit) {
        if (!RunwayInventory.LISTED.contains(kind)) {
            return new Scan.NotListed(kind);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT);
        }
        String runwayCursor = null;
        if (cursor != null) {
            Optional<String> decoded = decode(cursor, kind);
            if (decoded.isEmpty()) {
                return new Scan.InvalidCursor("it was not issued by this API for " + kind.wireName());
            }
            runwayCursor = decoded.get();
        }
        return switch (runway.page(kind, runwayCursor, limit)) {
            case Listing.Page page -> found(kind, page);
            case Listing.CursorRefused refused -> new Scan.InvalidCursor("Runway refused it: " + refused.reason());
            case Listing.Unavailable unavailable -> new Scan.Unavailable(unavailable.reason(), unavailable.retryAfter());
        };
    }

    private Scan found(ResourceKind kind, Listing.Page page) {
        Map<String, Ownership> records = store.findAll(kind, page.items().stream().map(Item::id).toList());
        Map<String, Boolean> existing = new HashMap<>();
        List<Orphan> orphans = new ArrayList<>();
        Instant now = clock.instant();
        int settling = 0;
        int noOwner = 0;
        for (Item item : page.items()) {
            Ownership record = records.get(item.id());
            if (record == null && settlingFor(item, now).isPresent()) {
                settling++;
            } else if (record == null) {
                orphans.add(new Orphan(kind, item, Reason.NO_OWNER, null));
                noOwner++;
            } else if (!existing.computeIfAbsent(record.appId(), id -> apps.find(id).isPresent())) {
                orphans.add(new Orphan(kind, item, Reason.APP_DELETED, record.appId()));
            }
        }
        if (noOwner > 0) {
            orphans = kind == ResourceKind.AVATAR_CONVERSATIONS ? hintedBySession(orphans) : hinted(kind, orphans);
        }
        String next = page.nextCursor() == null ? null : encode(kind, page.nextCursor());
        return new Scan.Found(orphans, page.items().size(), settling, next);
    }

    /**
     * The orphans, each {@link Reason#NO_OWNER} one with the app of the latest intent of the same kind and
     * name started within [createdAt - {@link #SETTLE}, createdAt]. One query for the page: the intents
     * started from the earliest such orphan's window to the latest one's creation (at most
     * {@value #HINT_LIMIT}, earliest first). When the query stopped at its limit, only an orphan created
     * before the last intent it read has its whole window read; a later one gets no hint, rather than an
     * older intent's app in place of the latest one's.
     */
    private List<Orphan> hinted(ResourceKind kind, List<Orphan> orphans) {
        Instant from = null;
        Instant to = null;
        for (Orphan o : orphans) {
            Instant created = o.item().createdAt();
            if (o.reason() == Reason.NO_OWNER && created != null && o.item().name() != null) {
                from = from == null || created.minus(SETTLE).isBefore(from) ? created.minus(SETTLE) : from;
                to = to == null || created.isAfter(to) ? created : to;
            }
        }
        if (from == null) {
            return orphans;
        }
        List<CreateIntent> intents = store.intentsStarted(kind, from, to, HINT_LIMIT);
        if (intents.isEmpty()) {
            return orphans;
        }
        // Read up to here: every intent started before it was returned (the store's order is start, then id).
        Instant readBefore = intents.size() < HINT_LIMIT ? null : intents.getLast().startedAt();
        List<Orphan> hinted = new ArrayList<>(orphans.size());
        for (Orphan o : orphans) {
            Item item = o.item();
            Optional<CreateIntent> likely = o.reason() != Reason.NO_OWNER || item.createdAt() == null || item.name() == null
                    || (readBefore != null && !item.createdAt().isBefore(readBefore))
                    ? Optional.empty()
                    : intents.stream()
                    .filter(i -> i.name().equals(item.name()))
                    .filter(i -> !i.startedAt().isAfter(item.createdAt())
                            && !i.startedAt().isBefore(item.createdAt().minus(SETTLE)))
                    .max(Comparator.comparing(CreateIntent::startedAt));
            hinted.add(likely.map(i -> new Orphan(o.kind(), item, o.reason(), o.formerAppId(), i.appId(), i.startedAt()))
                    .orElse(o));
        }
        return hinted;
    }

    /**
     * The orphans, each {@link Reason#NO_OWNER} conversation whose session has a record with that record's
     * app and creation time (when the create started) as the hint. One batch read for the page.
     */
    private List<Orphan> hintedBySession(List<Orphan> orphans) {
        Map<String, Ownership> sessions = store.findAll(ResourceKind.REALTIME_SESSIONS, orphans.stream()
                .filter(o -> o.reason() == Reason.NO_OWNER).map(o -> o.item().id()).toList());
        if (sessions.isEmpty()) {
            return orphans;
        }
        List<Orphan> hinted = new ArrayList<>(orphans.size());
        for (Orphan o : orphans) {
            Ownership session = o.reason() == Reason.NO_OWNER ? sessions.get(o.item().id()) : null;
            hinted.add(session == null ? o
                    : new Orphan(o.kind(), o.item(), o.reason(), null, session.appId(), session.createdAt()));
        }
        return hinted;
    }

    /**
     * Gives the resource to {@code appId}: it must exist at Runway and be an orphan. For a conversation,
     * only the conversation's record (see the class comment).
     */
    public Assignment assign(ResourceKind kind, String runwayId, String appId) {
        if (!RunwayInventory.LISTED.contains(kind)) {
            return new Assignment.NotListed(kind);
        }
        if (apps.find(appId).isEmpty()) {
            return new Assignment.UnknownApp(appId);
        }
        Optional<Ownership> before = store.find(kind, runwayId);
        Optional<String> owner = before.map(Ownership::appId).filter(this::exists);
        if (owner.isPresent()) {
            return new Assignment.Owned(owner.get());
        }
        Item item;
        switch (runway.get(kind, runwayId)) {
            case Lookup.Found found -> item = found.item();
            case Lookup.Unavailable unavailable -> {
                return new Assignment.Unavailable(unavailable.reason(), unavailable.retryAfter());
            }
            case Lookup.NotFound notFound -> {
                return new Assignment.NotAtRunway();
            }
            case Lookup.Done done -> throw new IllegalStateException("a read answered Done");
        }
        Instant now = clock.instant();
        Optional<Duration> settling = before.isEmpty() ? settlingFor(item, now) : Optional.empty();
        if (settling.isPresent()) {
            return new Assignment.Settling(settling.get());
        }
        Ownership record = new Ownership(appId, kind, runwayId, item.name() == null ? "" : item.name(),
                item.createdAt() == null ? now : item.createdAt(), now);
        boolean written = before.isEmpty() ? store.record(record) : store.transfer(record, before.get().appId());
        if (!written) {
            // Another writer took it between the read and the write.
            return new Assignment.Owned(store.find(kind, runwayId).map(Ownership::appId).orElse("(unknown)"));
        }
        return new Assignment.Assigned(record, before.map(Ownership::appId).orElse(null));
    }

    /**
     * Deletes an orphan at Runway, then any deleted app's record of it (for a conversation, the
     * conversation's record; a session record is kept).
     */
    public Deletion delete(ResourceKind kind, String runwayId) {
        if (!RunwayInventory.LISTED.contains(kind)) {
            return new Deletion.NotListed(kind);
        }
        Optional<Ownership> record = store.find(kind, runwayId);
        Optional<String> owner = record.map(Ownership::appId).filter(this::exists);
        if (owner.isPresent()) {
            return new Deletion.Owned(owner.get());
        }
        if (record.isEmpty()) {
            // No record: it may be a create still recording it (settling), which only Runway's creation time tells.
            switch (runway.get(kind, runwayId)) {
                case Lookup.Found found -> {
                    Optional<Duration> settling = settlingFor(found.item(), clock.instant());
                    if (settling.isPresent()) {
                        return new Deletion.Settling(settling.get());
                    }
                }
                case Lookup.NotFound notFound -> {
                    return new Deletion.NotAtRunway();
                }
                case Lookup.Unavailable unavailable -> {
                    return new Deletion.Unavailable(unavailable.reason(), unavailable.retryAfter());
                }
                case Lookup.Done done -> throw new IllegalStateException("a read answered Done");
            }
        }
        return switch (runway.delete(kind, runwayId)) {
            case Lookup.Done done -> {
                record.ifPresent(r -> store.remove(kind, runwayId));
                yield new Deletion.Deleted(record.map(Ownership::appId).orElse(null));
            }
            case Lookup.NotFound notFound -> new Deletion.NotAtRunway();
            case Lookup.Unavailable unavailable -> new Deletion.Unavailable(unavailable.reason(), unavailable.retryAfter());
            case Lookup.Found found -> throw new IllegalStateException("a delete answered Found");
        };
    }

    /**
     * How long a resource with no record still settles: until {@link #SETTLE} after Runway's creation time
     * (at least a second), or empty once that has passed. A resource Runway gives no creation time for is
     * never settling: nothing would ever end it.
     */
    static Optional<Duration> settlingFor(Item item, Instant now) {
        if (item.createdAt() == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, item.createdAt().plus(SETTLE));
        if (left.isNegative() || left.isZero()) {
            return Optional.empty();
        }
        return Optional.of(left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left);
    }

    private boolean exists(String appId) {
        return apps.find(appId).isPresent();
    }

    static String encode(ResourceKind kind, String runwayCursor) {
        String plain = kind.wireName() + "\n" + runwayCursor;
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Runway's cursor inside a cursor this API issued for {@code kind}, or empty. */
    static Optional<String> decode(String cursor, ResourceKind kind) {
        if (cursor.length() > MAX_CURSOR || !cursor.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(cursor.substring(PREFIX.length())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String head = kind.wireName() + "\n";
        return plain.startsWith(head) && plain.length() > head.length()
                ? Optional.of(plain.substring(head.length())) : Optional.empty();
    }

    /** What a scan found. */
    public sealed interface Scan {
        /**
         * @param orphans    the page's orphans, in Runway's order (often fewer than examined, or none)
         * @param examined   how many Runway resources the page held
         * @param settling   how many of them have no record yet but are too recent to call orphans ({@link #SETTLE})
         * @param nextCursor the gateway's cursor of the next page, or null when Runway's list ended
         */
        record Found(List<Orphan> orphans, int examined, int settling, String nextCursor) implements Scan {
            public Found {
                orphans = List.copyOf(orphans);
            }
        }

        /** The cursor was not issued for this kind, or Runway refused the one inside it; nothing was read. */
        record InvalidCursor(String message) implements Scan {
        }

        /** Runway could not be asked; {@code retryAfter} may be null. */
        record Unavailable(String reason, Duration retryAfter) implements Scan {
        }

        /** Runway has no list of this kind. */
        record NotListed(ResourceKind kind) implements Scan {
        }
    }

    /** What an assignment did. */
    public sealed interface Assignment {
        /** @param formerAppId the deleted app whose record was replaced, or null when there was none */
        record Assigned(Ownership record, String formerAppId) implements Assignment {
        }

        /** There is no such app; nothing was asked of Runway. */
        record UnknownApp(String appId) implements Assignment {
        }

        /** An existing app owns the resource; nothing changed. */
        record Owned(String appId) implements Assignment {
        }

        /** Runway has no such resource; nothing was recorded. */
        record NotAtRunway() implements Assignment {
        }

        /** Runway could not be asked; nothing changed. */
        record Unavailable(String reason, Duration retryAfter) implements Assignment {
        }

        /** No record yet, but too recent to call an orphan ({@link #SETTLE}); {@code retryAfter} is the time left. */
        record Settling(Duration retryAfter) implements Assignment {
        }

        /** Runway has no list of this kind, so it is not reconciled. */
        record NotListed(ResourceKind kind) implements Assignment {
        }
    }

    /** What a delete did. */
    public sealed interface Deletion {
        /** @param formerAppId the deleted app whose record was removed with it, or null when there was none */
        record Deleted(String formerAppId) implements Deletion {
        }

        /** An existing app owns the resource; nothing changed. */
        record Owned(String appId) implements Deletion {
        }

        /** Runway has no such resource; nothing changed. */
        record NotAtRunway() implements Deletion {
        }

        /** Runway could not be asked; nothing changed. */
        record Unavailable(String reason, Duration retryAfter) implements Deletion {
        }

        /** No record yet, but too recent to call an orphan ({@link #SETTLE}); {@code retryAfter} is the time left. */
        record Settling(Duration retryAfter) implements Deletion {
        }

        /** Runway has no list of this kind, so it is not reconciled. */
        record NotListed(ResourceKind kind) implements Deletion {
        }
    }
}
