package com.runwayrelay.domain.owned;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The record that a Runway resource belongs to one app: written when the app creates it, read before
 * every get, update and delete, listed for the app's own pages.
 *
 * @param appId     the owning app
 * @param kind      what the resource is
 * @param runwayId  Runway's id of the resource (the id the app sees)
 * @param name      the resource's name when last written through the gateway
 * @param createdAt Runway's creation time; the order of the app's lists
 * @param updatedAt when the gateway last wrote the resource (Runway's time at creation)
 * @param charge    credits reserved against the app's budget and not yet settled, or null (none were,
 *                  or they are settled)
 * @param measuredSeconds the duration a settled realtime session was charged for, as Runway measured it;
 *                  null while it is not settled, when Runway gave none (it never ran, or its conversation
 *                  was gone), and for other kinds
 */
public record Ownership(String appId, ResourceKind kind, String runwayId, String name, Instant createdAt,
                       Instant updatedAt, Charge charge, Double measuredSeconds) {
    /** A record without a charge. */
    public Ownership(String appId, ResourceKind kind, String runwayId, String name, Instant createdAt,
                     Instant updatedAt) {
        this(appId, kind, runwayId, name, createdAt, updatedAt, null, null);
    }

    /** A record without a measured duration. */
    public Ownership(String appId, ResourceKind kind, String runwayId, String name, Instant createdAt,
                     Instant updatedAt, Charge charge) {
        this(appId, kind, runwayId, name, createdAt, updatedAt, charge, null);
    }

    public Ownership {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(runwayId, "runwayId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** Whether {@code app} owns it. */
    public boolean ownedBy(String app) {
        return appId.equals(app);
    }

    /** This record renamed and touched at {@code at}. */
    public Ownership updated(String newName, Instant at) {
        return new Ownership(appId, kind, runwayId, newName == null ? name : newName, createdAt, at, charge,
                measuredSeconds);
    }

    /** This record with its charge settled (gone), touched at {@code at}, with no measured duration. */
    public Ownership settled(Instant at) {
        return settled(at, null);
    }

    /** This record with its charge settled (gone) for {@code seconds} Runway measured (or null), touched at {@code at}. */
    public Ownership settled(Instant at, Double seconds) {
        return new Ownership(appId, kind, runwayId, name, createdAt, at, null, seconds);
    }

    /** Where this record stands in its app's list. */
    public OwnershipStore.Position position() {
        return new OwnershipStore.Position(createdAt, runwayId);
    }

    /**
     * Credits a resource reserved against its app's daily budget when it was created, held until its
     * actual cost is known. The ledger entry is admitted at the record's {@code createdAt}.
     *
     * @param ledgerId        the reservation's id in the usage ledger (its "task" id there)
     * @param reservedCredits what was reserved
     * @param checkAt         when the settlement pass ({@link SessionSettlementPass}) looks at the resource
     *                        next, unless a read settled it before
     */
    public record Charge(String ledgerId, long reservedCredits, Instant checkAt) {
        public Charge {
            Objects.requireNonNull(ledgerId, "ledgerId");
            Objects.requireNonNull(checkAt, "checkAt");
            if (reservedCredits < 0) {
                throw new IllegalArgumentException("reservedCredits must be >= 0");
            }
            // Stores keep milliseconds; a charge read back equals the one written.
            checkAt = checkAt.truncatedTo(ChronoUnit.MILLIS);
        }

        /** This charge, to be looked at next at {@code at}. */
        public Charge checkedAt(Instant at) {
            return new Charge(ledgerId, reservedCredits, at);
        }
    }
}
