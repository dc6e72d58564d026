package com.runwayrelay.aws.runway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.config.ConfigurationException;
import com.runwayrelay.aws.config.RunwaySettings;
import com.runwayrelay.runway.RunwayClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunwayClientsTest {
    private static final URI BASE = URI.create("http://127.0.0.1:9");
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:runway-AbCdEf";
    private static final String KEY = "key_" + "ab".repeat(64);

    @Test
    void readsTheKeyFromTheSecret_whenAnArnIsSet() {
        List<String> asked = new ArrayList<>();
        RunwaySettings settings = new RunwaySettings(BASE, Optional.of(ARN), Optional.empty());

        try (RunwayClient client = RunwayClients.builder(settings, arn -> {
            asked.add(arn);
            return KEY + "\n";
        }).build()) {
            assertEquals(List.of(ARN), asked);
            assertFalse(client.toString().contains(KEY));
        }
    }

    @Test
    void usesTheLocalKey_whenNoArnIsSet() {
        RunwaySettings settings = new RunwaySettings(BASE, Optional.empty(), Optional.of(KEY));

        try (RunwayClient client = RunwayClients.builder(settings, arn -> {
            throw new AssertionError("Secrets Manager must not be asked");
        }).build()) {
            assertFalse(client.toString().contains(KEY));
        }
    }

    @Test
    void namesTheSecret_whenItIsEmpty() {
        RunwaySettings settings = new RunwaySettings(BASE, Optional.of(ARN), Optional.empty());

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> RunwayClients.builder(settings, arn -> " "));

        assertTrue(e.getMessage().contains(ARN), e.getMessage());
    }

    @Test
    void namesTheSecretAndTheCause_whenReadingFails() {
        RunwaySettings settings = new RunwaySettings(BASE, Optional.of(ARN), Optional.empty());

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> RunwayClients.builder(settings, arn -> {
                    throw new IllegalStateException("access denied");
                }));

        assertTrue(e.getMessage().contains(ARN) && e.getMessage().contains("access denied"), e.getMessage());
    }

    @Test
    void refusesToBuild_whenThereIsNoKeyAtAll() {
        RunwaySettings settings = new RunwaySettings(BASE, Optional.empty(), Optional.empty());

        assertThrows(ConfigurationException.class, () -> RunwayClients.builder(settings, arn -> KEY));
    }
}
