package com.runwayrelay.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.config.ConfigurationException;
import com.runwayrelay.aws.config.Env;
import com.runwayrelay.domain.webhook.WebhookDispatch;
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
                Duration.ofSeconds(60), Duration.ofMinutes(2)), config);
        assertEquals(WebhookDispatch.Settings.standard().claimLease(), config.dispatchSettings().claimLease());
    }

    @Test
    void shortensTheWebhookClaimLease_onlyThroughTheLocalOnlyVariable_andNoFurtherThan30s() {
        Map<String, String> vars = base();
        vars.put("RELAY_WEBHOOK_CLAIM_LEASE_SECONDS", "30");
        Env env = new Env(vars);

        NotifierConfig config = NotifierConfig.from(env);

        assertEquals(Duration.ofSeconds(30), config.webhookClaimLease());
        assertEquals(Duration.ofSeconds(30), config.dispatchSettings().claimLease());
        assertEquals(WebhookDispatch.Settings.standard().schedule().maxAttempts(), config.dispatchSettings().schedule().maxAttempts());
        assertEquals(WebhookDispatch.Settings.standard().maxInPlaceWait(), config.dispatchSettings().maxInPlaceWait());
        assertTrue(env.localOnlyNamesRead().contains("RELAY_WEBHOOK_CLAIM_LEASE_SECONDS"), env.localOnlyNamesRead().toString());
        assertFalse(env.namesRead().contains("RELAY_WEBHOOK_CLAIM_LEASE_SECONDS"));
        for (String bad : new String[]{"29", "121", "30s", "-30"}) {
            Map<String, String> badVars = base();
            badVars.put("RELAY_WEBHOOK_CLAIM_LEASE_SECONDS", bad);
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> NotifierConfig.from(new Env(badVars)), bad);
            assertTrue(e.getMessage().contains("RELAY_WEBHOOK_CLAIM_LEASE_SECONDS must be whole seconds from 30 to 120, got '"
                    + bad + "'"), e.getMessage());
        }
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
        assertEquals(Set.of("RELAY_ALLOW_LOOPBACK_HTTP", "RELAY_WEBHOOK_CLAIM_LEASE_SECONDS"), env.localOnlyNamesRead());
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
