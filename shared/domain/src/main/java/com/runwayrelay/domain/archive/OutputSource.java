package com.runwayrelay.domain.archive;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Objects;

/**
 * Where outputs are downloaded from: Runway's output links. The adapter connects only where the
 * connection rules allow (https, public addresses, resolved once), never follows redirects, and
 * bounds connect and read times.
 */
public interface OutputSource {

    /**
     * Starts a download and returns once the response head has arrived with status 200.
     *
     * @param url an output link the caller already checked against {@link OutputHosts}
     * @return the open download; the caller reads and closes its body
     * @throws DownloadRefusedException when the link cannot be fetched as it is (expired, blocked,
     *                                  redirected, an error status); see its {@link DownloadRefusedException#reason()}
     * @throws IOException              when the connection failed or timed out (worth retrying)
     */
    Download open(URI url) throws DownloadRefusedException, IOException;

    /**
     * An open download.
     *
     * @param contentType   the {@code Content-Type} header as sent, or null when absent
     * @param contentLength the {@code Content-Length}, or -1 when the length is not announced
     * @param body          the body, already de-chunked; ends where the response ends
     */
    record Download(String contentType, long contentLength, InputStream body) implements AutoCloseable {
        public Download {
            Objects.requireNonNull(body, "body");
        }

        /** Closes the body and the connection under it. */
        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
