package com.runwayrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.catalog.UnknownModelPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {
    private static final String KEY = "key_" + "ab".repeat(64);

    @Test
    void defaults_matchTheDocumentedLifecycle() {
        SimulatorConfig c = SimulatorConfig.defaults();
        assertEquals(Duration.ofSeconds(1), c.pendingDuration());
        assertEquals(Duration.ofSeconds(3), c.runningDuration());
        assertEquals(0, c.port());
        assertNull(c.apiKey());
        assertEquals(0.0, c.failureRate());
        assertEquals(new ModelLimits(5, 1000), c.limitsFor("gen4.5"));
    }

    @Test
    void fromEnv_readsEverySettingItKnows() {
        SimulatorConfig c = SimulatorConfig.fromEnv(Map.ofEntries(
                Map.entry("PATH", "/usr/bin"),
                Map.entry("RUNWAY_SIM_PORT", "8123"),
                Map.entry("RUNWAY_SIM_API_KEY", KEY),
                Map.entry("RUNWAY_SIM_PENDING_MS", "200"),
                Map.entry("RUNWAY_SIM_RUNNING_MS", "700"),
                Map.entry("RUNWAY_SIM_MAX_CONCURRENT", "unlimited"),
                Map.entry("RUNWAY_SIM_MAX_DAILY", "7"),
                Map.entry("RUNWAY_SIM_MODEL_LIMITS", "gen4.5=1/50, veo3.1=unlimited/10"),
                Map.entry("RUNWAY_SIM_OUTPUT_SIZE", "2GiB"),
                Map.entry("RUNWAY_SIM_UNKNOWN_MODELS", "passthrough"),
                Map.entry("RUNWAY_SIM_RATE_429", "0.25"),
                Map.entry("RUNWAY_SIM_RATE_RESET_AFTER", "0.125"),
                Map.entry("RUNWAY_SIM_RATE_SLOW", "0.5"),
                Map.entry("RUNWAY_SIM_SLOW_MS", "1500"),
                Map.entry("RUNWAY_SIM_FAILURE_CODES", "SAFETY.INPUT.TEXT, INTERNAL"),
                Map.entry("RUNWAY_SIM_MODEL_RUNNING_MS", "gen4_image=8000, veo3.1=120000")));
        assertEquals(8123, c.port());
        assertEquals(KEY, c.apiKey());
        assertEquals(Duration.ofMillis(200), c.pendingDuration());
        assertEquals(Duration.ofMillis(700), c.runningDuration());
        assertEquals(new ModelLimits(null, 7), c.defaultLimits());
        assertEquals(new ModelLimits(1, 50), c.limitsFor("gen4.5"));
        assertEquals(new ModelLimits(null, 10), c.limitsFor("veo3.1"));
        assertEquals(2L << 30, c.outputSizeBytes());
        assertEquals(UnknownModelPolicy.PASSTHROUGH, c.unknownModels());
        assertEquals(0.25, c.rate429());
        assertEquals(0.125, c.resetAfterRate());
        assertEquals(0.5, c.slowRate());
        assertEquals(Duration.ofMillis(1500), c.slowDuration());
        assertEquals(List.of("SAFETY.INPUT.TEXT", "INTERNAL"), c.failureCodes());
        assertEquals(Duration.ofSeconds(8), c.runningDurationFor("gen4_image"));
        assertEquals(Duration.ofSeconds(120), c.runningDurationFor("veo3.1"));
        assertEquals(Duration.ofMillis(700), c.runningDurationFor("gen4.5"));
    }

    @Test
    void fromEnv_rejectsAModelRunningDurationWithoutAModel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulatorConfig.fromEnv(Map.of("RUNWAY_SIM_MODEL_RUNNING_MS", "=8000")));
        assertTrue(e.getMessage().contains("RUNWAY_SIM_MODEL_RUNNING_MS='=8000'"), e.getMessage());
    }

    @Test
    void fromEnv_namesEveryBadVariable_whenSeveralAreWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimulatorConfig.fromEnv(Map.of(
                "RUNWAY_SIM_PORTT", "1",
                "RUNWAY_SIM_RATE_5XX", "lots",
                "RUNWAY_SIM_OUTPUT_SIZE", "2 parsecs")));
        assertTrue(e.getMessage().contains("RUNWAY_SIM_PORTT is not a simulator setting"), e.getMessage());
        assertTrue(e.getMessage().contains("RUNWAY_SIM_RATE_5XX='lots'"), e.getMessage());
        assertTrue(e.getMessage().contains("RUNWAY_SIM_OUTPUT_SIZE='2 parsecs'"), e.getMessage());
    }

    @Test
    void fromEnv_neverEchoesTheApiKey_whenItIsMalformed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulatorConfig.fromEnv(Map.of("RUNWAY_SIM_API_KEY", "key_secretButShort")));
        assertFalse(e.getMessage().contains("secretButShort"), e.getMessage());
    }

    @Test
    void fromEnv_rejectsRatesOutsideZeroToOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulatorConfig.fromEnv(Map.of("RUNWAY_SIM_FAILURE_RATE", "1.5")));
        assertTrue(e.getMessage().contains("failureRate must be between 0 and 1"), e.getMessage());
    }

    @Test
    void toString_redactsTheApiKey() {
        SimulatorConfig c = SimulatorConfig.builder().apiKey(KEY).build();
        assertFalse(c.toString().contains(KEY));
    }

    @Test
    void toBuilder_keepsValues_whenOneIsChanged() {
        SimulatorConfig c = SimulatorConfig.builder().seed(9).rate5xx(0.5).build().toBuilder().latency(Duration.ofMillis(3)).build();
        assertEquals(9, c.seed());
        assertEquals(0.5, c.rate5xx());
        assertEquals(Duration.ofMillis(3), c.latency());
    }

    @Test
    void parseSize_understandsBinaryUnits() {
        assertEquals(512, SimulatorConfig.parseSize("512"));
        assertEquals(64 * 1024, SimulatorConfig.parseSize("64KiB"));
        assertEquals(10L << 20, SimulatorConfig.parseSize("10M"));
    }
}
