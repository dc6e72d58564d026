package com.runwayrelay.domain.archive;

import java.io.IOException;

/** The output is over the size cap. Retrying cannot help: the task fails with {@link ArchiveFailures#TOO_LARGE}. */
public final class OutputTooLargeException extends IOException {
    private final long maxBytes;

    OutputTooLargeException(long bytes, long maxBytes, boolean declared) {
        super(declared
                ? "the output declares " + bytes + " bytes, over the archive limit of " + maxBytes + " bytes"
                : "the output exceeded the archive limit of " + maxBytes + " bytes");
        this.maxBytes = maxBytes;
    }

    /** The cap that was exceeded. */
    public long maxBytes() {
        return maxBytes;
    }
}
