package com.runwayrelay.domain.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSecretsTest {

    @Test
    void mintsWhsecPrefixedBase64Of32RandomBytes() {
        SecureRandom random = new SecureRandom();
        String secret = WebhookSecrets.mint(random);

        assertTrue(secret.startsWith("whsec_"), secret);
        assertEquals(32, Base64.getDecoder().decode(secret.substring(6)).length);
        assertEquals(32, WebhookSecrets.key(secret).length);
        assertNotEquals(secret, WebhookSecrets.mint(random));
    }
}
