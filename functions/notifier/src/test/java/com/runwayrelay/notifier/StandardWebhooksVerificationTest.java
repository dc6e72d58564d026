package com.runwayrelay.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.runwayrelay.domain.webhook.WebhookSecrets;
import com.runwayrelay.domain.webhook.WebhookSigner;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our signer, checked by an independent implementation: the official Standard Webhooks library. */
class StandardWebhooksVerificationTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BODY = "{\"type\":\"task.succeeded\",\"data\":{\"id\":\"t\",\"note\":\"café ☕\"}}";

    private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
        return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(timestamp)),
                "webhook-signature", List.of(signature));
    }

    @Test
    void officialLibraryVerifiesOurSignature() throws Exception {
        String secret = WebhookSecrets.mint(RANDOM);
        long now = Instant.now().getEpochSecond();

        String signature = WebhookSigner.signatureHeader("msg_t_1", now, BODY.getBytes(StandardCharsets.UTF_8), List.of(secret));

        new Webhook(secret).verify(BODY, headers("msg_t_1", now, signature));
        assertEquals(new Webhook(secret).sign("msg_t_1", now, BODY), signature);
    }

    @Test
    void officialLibraryVerifiesEachRotationSecretOnItsOwn_andRejectsOthers() throws Exception {
        String fresh = WebhookSecrets.mint(RANDOM);
        String old = WebhookSecrets.mint(RANDOM);
        long now = Instant.now().getEpochSecond();

        String signature = WebhookSigner.signatureHeader("msg_t_1", now, BODY.getBytes(StandardCharsets.UTF_8), List.of(fresh, old));

        new Webhook(fresh).verify(BODY, headers("msg_t_1", now, signature));
        new Webhook(old).verify(BODY, headers("msg_t_1", now, signature));
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(WebhookSecrets.mint(RANDOM)).verify(BODY, headers("msg_t_1", now, signature)));
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(fresh).verify(BODY + " ", headers("msg_t_1", now, signature)));
    }
}
