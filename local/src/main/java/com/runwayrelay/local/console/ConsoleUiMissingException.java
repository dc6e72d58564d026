package com.runwayrelay.local.console;

/** The console's built UI is not on the classpath: the module was built without Node, or its build failed. */
public final class ConsoleUiMissingException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ConsoleUiMissingException(String message) {
        super(message);
    }
}
