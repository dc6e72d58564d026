package com.runwayrelay.domain.owned;

import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The budget side of realtime sessions. A session reserves {@code maxDuration × rate} credits when it
 * is created (Runway names no price); once Runway shows it ended, the charge is settled to its whole
 * seconds × rate and removed from the session's record, which keeps the measured duration instead (the
 * app's avatar usage sums it). Whoever sees the end first settles (a session read, a cancel, a
 * conversation read or list, the app's avatar usage, the poller's {@link SessionSettlementPass}); the
 * ledger settles an id once, so a
 * second settler (or a retry after a crash between the ledger and the record) changes nothing.
 */
final class SessionCharges {
    /** Runway's model of realtime sessions; the ledger counts their credits under it. */
    static final String MODEL = "gwm1_avatars";

    private final OwnershipStore store;
    private final UsageLedger ledger;
    private final RealtimePricing pricing;
    private final Clock clock;

    SessionCharges(OwnershipStore store, UsageLedger ledger, RealtimePricing pricing, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.pricing = Objects.requireNonNull(pricing, "pricing");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Settles a session whose end was observed. COMPLETED carries its duration; otherwise (failed,
     * cancelled) the duration is the conversation's, read from Runway, and settling waits while the
     * conversation is still in progress or cannot be read.
     *
     * @return whether the charge is settled now (false: it holds no charge, or the end is not final yet)
     */
    boolean settleEnded(Ownership session, RunwaySession observed, RunwayRealtime runway) {
        if (session.charge() == null || !observed.ended()) {
            return false;
        }
        if (observed.status() == SessionStatus.COMPLETED && observed.durationSeconds() != null) {
            settle(session, observed.durationSeconds());
            return true;
        }
        return switch (runway.getConversation(session.runwayId())) {
            case RunwayRealtime.Answer.ConversationFound found when found.conversation().ended() -> {
                settle(session, found.conversation().durationSeconds());
                yield true;
            }
            // The app deleted the conversation: its duration is gone, the reservation is the only bound.
            case RunwayRealtime.Answer.NotFound gone -> {
                settleAtReservation(session);
                yield true;
            }
            // Still running, or not readable now: a later read settles.
            default -> false;
        };
    }

    /** Settles the session of a conversation Runway shows ended, if it still holds a charge. */
    void settleFromConversation(RunwayConversation conversation) {
        if (!conversation.ended()) {
            return;
        }
        Optional<Ownership> session = store.find(ResourceKind.REALTIME_SESSIONS, conversation.id());
        if (session.isPresent() && session.get().charge() != null) {
            settle(session.get(), conversation.durationSeconds());
        }
    }

    /** Settles at the reservation itself: the session's cost can no longer be learned. */
    void settleAtReservation(Ownership session) {
        if (session.charge() != null) {
            settle(session, session.charge().reservedCredits(), null);
        }
    }

    /** The settlement of a reservation that ran nothing (a create Runway refused or never received). */
    void release(String appId, Ownership.Charge charge, java.time.Instant reservedAt, long actualCredits) {
        ledger.settle(new Settlement(appId, charge.ledgerId(), reservedAt, charge.reservedCredits(), actualCredits, MODEL));
    }

    private void settle(Ownership session, Double seconds) {
        settle(session, pricing.credits(seconds), seconds);
    }

    private void settle(Ownership session, long actualCredits, Double seconds) {
        Ownership.Charge charge = session.charge();
        // The ledger first: if the record's update is lost, the next observer settles again, which changes nothing.
        ledger.settle(new Settlement(session.appId(), charge.ledgerId(), session.createdAt(), charge.reservedCredits(),
                actualCredits, MODEL));
        store.update(session.settled(clock.instant(), seconds));
    }
}
