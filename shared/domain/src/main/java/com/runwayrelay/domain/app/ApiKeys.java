package com.runwayrelay.domain.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * App keys: {@code rr_} + 48 lowercase hex characters (192 random bits). Only the SHA-256 of a
 * key is stored; with that much entropy a fast hash is enough, and it lets the submit path look
 * a key up with one read.
 */
public final class ApiKeys {
    private static final Pattern FORMAT = Pattern.compile("^rr_[0-9a-f]{48}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** A new random key. Show it once; store only {@link #hash}. */
    public static String mint() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "rr_" + HexFormat.of().formatHex(bytes);
    }

    /** Whether a string has the shape of an app key (cheap check before any lookup). */
    public static boolean looksValid(String key) {
        return key != null && FORMAT.matcher(key).matches();
    }

    /** Lowercase hex SHA-256 of the key. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
