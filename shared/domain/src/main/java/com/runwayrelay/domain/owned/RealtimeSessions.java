package com.runwayrelay.domain.owned;

import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.UsageLedger.Admission;
import com.runwayrelay.domain.owned.RunwayRealtime.Answer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An app's realtime avatar sessions, forwarded to Runway and kept apart per app (issue #18).
 *
 * <ul>
 *   <li><b>Create</b>: a custom avatar must be one the app created through the gateway ({@link OwnedReferences}:
 *       else 400 {@code resource_not_found} at {@code avatar.avatarId}); then
 *       {@code maxDuration × rate} credits and an active slot are reserved in the usage ledger (refused,
 *       with nothing sent to Runway, when the day's budget or the slots cannot hold them); then Runway
 *       creates the session; then two ownership records are written with the session's id: the
 *       session's (holding the reservation as its {@link Ownership.Charge}) and its avatar
 *       conversation's. A create Runway refused or never received gives the reservation back; one
 *       whose answer was lost keeps it (a session may run).</li>
 *   <li><b>Get, cancel</b>: the ownership record first (another app's id is {@link Outcome.NotFound},
 *       and Runway is not asked); a session seen ended is settled ({@link SessionCharges}).</li>
 * </ul>
 */
public final class RealtimeSessions {
    private final OwnershipStore store;
    private final RunwayRealtime runway;
    private final UsageLedger ledger;
    private final OwnedReferences references;
    private final RealtimePricing pricing;
    private final SessionCharges charges;
    private final Clock clock;

    public RealtimeSessions(OwnershipStore store, RunwayRealtime runway, UsageLedger ledger, RealtimePricing pricing,
                            Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.runway = Objects.requireNonNull(runway, "runway");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.pricing = Objects.requireNonNull(pricing, "pricing");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.references = new OwnedReferences(store);
        this.charges = new SessionCharges(store, ledger, pricing, clock);
    }

    /** The settlement pass over sessions nobody read after they ended (the poller runs it). */
    public SessionSettlementPass settlementPass() {
        return new SessionSettlementPass(store, runway, charges, clock);
    }

    /** The conversations' use case, settling through the same charges. */
    public AvatarConversations conversations() {
        return new AvatarConversations(store, runway, charges);
    }

    /** The app's avatar usage ({@code GET /v1/avatar_usage}), settling through the same charges. */
    public AvatarUsage usage() {
        return new AvatarUsage(store, runway, charges);
    }

    /**
     * A checked create request.
     *
     * @param body               the JSON body to forward to Runway
     * @param maxDurationSeconds the body's {@code maxDuration}, or {@link RealtimePricing#MAX_DURATION_SECONDS} when it has none
     * @param avatarType         {@code runway-preset} or {@code custom}
     * @param avatarId           the preset's or the custom avatar's id
     */
    public record Request(String body, int maxDurationSeconds, String avatarType, String avatarId) {
        public Request {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(avatarType, "avatarType");
            Objects.requireNonNull(avatarId, "avatarId");
            if (maxDurationSeconds < 1) {
                throw new IllegalArgumentException("maxDurationSeconds must be >= 1");
            }
        }

        boolean custom() {
            return "custom".equals(avatarType);
        }
    }

    /** Creates a session for the app, within its daily budget and active slots. */
    public Outcome create(String appId, long dailyBudget, int maxActive, Request request) {
        if (request.custom()) {
            // Another app's avatar and a missing one get the same answer, before anything is reserved or sent.
            List<Violation> unowned = references.unowned(appId, List.of(
                    new Reference(ResourceKind.AVATARS, request.avatarId(), List.of("avatar", "avatarId"))));
            if (!unowned.isEmpty()) {
                return new Outcome.Invalid(unowned);
            }
        }
        Instant at = clock.instant();
        Ownership.Charge charge = new Ownership.Charge(UUID.randomUUID().toString(),
                pricing.reservation(request.maxDurationSeconds()),
                SessionSettlementPass.firstCheck(at, request.maxDurationSeconds()));
        Admission admission = ledger.admit(new UsageLedger.Reservation(appId, charge.ledgerId(), SessionCharges.MODEL, at,
                charge.reservedCredits(), dailyBudget, maxActive));
        switch (admission) {
            case Admission.OverBudget over -> {
                return new Outcome.OverBudget(over, UsageLedger.dayOf(at).plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant());
            }
            case Admission.TooManyActive full -> {
                return new Outcome.TooManyActive(full.activeTasks(), full.maxActiveTasks());
            }
            case Admission.Admitted admitted -> {
            }
        }
        return switch (runway.createSession(request.body())) {
            case Answer.Created created -> record(appId, request, charge, at, created.id());
            case Answer.Rejected r -> {
                charges.release(appId, charge, at, 0);
                yield new Outcome.Rejected(r.status(), r.error(), r.issues());
            }
            case Answer.Ambiguous a -> {
                // A session may run that no app can reach: its reservation stays counted.
                charges.release(appId, charge, at, charge.reservedCredits());
                yield new Outcome.PossibleOrphan(null, a.reason());
            }
            case Answer other -> {
                charges.release(appId, charge, at, 0);
                yield unavailable(other);
            }
        };
    }

    private Outcome record(String appId, Request request, Ownership.Charge charge, Instant at, String id) {
        String name = request.avatarType() + ":" + request.avatarId();
        Ownership session = new Ownership(appId, ResourceKind.REALTIME_SESSIONS, id, name, at, at, charge);
        Ownership conversation = new Ownership(appId, ResourceKind.AVATAR_CONVERSATIONS, id, name, at, at);
        boolean sessionRecorded = false;
        try {
            sessionRecorded = store.record(session);
            if (!sessionRecorded || !store.record(conversation)) {
                // Runway's ids are unique; a record already there belongs to someone and must stay.
                throw new IllegalStateException("Runway returned the id of a session already recorded: " + id);
            }
            return new Outcome.Created(id);
        } catch (RuntimeException e) {
            if (sessionRecorded) {
                store.remove(ResourceKind.REALTIME_SESSIONS, id);
            }
            // Without its records no app could reach (or cancel) the session: take it back.
            Answer undone = runway.cancelSession(id);
            boolean gone = undone instanceof Answer.Done || undone instanceof Answer.NotFound;
            charges.release(appId, charge, at, gone ? 0 : charge.reservedCredits());
            return gone ? new Outcome.Unavailable("the session's owner could not be recorded ("
                    + e.getClass().getSimpleName() + "); it was cancelled at Runway again", Duration.ofSeconds(1))
                    : new Outcome.PossibleOrphan(id, "the owner could not be recorded (" + e.getClass().getSimpleName()
                    + ") and the cancel at Runway failed");
        }
    }

    /** The app's session, as Runway shows it; settles its charge when it has ended. */
    public Outcome get(String appId, String id) {
        Optional<Ownership> owned = owned(appId, id);
        if (owned.isEmpty()) {
            return new Outcome.NotFound();
        }
        return switch (runway.getSession(id)) {
            case Answer.SessionFound found -> {
                charges.settleEnded(owned.get(), found.session(), runway);
                yield new Outcome.Session(found.session());
            }
            case Answer.NotFound gone -> forget(owned.get());
            case Answer other -> unavailable(other);
        };
    }

    /** Cancels the app's session at Runway; settles its charge if Runway already shows it ended. */
    public Outcome cancel(String appId, String id) {
        Optional<Ownership> owned = owned(appId, id);
        if (owned.isEmpty()) {
            return new Outcome.NotFound();
        }
        return switch (runway.cancelSession(id)) {
            case Answer.Done done -> {
                if (runway.getSession(id) instanceof Answer.SessionFound found) {
                    charges.settleEnded(owned.get(), found.session(), runway);
                }
                yield new Outcome.Done();
            }
            case Answer.NotFound gone -> forget(owned.get());
            case Answer.Rejected r -> new Outcome.Rejected(r.status(), r.error(), r.issues());
            case Answer other -> unavailable(other);
        };
    }

    private Optional<Ownership> owned(String appId, String id) {
        return store.find(ResourceKind.REALTIME_SESSIONS, id).filter(o -> o.ownedBy(appId));
    }

    private Outcome forget(Ownership session) {
        charges.settleAtReservation(session);
        store.remove(ResourceKind.REALTIME_SESSIONS, session.runwayId());
        return new Outcome.NotFound();
    }

    static Outcome unavailable(Answer answer) {
        return switch (answer) {
            case Answer.Unavailable u -> new Outcome.Unavailable(u.reason(), u.retryAfter());
            case Answer.Ambiguous a -> new Outcome.Unavailable(a.reason(), null);
            default -> throw new IllegalStateException("unexpected answer from Runway: " + answer);
        };
    }

    /** What became of a call, free of HTTP. */
    public sealed interface Outcome {
        /** Created: Runway's id of the new session. */
        record Created(String id) implements Outcome {
        }

        /** The session. */
        record Session(RunwaySession session) implements Outcome {
        }

        /** Cancelled. */
        record Done() implements Outcome {
        }

        /** No such session for this app: missing, another app's, or gone at Runway. */
        record NotFound() implements Outcome {
        }

        /** Refused by the gateway before anything was reserved or sent. */
        record Invalid(List<Violation> issues) implements Outcome {
            public Invalid {
                issues = List.copyOf(issues);
            }
        }

        /** The day's budget cannot hold the reservation; nothing was reserved or sent. */
        record OverBudget(Admission.OverBudget over, Instant resetsAt) implements Outcome {
        }

        /** Every active slot of the app is taken; nothing was reserved or sent. */
        record TooManyActive(int activeTasks, int maxActiveTasks) implements Outcome {
        }

        /**
         * Refused by Runway ({@code status} 400, or 409 when the create conflicts with the state of what it
         * names); a create's reservation was given back.
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
         * A create that may have left a session at Runway that no app owns ({@code runwayId} null when
         * Runway's answer was lost); its reservation stays counted against the app's day.
         */
        record PossibleOrphan(String runwayId, String reason) implements Outcome {
        }
    }
}
