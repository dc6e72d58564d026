package com.runwayrelay.local;

/**
 * The local stack could not start: a port is busy, the data folder is in use or unusable, a function
 * failed to initialise. The message says what and, for ports, which one and which option changes it.
 */
final class StackStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StackStartException(String message) {
        super(message);
    }

    StackStartException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether a bind failure ("address already in use") is somewhere in the causes. */
    static boolean isPortConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    /** The error for a busy port, naming the component, the port and the option that moves it. */
    static StackStartException portInUse(String component, int port, String option, Throwable cause) {
        return new StackStartException(component + " cannot listen on 127.0.0.1:" + port
                + ": the port is already in use. Stop whatever holds it, or choose another port with " + option + ".", cause);
    }
}
