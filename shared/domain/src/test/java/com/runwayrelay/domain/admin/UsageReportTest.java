package com.runwayrelay.domain.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.UsageLedger.OrphanReservation;
import com.runwayrelay.domain.gateway.UsageLedger.Reservation;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageReportTest {
    private static final Instant DEC1 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant DEC3 = Instant.parse("2026-12-03T10:00:00Z");

    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final UsageReport report = new UsageReport(ledger, apps);

    private void app(String id) {
        apps.create(App.builder(id, id, DEC1).dailyCreditBudget(1000).maxActiveTasks(10).build(), "hash-" + id);
    }

    private void task(String app, String id, String model, Instant at, long estimate, long actual) {
        ledger.admit(new Reservation(app, id, model, at, estimate, 1000, 10));
        ledger.settle(new Settlement(app, id, at, estimate, actual, model));
    }

    @Test
    void reportsCreditsAndTasksPerAppModelAndDay_withTotals() {
        app("appA");
        app("appB");
        task("appA", "a1", "gen4_image", DEC1, 8, 5);
        task("appA", "a2", "gen4_turbo", DEC1, 50, 50);
        task("appB", "b1", "gen4_image", DEC3, 8, 8);
        ledger.reserveOrphan(new OrphanReservation("appB", "b2", 1, DEC3, 20, null, "gen4_image"));

        var r = assertInstanceOf(UsageReport.Outcome.Report.class,
                report.report(LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-03"), null));

        assertEquals(List.of(
                new UsageReport.AppDay(LocalDate.parse("2026-12-01"), "appA", 55, 2, 0, 0, Map.of(
                        "gen4_image", new UsageReport.Counts(5, 1), "gen4_turbo", new UsageReport.Counts(50, 1))),
                new UsageReport.AppDay(LocalDate.parse("2026-12-03"), "appB", 28, 1, 1, 20, Map.of(
                        "gen4_image", new UsageReport.Counts(28, 1)))), r.days());
        assertEquals(83, r.totals().credits());
        assertEquals(3, r.totals().tasks());
        assertEquals(1, r.totals().possibleOrphans());
        assertEquals(Map.of("appA", new UsageReport.Counts(55, 2), "appB", new UsageReport.Counts(28, 1)), r.totals().apps());
        assertEquals(Map.of("gen4_image", new UsageReport.Counts(33, 2), "gen4_turbo", new UsageReport.Counts(50, 1)),
                r.totals().models());
    }

    @Test
    void reportsOnlyTheAppAskedFor_evenWhenTheAppListNoLongerHoldsIt() {
        app("appA");
        task("appA", "a1", "gen4_image", DEC1, 8, 8);
        task("deleted", "d1", "gen4_image", DEC1, 3, 3);

        var r = assertInstanceOf(UsageReport.Outcome.Report.class,
                report.report(LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-01"), "deleted"));

        assertEquals(List.of("deleted"), r.days().stream().map(UsageReport.AppDay::appId).toList());
        assertEquals(3, r.totals().credits());
    }

    @Test
    void refusesAReversedOrTooLongRange() {
        LocalDate dec1 = LocalDate.parse("2026-12-01");
        assertInstanceOf(UsageReport.Outcome.InvalidRange.class, report.report(dec1, dec1.minusDays(1), null));
        assertInstanceOf(UsageReport.Outcome.InvalidRange.class, report.report(dec1, dec1.plusDays(92), null));
        assertInstanceOf(UsageReport.Outcome.Report.class, report.report(dec1, dec1.plusDays(91), null));
    }
}
