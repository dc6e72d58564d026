package com.runwayrelay.testkit.aws;

import java.net.BindException;

/** Turns "address already in use", however deeply Jetty or s3proxy wrap it, into an error naming the port. */
final class PortConflict {

    private PortConflict() {
    }

    static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    static EmulatorStartException error(String emulator, int port, String option, Throwable cause) {
        return new EmulatorStartException(emulator + " cannot listen on 127.0.0.1:" + port
                + ": the port is already in use. Stop whatever holds it, or choose another port with EmulatorOptions."
                + option + "(...) (0 picks a free one).", cause);
    }
}
