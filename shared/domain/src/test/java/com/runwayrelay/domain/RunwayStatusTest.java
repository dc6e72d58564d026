package com.runwayrelay.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.webhook.DeliveryStatus;
import org.junit.jupiter.api.Test;

class RunwayStatusTest {

    @Test
    void readsEveryKnownStatus_asItsConstant_andWritesItBackAsReceived() {
        for (RunwayStatus.Known known : RunwayStatus.Known.values()) {
            assertSame(known, RunwayStatus.fromWire(known.name()));
            assertEquals(known.name(), known.wire());
        }
        assertSame(RunwayStatus.Known.RUNNING, RunwayStatus.RUNNING);
        assertNull(RunwayStatus.fromWire(null));
    }

    @Test
    void keepsAStatusRunwayAddedLater_whole_andTreatsItAsNotFinished() {
        RunwayStatus added = RunwayStatus.fromWire("QUEUED_FOR_REVIEW");

        assertEquals(new RunwayStatus.Unknown("QUEUED_FOR_REVIEW"), added);
        assertEquals("QUEUED_FOR_REVIEW", added.wire());
        assertEquals("QUEUED_FOR_REVIEW", added.toString());
        assertFalse(added.terminal());
        // Case matters on the wire: a status that differs only in case is not a known one.
        assertEquals(new RunwayStatus.Unknown("running"), RunwayStatus.fromWire("running"));
    }

    @Test
    void refusesAnUnknownHoldingAKnownName() {
        assertThrows(IllegalArgumentException.class, () -> new RunwayStatus.Unknown("SUCCEEDED"));
    }

    @Test
    void terminalAreSucceededFailedAndCancelled() {
        assertTrue(RunwayStatus.SUCCEEDED.terminal());
        assertTrue(RunwayStatus.FAILED.terminal());
        assertTrue(RunwayStatus.CANCELLED.terminal());
        assertTrue(RunwayStatus.PENDING.active() && RunwayStatus.THROTTLED.active() && RunwayStatus.RUNNING.active());
    }

    @Test
    void storedOutcomeAndDeliveryNamesReadBack_andUnknownOnesReadAsUnknown() {
        for (AttemptOutcome outcome : AttemptOutcome.values()) {
            assertSame(outcome, AttemptOutcome.fromStored(outcome.name()));
        }
        assertSame(AttemptOutcome.UNKNOWN, AttemptOutcome.fromStored("RESUBMITTED"));
        assertNull(AttemptOutcome.fromStored(null));
        assertSame(DeliveryStatus.DELIVERED, DeliveryStatus.fromStored("DELIVERED"));
        assertSame(DeliveryStatus.UNKNOWN, DeliveryStatus.fromStored("SENDING"));
        assertTrue(DeliveryStatus.UNKNOWN.isFinal());
    }
}
