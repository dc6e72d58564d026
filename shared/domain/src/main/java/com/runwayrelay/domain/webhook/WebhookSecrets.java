package com.runwayrelay.domain.webhook;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Webhook signing secrets in the Standard Webhooks format: {@code whsec_} followed by the
 * standard base64 of the key bytes. The key is what is base64-encoded, not the text after the
 * prefix: receivers decode it the same way.
 */
public final class WebhookSecrets {
    /** The prefix every serialised secret starts with. */
    public static final String PREFIX = "whsec_";
    /** Bytes of key material a minted secret carries (the format allows 24 to 64). */
    public static final int MINTED_BYTES = 32;

    private WebhookSecrets() {
    }

    /** A new random secret of {@link #MINTED_BYTES} bytes, serialised as {@code whsec_...}. */
    public static String mint(SecureRandom random) {
        byte[] key = new byte[MINTED_BYTES];
        random.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The key bytes of a serialised secret.
     *
     * @throws IllegalArgumentException when the secret lacks the prefix, is not valid base64 or is
     *                                  empty; the message never repeats the secret
     */
    static byte[] key(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret must start with " + PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret must be " + PREFIX
                    + " followed by standard base64 (the secret is not shown)");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("a webhook secret must carry at least one byte of key material");
        }
        return key;
    }
}
