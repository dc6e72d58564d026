package com.runwayrelay.aws.runway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.config.RunwaySettings;
import com.runwayrelay.runway.RunwayClient;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunwayCallLimitsTest {
    private static final RunwaySettings LOCAL = new RunwaySettings(URI.create("http://127.0.0.1:9"), Optional.empty(),
            Optional.of("key_" + "cd".repeat(64)));

    @Test
    void keepsOneCallWithinApiGatewaysThirtySeconds_forApiRequests() {
        Duration worst = RunwayCallLimits.API_REQUEST.worstCase();

        assertEquals(Duration.ofSeconds(28), worst);
        assertTrue(worst.compareTo(Duration.ofSeconds(30)) < 0, worst::toString);
    }

    @Test
    void countsEveryAttemptAndEveryWait_inTheWorstCase() {
        RunwayCallLimits limits = new RunwayCallLimits(Duration.ofSeconds(5), Duration.ofSeconds(15), 2,
                Duration.ofSeconds(4));

        assertEquals(Duration.ofSeconds(3 * 20 + 2 * 4), limits.worstCase());
    }

    @Test
    void setsTheRetries_onTheClient() {
        RunwayCallLimits limits = new RunwayCallLimits(Duration.ofSeconds(1), Duration.ofSeconds(2), 0,
                Duration.ZERO);

        try (RunwayClient client = limits.applyTo(RunwayClients.builder(LOCAL, arn -> {
            throw new AssertionError("no secret in local mode");
        })).build()) {
            assertTrue(client.toString().contains("maxRetries=0"), client.toString());
        }
    }

    @Test
    void refusesLimitsTheClientWouldRefuse() {
        assertThrows(IllegalArgumentException.class, () -> new RunwayCallLimits(Duration.ZERO, Duration.ofSeconds(2), 1,
                Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RunwayCallLimits(Duration.ofSeconds(1),
                Duration.ofSeconds(-2), 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RunwayCallLimits(Duration.ofSeconds(1),
                Duration.ofSeconds(2), 11, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RunwayCallLimits(Duration.ofSeconds(1),
                Duration.ofSeconds(2), 1, Duration.ofSeconds(-1)));
    }
}
