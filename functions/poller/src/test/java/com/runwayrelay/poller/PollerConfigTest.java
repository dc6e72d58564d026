package com.runwayrelay.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.config.ConfigurationException;
import com.runwayrelay.aws.config.Env;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PollerConfigTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:runway-AbCdEf";

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("RELAY_TABLE", "relay-tasks");
        env.put("RUNWAY_API_KEY_SECRET_ARN", ARN);
        return env;
    }

    @Test
    void usesTheDocumentedDefaults_whenOnlyTheRequiredVariablesAreSet() {
        PollerConfig config = PollerConfig.from(new Env(minimal()));

        assertEquals("relay-tasks", config.table());
        assertEquals(Duration.ofSeconds(50), config.runSeconds());
        assertEquals(8, config.dueShards());
        assertEquals(32, config.policy().concurrency());
        assertEquals(50.0, config.policy().requestsPerSecond());
        assertEquals(Duration.ofSeconds(60), config.policy().lease());
        assertEquals(3, config.policy().maxAttempts());
        assertTrue(config.policy().retryableFailures().retryable("THIRD_PARTY.UNAVAILABLE"));
        assertFalse(config.policy().retryableFailures().retryable("INTERNAL.BAD_OUTPUT.CODE01"));
        assertEquals(Duration.ofSeconds(30), config.policy().progressEventInterval());
        assertEquals(1, config.realtimeCreditsPerSecond());
        assertEquals(Duration.ofMinutes(2), config.policy().inFlightGrace());
    }

    @Test
    void readsTheInFlightGraceAsALocalOnlyVariable_from60To120Seconds_andNamesABadValue() {
        Map<String, String> vars = minimal();
        vars.put("RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS", "60");
        Env env = new Env(vars);

        assertEquals(Duration.ofSeconds(60), PollerConfig.from(env).policy().inFlightGrace());
        assertTrue(env.localOnlyNamesRead().contains("RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS"), env.localOnlyNamesRead().toString());
        assertFalse(env.namesRead().contains("RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS"), "the template never sets it");
        vars.put("RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS", "120");
        assertEquals(Duration.ofSeconds(120), PollerConfig.from(new Env(vars)).policy().inFlightGrace());
        for (String bad : List.of("59", "121", "1m", "-60")) {
            vars.put("RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS", bad);
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> PollerConfig.from(new Env(vars)));
            assertTrue(e.getMessage().contains("RELAY_POLLER_IN_FLIGHT_GRACE_SECONDS must be whole seconds from 60 to 120, got '"
                    + bad + "'"), e.getMessage());
        }
    }

    @Test
    void readsTheRealtimeRate_asTheStatusFunctionDoes_andRefusesANegativeOne() {
        Map<String, String> env = minimal();
        env.put("RELAY_REALTIME_CREDITS_PER_SECOND", "0");
        assertEquals(0, PollerConfig.from(new Env(env)).realtimeCreditsPerSecond());
        env.put("RELAY_REALTIME_CREDITS_PER_SECOND", "-1");
        assertThrows(ConfigurationException.class, () -> PollerConfig.from(new Env(env)));
    }

    @Test
    void readsTheProgressEventInterval_zeroIncluded_andRefusesOneOutOfRange() {
        Map<String, String> every = minimal();
        every.put("RELAY_PROGRESS_EVENT_SECONDS", "0");
        Map<String, String> tooLong = minimal();
        tooLong.put("RELAY_PROGRESS_EVENT_SECONDS", "3601");

        assertEquals(Duration.ZERO, PollerConfig.from(new Env(every)).policy().progressEventInterval());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> PollerConfig.from(new Env(tooLong)));
        assertTrue(String.join("\n", e.problems()).contains("RELAY_PROGRESS_EVENT_SECONDS must be between 0 and 3600"),
                e.problems()::toString);
    }

    @Test
    void readsEveryTunable() {
        Map<String, String> env = minimal();
        env.put("RELAY_POLLER_RUN_SECONDS", "20");
        env.put("RELAY_DUE_SHARDS", "16");
        env.put("RELAY_POLLER_CONCURRENCY", "200");
        env.put("RELAY_POLLER_REQUESTS_PER_SECOND", "500");
        env.put("RELAY_POLLER_LEASE_SECONDS", "45");
        env.put("RELAY_POLLER_MAX_ATTEMPTS", "5");
        env.put("RELAY_POLLER_RETRYABLE_FAILURE_CODES", "INTERNAL.*, THIRD_PARTY.UNAVAILABLE");

        PollerConfig config = PollerConfig.from(new Env(env));

        assertEquals(Duration.ofSeconds(20), config.runSeconds());
        assertEquals(16, config.dueShards());
        assertEquals(200, config.policy().concurrency());
        assertEquals(500.0, config.policy().requestsPerSecond());
        assertEquals(Duration.ofSeconds(45), config.policy().lease());
        assertEquals(5, config.policy().maxAttempts());
        assertEquals(List.of("INTERNAL.*", "THIRD_PARTY.UNAVAILABLE"), config.policy().retryableFailures().entries());
        assertFalse(config.policy().retryableFailures().retryable(null), "NONE not listed");
    }

    @Test
    void namesEveryBadVariable() {
        Map<String, String> env = minimal();
        env.remove("RELAY_TABLE");
        env.put("RELAY_POLLER_LEASE_SECONDS", "5");
        env.put("RELAY_POLLER_CONCURRENCY", "many");
        env.put("RELAY_POLLER_RETRYABLE_FAILURE_CODES", "INTERNAL,bad code");

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> PollerConfig.from(new Env(env)));

        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("RELAY_TABLE"));
        assertTrue(e.getMessage().contains("RELAY_POLLER_LEASE_SECONDS must be between 30"));
        assertTrue(e.getMessage().contains("RELAY_POLLER_CONCURRENCY must be a whole number"));
        assertTrue(e.getMessage().contains("'BAD CODE'"), e.getMessage());
    }
}
