package com.runwayrelay.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.config.ConfigurationException;
import com.runwayrelay.aws.config.Env;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubmitConfigTest {
    private static final Map<String, String> MINIMAL = Map.of("RELAY_TABLE", "relay-tasks", "RELAY_BUCKET", "relay-outputs",
            "RUNWAY_API_KEY_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:runway");

    @Test
    void defaultsApply_whenOnlyTheRequiredVariablesAreSet() {
        SubmitConfig config = SubmitConfig.from(new Env(MINIMAL));
        assertEquals(8, config.dueShards());
        assertEquals(Duration.ofHours(24), config.idempotencyTtl());
        assertEquals(Duration.ofSeconds(10), config.idempotencyWait());
        assertEquals(Duration.ofSeconds(30), config.idempotencyLease(), "the 29 s timeout plus the clock margin");
        assertEquals(100, config.unpricedCredits());
        assertEquals(Duration.ofSeconds(30), config.appCacheTtl());
        assertEquals(List.of(), config.mediaHostAllowlist());
        assertFalse(config.allowLoopbackHttp());
        assertEquals("relay-outputs", config.bucket());
        assertEquals(Duration.ofHours(1), config.linkTtl());
    }

    @Test
    void needsTheBucket_forTheLinksOfAHeldCreate() {
        Map<String, String> env = new java.util.HashMap<>(MINIMAL);
        env.remove("RELAY_BUCKET");
        env.put("RELAY_LINK_TTL_SECONDS", "30");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> SubmitConfig.from(new Env(env)));
        String problems = String.join("\n", e.problems());
        assertTrue(problems.contains("RELAY_BUCKET") && problems.contains("RELAY_LINK_TTL_SECONDS"), problems);
    }

    @Test
    void readsEveryVariable_andTheLocalOnlyLoopbackSwitch() {
        Map<String, String> env = new java.util.HashMap<>(MINIMAL);
        env.putAll(Map.of("RELAY_DUE_SHARDS", "16", "RELAY_IDEMPOTENCY_TTL_SECONDS", "3600",
                "RELAY_IDEMPOTENCY_WAIT_SECONDS", "0", "RELAY_UNPRICED_MODEL_CREDITS", "250",
                "RELAY_APP_CACHE_SECONDS", "0", "RELAY_MEDIA_HOST_ALLOWLIST", "media.example.com, *.cdn.example.net",
                "RELAY_ALLOW_LOOPBACK_HTTP", "true"));
        SubmitConfig config = SubmitConfig.from(new Env(env));
        assertEquals(16, config.dueShards());
        assertEquals(Duration.ofHours(1), config.idempotencyTtl());
        assertEquals(Duration.ZERO, config.idempotencyWait());
        assertEquals(250, config.unpricedCredits());
        assertEquals(List.of("media.example.com", "*.cdn.example.net"), config.mediaHostAllowlist());
        assertTrue(config.allowLoopbackHttp());
    }

    @Test
    void claimLeaseIsTheSubmitTimeoutPlusTheClockMargin() {
        Map<String, String> env = new java.util.HashMap<>(MINIMAL);
        env.put("RELAY_SUBMIT_TIMEOUT_SECONDS", "60");
        assertEquals(Duration.ofSeconds(61), SubmitConfig.from(new Env(env)).idempotencyLease());
    }

    @Test
    void refusesASubmitTimeoutTheKeyWouldNotOutlive() {
        Map<String, String> env = new java.util.HashMap<>(MINIMAL);
        env.putAll(Map.of("RELAY_SUBMIT_TIMEOUT_SECONDS", "60", "RELAY_IDEMPOTENCY_TTL_SECONDS", "60"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> SubmitConfig.from(new Env(env)));
        assertTrue(String.join("\n", e.problems()).contains("RELAY_SUBMIT_TIMEOUT_SECONDS (60) must be shorter than"
                + " RELAY_IDEMPOTENCY_TTL_SECONDS (60)"), e.problems().toString());
    }

    @Test
    void namesEveryBadVariableAtOnce() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> SubmitConfig.from(new Env(Map.of(
                "RELAY_IDEMPOTENCY_WAIT_SECONDS", "60", "RELAY_UNKNOWN_MODEL_POLICY", "maybe",
                "RELAY_SUBMIT_TIMEOUT_SECONDS", "0"))));
        String message = String.join("\n", e.problems());
        assertTrue(message.contains("RELAY_TABLE"));
        assertTrue(message.contains("RELAY_IDEMPOTENCY_WAIT_SECONDS"));
        assertTrue(message.contains("RELAY_UNKNOWN_MODEL_POLICY"));
        assertTrue(message.contains("RELAY_SUBMIT_TIMEOUT_SECONDS"));
        assertTrue(message.contains("RUNWAY_API_KEY_SECRET_ARN"));
    }
}
