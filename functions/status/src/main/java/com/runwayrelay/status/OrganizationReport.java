package com.runwayrelay.status;

import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.UsageLedger.DailyUsage;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code GET /v1/organization}: the calling app's standing today, which {@link StatusApi} shows in
 * Runway's shape: the app's credits left today as {@code creditBalance}; as {@code tier}, the daily
 * budget spread over 30 days and,
 * per model, the app's active-task limit; as {@code usage}, its tasks per model today. The
 * gateway's own numbers are under {@code relay}, including today's possible orphans (creates that may
 * have made a billed Runway task nobody can see; their estimate counts in {@code usedCredits}) and the
 * app's ambiguous-create policy. Days are UTC days.
 */
final class OrganizationReport {
    private final UsageLedger ledger;
    private final Clock clock;

    OrganizationReport(UsageLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    Report get(App app) {
        LocalDate day = UsageLedger.dayOf(clock.instant());
        return new Report(app, day, ledger.usage(app.id(), day), ledger.activeSlots(app.id()).size());
    }

    /** Today, the UTC day the clock is on. */
    LocalDate today() {
        return UsageLedger.dayOf(clock.instant());
    }

    /**
     * {@code POST /v1/organization/usage}: the calling app's usage of each day from {@code start} up to,
     * not including, {@code before}, oldest first (zeros for days it used nothing). Only the app's own
     * ledger days are read; other apps of the organization are never seen.
     */
    List<DailyUsage> history(App app, LocalDate start, LocalDate before) {
        return ledger.usage(app.id(), start, before.minusDays(1));
    }

    /**
     * The calling app's standing today, free of HTTP ({@link StatusApi} shows it).
     *
     * @param day         today, a UTC day
     * @param usage       the app's usage today
     * @param activeTasks the app's unfinished tasks
     */
    record Report(App app, LocalDate day, DailyUsage usage, int activeTasks) {
        /** The credits left of today's budget, never below zero. */
        long remainingCredits() {
            return Math.max(0, app.dailyCreditBudget() - usage.usedCredits());
        }
    }
}
