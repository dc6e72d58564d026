package com.runwayrelay.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.config.ConfigurationException;
import com.runwayrelay.aws.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusConfigTest {

    @Test
    void readsItsVariablesWithDefaults() {
        StatusConfig config = StatusConfig.from(new Env(Map.of("RELAY_TABLE", "t", "RELAY_BUCKET", "b",
                "RUNWAYML_API_SECRET", "key_local", "RELAY_DUE_SHARDS", "4")));
        assertEquals(4, config.dueShards());
        assertEquals(Duration.ofSeconds(30), config.appCacheTtl());
        assertEquals(Duration.ofHours(1), config.linkTtl());
        assertEquals(Duration.ofSeconds(30), config.workflowCacheTtl());
    }

    @Test
    void readsTheWorkflowCacheTime_zeroIncluded_andRefusesOneOutOfRange() {
        Map<String, String> base = Map.of("RELAY_TABLE", "t", "RELAY_BUCKET", "b", "RUNWAYML_API_SECRET", "key_local");
        Map<String, String> off = new java.util.HashMap<>(base);
        off.put("RELAY_WORKFLOW_CACHE_SECONDS", "0");
        assertEquals(Duration.ZERO, StatusConfig.from(new Env(off)).workflowCacheTtl());
        Map<String, String> tooLong = new java.util.HashMap<>(base);
        tooLong.put("RELAY_WORKFLOW_CACHE_SECONDS", "3601");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> StatusConfig.from(new Env(tooLong)));
        assertTrue(String.join("\n", e.problems()).contains("RELAY_WORKFLOW_CACHE_SECONDS"), e.problems().toString());
    }

    @Test
    void namesEveryBadVariableAtOnce() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> StatusConfig.from(new Env(Map.of(
                "RELAY_APP_CACHE_SECONDS", "-1", "RELAY_DUE_SHARDS", "zero"))));
        String message = String.join("\n", e.problems());
        assertTrue(message.contains("RELAY_TABLE") && message.contains("RELAY_BUCKET"));
        assertTrue(message.contains("RELAY_APP_CACHE_SECONDS") && message.contains("RELAY_DUE_SHARDS"));
    }
}
