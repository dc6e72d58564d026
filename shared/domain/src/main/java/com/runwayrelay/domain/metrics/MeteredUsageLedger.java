package com.runwayrelay.domain.metrics;

import com.runwayrelay.domain.gateway.UsageLedger;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A usage ledger that records {@link RelayMetric#CREDITS_RESERVED} for every admission that
 * succeeds. An admission repeated for the same task slot (an Idempotency-Key takeover) reserves
 * nothing new in the ledger but is counted again here: a rare over-count, in the safe direction.
 */
public final class MeteredUsageLedger implements UsageLedger {
    private final UsageLedger ledger;
    private final Metrics metrics;

    public MeteredUsageLedger(UsageLedger ledger, Metrics metrics) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public Admission admit(Reservation reservation) {
        Admission admission = ledger.admit(reservation);
        if (admission instanceof Admission.Admitted) {
            metrics.record(RelayMetric.CREDITS_RESERVED, reservation.credits(), reservation.appId());
        }
        return admission;
    }

    @Override
    public void settle(Settlement settlement) {
        ledger.settle(settlement);
    }

    @Override
    public Admission reserveOrphan(OrphanReservation reservation) {
        return ledger.reserveOrphan(reservation);
    }

    @Override
    public void freeSlot(String appId, ActiveSlot slot) {
        ledger.freeSlot(appId, slot);
    }

    @Override
    public List<ActiveSlot> activeSlots(String appId) {
        return ledger.activeSlots(appId);
    }

    @Override
    public DailyUsage usage(String appId, LocalDate day) {
        return ledger.usage(appId, day);
    }
}
