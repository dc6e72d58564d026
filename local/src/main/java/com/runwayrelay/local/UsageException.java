package com.runwayrelay.local;

/** A command line the CLI cannot run; the message says which argument and why. */
final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
