package com.runwayrelay.domain.delivery;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** Port: reads an archived output back as a stream, never whole into memory. */
@FunctionalInterface
public interface StoredOutputs {

    /**
     * Opens the archived object under {@code key}.
     *
     * @throws IOException when the store cannot be read (the caller retries later)
     */
    StoredOutput open(String key) throws IOException;

    /**
     * An open archived object; the caller closes it.
     *
     * @param body   the object's bytes, streamed
     * @param length the object's size in bytes
     */
    record StoredOutput(InputStream body, long length) implements Closeable {
        public StoredOutput {
            Objects.requireNonNull(body, "body");
            if (length < 0) {
                throw new IllegalArgumentException("length must be >= 0");
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
