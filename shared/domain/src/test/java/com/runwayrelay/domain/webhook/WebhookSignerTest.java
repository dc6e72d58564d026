package com.runwayrelay.domain.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The signer against the Standard Webhooks example vector and a straightforward recomputation.
 * The notifier's tests verify it with the official Standard Webhooks library as well.
 */
class WebhookSignerTest {
    // The example published with the Standard Webhooks specification and its reference libraries.
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330L;
    private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signsTheSpecificationExample_withItsPublishedSignature() {
        assertEquals(SPEC_SIGNATURE, WebhookSigner.signatureHeader(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY, List.of(SPEC_SECRET)));
    }

    @Test
    void signsIdTimestampAndExactBodyBytes_withTheDecodedKey() throws Exception {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7);
        }
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        byte[] body = "{\"prompt\":\"café ☕\"}".getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal(("msg_1.1700000000." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));

        assertEquals(expected, WebhookSigner.signatureHeader("msg_1", 1_700_000_000L, body, List.of(secret)));
    }

    @Test
    void signsOncePerSecret_spaceSeparatedInTheGivenOrder_whenTwoSecretsAreActive() {
        String other = WebhookSecrets.PREFIX + Base64.getEncoder().encodeToString(new byte[24]);

        String header = WebhookSigner.signatureHeader(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY, List.of(other, SPEC_SECRET));

        String[] parts = header.split(" ");
        assertEquals(2, parts.length);
        assertEquals(SPEC_SIGNATURE, parts[1]);
        assertTrue(parts[0].startsWith("v1,"));
        assertNotEquals(parts[0], parts[1]);
    }

    @Test
    void changesTheSignature_whenAnySignedPartChanges() {
        String base = WebhookSigner.signatureHeader(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY, List.of(SPEC_SECRET));

        assertNotEquals(base, WebhookSigner.signatureHeader(SPEC_ID + "x", SPEC_TIMESTAMP, SPEC_BODY, List.of(SPEC_SECRET)));
        assertNotEquals(base, WebhookSigner.signatureHeader(SPEC_ID, SPEC_TIMESTAMP + 1, SPEC_BODY, List.of(SPEC_SECRET)));
        assertNotEquals(base, WebhookSigner.signatureHeader(SPEC_ID, SPEC_TIMESTAMP,
                "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8), List.of(SPEC_SECRET)));
    }

    @Test
    void rejectsAnIdWithADot_becauseItWouldMakeTheSignedContentAmbiguous() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebhookSigner.signatureHeader("msg.1", 1, SPEC_BODY, List.of(SPEC_SECRET)));
        assertTrue(e.getMessage().contains("'.'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.signatureHeader(" ", 1, SPEC_BODY, List.of(SPEC_SECRET)));
    }

    @Test
    void rejectsSigning_whenNoSecretIsGiven() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebhookSigner.signatureHeader(SPEC_ID, 1, SPEC_BODY, List.of()));
        assertEquals("at least one signing secret is needed", e.getMessage());
    }

    @Test
    void rejectsAMalformedSecret_withoutRepeatingIt() {
        String broken = "whsec_not*base64*at-all";

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebhookSigner.signatureHeader(SPEC_ID, 1, SPEC_BODY, List.of(broken)));

        assertFalse(e.getMessage().contains("not*base64"), e.getMessage());
        assertTrue(e.getMessage().contains("standard base64"), e.getMessage());
    }

    @Test
    void rejectsASecretWithoutThePrefix_orWithoutKeyMaterial() {
        assertThrows(IllegalArgumentException.class,
                () -> WebhookSigner.signatureHeader(SPEC_ID, 1, SPEC_BODY, List.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
        assertThrows(IllegalArgumentException.class,
                () -> WebhookSigner.signatureHeader(SPEC_ID, 1, SPEC_BODY, List.of("whsec_")));
    }
}
