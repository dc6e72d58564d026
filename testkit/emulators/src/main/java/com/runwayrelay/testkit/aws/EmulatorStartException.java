package com.runwayrelay.testkit.aws;

/**
 * An emulator could not start: a fixed port is already taken, the data folder is unusable, or
 * the server failed. The message says which emulator and, for ports, which port.
 */
public final class EmulatorStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    EmulatorStartException(String message) {
        super(message);
    }

    EmulatorStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
