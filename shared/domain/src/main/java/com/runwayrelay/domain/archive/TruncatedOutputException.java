package com.runwayrelay.domain.archive;

import java.io.IOException;

/** The body ended before its declared length: the connection was cut. Worth retrying. */
public final class TruncatedOutputException extends IOException {
    private final long received;
    private final long declared;

    TruncatedOutputException(long received, long declared) {
        super("the output download ended after " + received + " of " + declared + " bytes");
        this.received = received;
        this.declared = declared;
    }

    /** Bytes that arrived. */
    public long received() {
        return received;
    }

    /** Bytes announced by {@code Content-Length}. */
    public long declared() {
        return declared;
    }
}
