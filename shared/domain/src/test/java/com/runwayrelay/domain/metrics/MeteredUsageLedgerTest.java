package com.runwayrelay.domain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.runwayrelay.domain.gateway.UsageLedger.Admission;
import com.runwayrelay.domain.gateway.UsageLedger.Reservation;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.metrics.memory.RecordingMetrics;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MeteredUsageLedgerTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final MeteredUsageLedger ledger = new MeteredUsageLedger(new InMemoryUsageLedger(), metrics);

    @Test
    void recordsTheReservedCreditsPerApp_whenAnAdmissionSucceeds() {
        ledger.admit(new Reservation("app_1", "t1", "gen4_image", NOW, 12, 100, 5));
        ledger.admit(new Reservation("app_2", "t2", "gen4_image", NOW, 3, 100, 5));

        assertEquals(12, metrics.sum(RelayMetric.CREDITS_RESERVED, "app_1"));
        assertEquals(3, metrics.sum(RelayMetric.CREDITS_RESERVED, "app_2"));
    }

    @Test
    void recordsNothing_whenTheBudgetRefuses() {
        Admission refused = ledger.admit(new Reservation("app_1", "t1", "gen4_image", NOW, 120, 100, 5));

        assertInstanceOf(Admission.OverBudget.class, refused);
        assertEquals(0, metrics.of(RelayMetric.CREDITS_RESERVED).size());
    }
}
