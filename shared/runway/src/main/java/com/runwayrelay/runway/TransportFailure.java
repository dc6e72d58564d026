package com.runwayrelay.runway;

/**
 * No complete response arrived for a request.
 *
 * <p>{@link #mayHaveReachedServer()} is the fact that decides whether a create can be retried: it is
 * {@code false} only when the connection was never established (refused, unresolvable host,
 * connect timeout), so the server cannot have seen a single byte.
 */
final class TransportFailure extends Exception {

    private final boolean mayHaveReachedServer;
    private final boolean timedOut;

    TransportFailure(String message, boolean mayHaveReachedServer, boolean timedOut, Throwable cause) {
        super(message, cause);
        this.mayHaveReachedServer = mayHaveReachedServer;
        this.timedOut = timedOut;
    }

    /** {@code false} when the server cannot have received the request. */
    boolean mayHaveReachedServer() {
        return mayHaveReachedServer;
    }

    /** {@code true} when the attempt ran out of time (connecting or waiting for the response). */
    boolean timedOut() {
        return timedOut;
    }
}
