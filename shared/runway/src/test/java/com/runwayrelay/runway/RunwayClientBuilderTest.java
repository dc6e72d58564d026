package com.runwayrelay.runway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunwayClientBuilderTest {

    @Test
    void failsFast_whenApiKeyMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunwayClient.builder().build());

        assertEquals("apiKey is required", e.getMessage());
    }

    @Test
    void rejectsKey_whenBlankOrWithControlCharacters() {
        assertThrows(IllegalArgumentException.class, () -> RunwayClient.builder().apiKey(" "));
        assertThrows(IllegalArgumentException.class, () -> RunwayClient.builder().apiKey("key_abc\r\nX-Evil: 1"));
        assertThrows(NullPointerException.class, () -> RunwayClient.builder().apiKey(null));
    }

    @Test
    void rejectsBaseUri_whenNotAbsoluteHttpWithoutQuery() {
        for (String bad : new String[] {"ftp://api.example", "/relative", "https://api.example/?x=1",
                "https://api.example/#f", "https://user:pw@api.example"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RunwayClient.builder().baseUri(URI.create(bad)));
            assertTrue(e.getMessage().startsWith("baseUri must be"), e.getMessage());
        }
    }

    @Test
    void rejectsLimits_whenOutOfRange() {
        RunwayClient.Builder builder = RunwayClient.builder();

        assertThrows(IllegalArgumentException.class, () -> builder.maxRetries(-1));
        assertThrows(IllegalArgumentException.class, () -> builder.maxRetries(11));
        assertThrows(IllegalArgumentException.class, () -> builder.requestTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> builder.connectTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> builder.uploadTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> builder.maxRetryAfter(Duration.ofSeconds(-1)));
    }

    @Test
    void usesProductionDefaults_whenOnlyKeyGiven() {
        try (RunwayClient client = RunwayClient.builder().apiKey(Fixtures.API_KEY).build()) {
            assertEquals("RunwayClient[baseUri=https://api.dev.runwayml.com, maxRetries=2]", client.toString());
        }
        assertEquals("2024-11-06", RunwayClient.API_VERSION);
    }
}
