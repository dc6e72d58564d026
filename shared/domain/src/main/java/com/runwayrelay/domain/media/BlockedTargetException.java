package com.runwayrelay.domain.media;

import java.util.Objects;

/**
 * An outbound target the gateway must not connect to. Not transient: retrying the same URI gives
 * the same answer, so callers fail the delivery or download for good.
 */
public final class BlockedTargetException extends Exception {
    private final String code;

    BlockedTargetException(String code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** Why, as one of the {@link MediaViolation} code constants (for example {@code private_address}). */
    public String code() {
        return code;
    }
}
