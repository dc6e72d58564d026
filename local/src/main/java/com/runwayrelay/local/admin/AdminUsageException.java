package com.runwayrelay.local.admin;

/** The command line is wrong (exit status 2); the message says which argument and why. */
public final class AdminUsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public AdminUsageException(String message) {
        super(message);
    }
}
