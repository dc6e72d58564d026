package com.runwayrelay.local.admin;

/** A deployed stack could not be read, or is not a runway-relay stack; the message says why. */
public final class StackLookupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StackLookupException(String message) {
        super(message);
    }

    StackLookupException(String message, Throwable cause) {
        super(message, cause);
    }
}
