package com.runwayrelay.domain.owned;

import java.util.Objects;

/**
 * Checks an id that an app names inside a request body (a custom {@code avatarId}, a voice id, …):
 * the resource must be one the app owns. Kinds are named by Runway's path segment, so a caller can
 * ask about a kind before the gateway tracks it and gets {@link Check#UNTRACKED}; such ids are
 * refused, because an untracked id may be any app's.
 */
public final class OwnedReferences {
    private final OwnershipStore store;

    public OwnedReferences(OwnershipStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Whether {@code appId} owns the resource of kind {@code wireKind} (e.g. {@code avatars}) with this id. */
    public Check check(String appId, String wireKind, String id) {
        return ResourceKind.byWireName(wireKind)
                .map(kind -> store.find(kind, id).filter(o -> o.ownedBy(appId)).isPresent() ? Check.OWNED : Check.NOT_OWNED)
                .orElse(Check.UNTRACKED);
    }

    /** The answer. */
    public enum Check {
        /** The app owns it. */
        OWNED,
        /** Missing, or another app's: the same answer either way. */
        NOT_OWNED,
        /** The gateway records no owners of this kind yet. */
        UNTRACKED
    }
}
