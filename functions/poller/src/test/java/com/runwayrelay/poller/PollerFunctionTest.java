package com.runwayrelay.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PollerFunctionTest {

    @Test
    void keepsAConnectionPerWorker_whenTheJvmDefaultApplies() {
        assertEquals(Optional.of("40"), PollerFunction.keptConnections(null, 32));
    }

    @Test
    void leavesAnExplicitSettingAlone() {
        assertEquals(Optional.empty(), PollerFunction.keptConnections("12", 32));
    }
}
