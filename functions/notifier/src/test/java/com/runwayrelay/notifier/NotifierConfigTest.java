package com.runwayrelay.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.config.ConfigurationException;
import com.runwayrelay.aws.config.Env;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NotifierConfigTest {
    private static Map<String, String> base() {
        return new HashMap<>(Map.of("RELAY_TABLE", "tasks", "RELAY_BUCKET", "archive"));
    }

    @Test
    void readsDefaults_strictSendingAnd15sTimeout() {
        NotifierConfig config = NotifierConfig.from(new Env(base()));

        assertEquals(new NotifierConfig("tasks", "archive", Duration.ofHours(1), 8, false, Duration.ofSeconds(15),
                Duration.ofSeconds(60)), config);
    }

    @Test
    void allowsLoopbackHttp_onlyThroughTheLocalOnlyVariable() {
        Map<String, String> vars = base();
        vars.put("RELAY_ALLOW_LOOPBACK_HTTP", "TRUE");
        vars.put("RELAY_DUE_SHARDS", "16");
        Env env = new Env(vars);

        NotifierConfig config = NotifierConfig.from(env);

        assertTrue(config.allowLoopbackHttp());
        assertEquals(16, config.dueShards());
        assertEquals(Set.of("RELAY_ALLOW_LOOPBACK_HTTP"), env.localOnlyNamesRead());
        assertFalse(env.namesRead().contains("RELAY_ALLOW_LOOPBACK_HTTP"));
    }

    @Test
    void namesEveryProblem_whenVariablesAreMissingOrMalformed() {
        Map<String, String> vars = Map.of("RELAY_ALLOW_LOOPBACK_HTTP", "yes", "RELAY_DUE_SHARDS", "0");

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> NotifierConfig.from(new Env(vars)));

        for (String name : new String[]{"RELAY_TABLE", "RELAY_BUCKET", "RELAY_DUE_SHARDS", "RELAY_ALLOW_LOOPBACK_HTTP"}) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }
}
