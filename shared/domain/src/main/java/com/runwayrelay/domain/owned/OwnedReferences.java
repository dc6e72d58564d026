package com.runwayrelay.domain.owned;

import com.runwayrelay.domain.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Checks that every resource a request body names belongs to the calling app, before anything is
 * sent to Runway. Another app's id and a missing id get the same violation, so an app learns nothing
 * about other apps' resources (as a 404 on get teaches nothing either).
 */
public final class OwnedReferences {
    /** The violation code of an id that is not one of the app's own resources of that kind. */
    public static final String CODE = "resource_not_found";

    private final BiFunction<ResourceKind, String, Optional<Ownership>> records;

    public OwnedReferences(OwnershipStore store) {
        this(Objects.requireNonNull(store, "store")::find);
    }

    /** @param records the ownership record of a resource, as {@link OwnershipStore#find} */
    public OwnedReferences(BiFunction<ResourceKind, String, Optional<Ownership>> records) {
        this.records = Objects.requireNonNull(records, "records");
    }

    /** References checked against no records at all: every id is refused. */
    public static OwnedReferences none() {
        return new OwnedReferences((kind, id) -> Optional.empty());
    }

    /** One violation (code {@value #CODE}, at the reference's path) per id the app does not own. */
    public List<Violation> unowned(String appId, List<Reference> references) {
        List<Violation> violations = new ArrayList<>();
        for (Reference reference : references) {
            boolean owned = records.apply(reference.kind(), reference.id()).filter(o -> o.ownedBy(appId)).isPresent();
            if (!owned) {
                String field = Violation.dotted(reference.path());
                violations.add(new Violation(reference.path(), CODE, (field.isEmpty() ? "" : field + ": ")
                        + "this app has no " + singular(reference.kind()) + " with id '" + reference.id() + "'"));
            }
        }
        return violations;
    }

    private static String singular(ResourceKind kind) {
        return switch (kind) {
            case DOCUMENTS -> "document";
            case AVATARS -> "avatar";
            case VOICES -> "voice";
            case REALTIME_SESSIONS -> "realtime session";
            case AVATAR_CONVERSATIONS -> "avatar conversation";
        };
    }
}
