package com.runwayrelay.runway;

/**
 * Removes the API key from text that leaves the client (exception messages, log lines), in case
 * a server or proxy echoes request headers back in an error body.
 */
final class Redactor {

    static final String MASK = "[REDACTED]";

    private final String secret;

    Redactor(String secret) {
        this.secret = secret;
    }

    /** {@code text} with every occurrence of the key masked; {@code null} stays {@code null}. */
    String scrub(String text) {
        return text == null || !text.contains(secret) ? text : text.replace(secret, MASK);
    }
}
