package com.runwayrelay.local;

/** A function of the template could not be loaded or initialised in the local stack; the message names it. */
final class FunctionLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FunctionLoadException(String message) {
        super(message);
    }

    FunctionLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
