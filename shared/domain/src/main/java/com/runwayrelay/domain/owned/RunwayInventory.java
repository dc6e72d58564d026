package com.runwayrelay.domain.owned;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Runway's own, organization-wide view of the resource kinds it can list, called with the organization's
 * key: what exists at Runway whoever made it. The operator's reconciliation reads it
 * ({@link com.runwayrelay.domain.admin.Orphans}); apps never see it.
 */
public interface RunwayInventory {
    /**
     * The kinds Runway lists ({@code GET /v1/documents}, {@code /v1/avatars}, {@code /v1/voices},
     * {@code /v1/avatar_conversations}). Realtime sessions have no list at Runway.
     */
    Set<ResourceKind> LISTED = EnumSet.of(ResourceKind.DOCUMENTS, ResourceKind.AVATARS, ResourceKind.VOICES,
            ResourceKind.AVATAR_CONVERSATIONS);

    /**
     * One page of Runway's list of a kind, in Runway's order.
     *
     * @param cursor Runway's cursor of the page to read, or null for the first page
     * @param limit  at most this many items, 1–100
     * @return {@link Listing.Page}, {@link Listing.CursorRefused} or {@link Listing.Unavailable}
     */
    Listing page(ResourceKind kind, String cursor, int limit);

    /** @return {@link Lookup.Found}, {@link Lookup.NotFound} or {@link Lookup.Unavailable} */
    Lookup get(ResourceKind kind, String id);

    /** @return {@link Lookup.Done}, {@link Lookup.NotFound} or {@link Lookup.Unavailable} */
    Lookup delete(ResourceKind kind, String id);

    /**
     * A resource as Runway lists it, reduced to what an operator needs to recognize it.
     *
     * @param name      its name at Runway, or null when Runway gives none; for an avatar conversation, the
     *                  avatar it used as the gateway's records name it ({@code custom:<avatarId>} or
     *                  {@code runway-preset:<presetId>}), so a record written from it matches the ones
     *                  {@link RealtimeSessions} writes (an app's conversation list filters on it)
     * @param createdAt Runway's creation time, or null when Runway gives none
     */
    record Item(String id, String name, Instant createdAt) {
        public Item {
            Objects.requireNonNull(id, "id");
        }
    }

    /** What a list call answered. */
    sealed interface Listing {
        /** @param nextCursor Runway's cursor of the next page, or null on the last page */
        record Page(List<Item> items, String nextCursor) implements Listing {
            public Page {
                items = List.copyOf(items);
            }
        }

        /** Runway refused the cursor (400). */
        record CursorRefused(String reason) implements Listing {
        }

        /** Runway could not be asked now; {@code retryAfter} may be null. */
        record Unavailable(String reason, Duration retryAfter) implements Listing {
        }
    }

    /** What a call on one resource answered. */
    sealed interface Lookup {
        /** The resource. */
        record Found(Item item) implements Lookup {
        }

        /** Deleted. */
        record Done() implements Lookup {
        }

        /** Runway has no such resource. */
        record NotFound() implements Lookup {
        }

        /** Runway could not be asked now, nothing changed; {@code retryAfter} may be null. */
        record Unavailable(String reason, Duration retryAfter) implements Lookup {
        }
    }
}
