package com.runwayrelay.domain.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks {@code v1} signatures: HMAC-SHA256, keyed with the decoded {@code whsec_}
 * secret, over {@code "<webhook-id>.<webhook-timestamp>.<body>"}, base64-encoded and prefixed
 * with {@code v1,}. Several secrets (a rotation) give several signatures separated by a space, so
 * a receiver holding either secret can verify.
 *
 * <p>The body is signed as the exact bytes sent; never re-serialise it after signing.
 */
public final class WebhookSigner {
    private static final String HMAC = "HmacSHA256";

    private WebhookSigner() {
    }

    /**
     * The {@code webhook-signature} header value.
     *
     * @param messageId        the {@code webhook-id}; must not contain a dot, which would make the signed content ambiguous
     * @param timestampSeconds the {@code webhook-timestamp} (Unix seconds)
     * @param body             the exact request body
     * @param secrets          {@code whsec_} secrets, at least one; one signature each, in this order
     * @throws IllegalArgumentException when the id is blank or contains a dot, no secret is given, or
     *                                  a secret is malformed (the secret is never part of the message)
     */
    public static String signatureHeader(String messageId, long timestampSeconds, byte[] body, List<String> secrets) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(secrets, "secrets");
        if (messageId == null || messageId.isBlank() || messageId.indexOf('.') >= 0) {
            throw new IllegalArgumentException("the webhook id must be non-blank and contain no '.'");
        }
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one signing secret is needed");
        }
        byte[] prefix = (messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        StringJoiner header = new StringJoiner(" ");
        for (String secret : secrets) {
            header.add("v1," + Base64.getEncoder().encodeToString(hmac(WebhookSecrets.key(secret), prefix, body)));
        }
        return header.toString();
    }

    private static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory on every Java platform and any non-empty key is valid for it.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
