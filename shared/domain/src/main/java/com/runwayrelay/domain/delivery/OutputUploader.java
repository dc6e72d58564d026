package com.runwayrelay.domain.delivery;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Port: PUTs one output to a URL of the app's storage. Adapters apply the webhooks' outbound rules
 * (vet the target, connect only to the vetted address, never follow a redirect, bound the exchange
 * by a timeout), stream the body with the given {@code Content-Length}, and report every result
 * as an {@link Upload} rather than throwing.
 */
@FunctionalInterface
public interface OutputUploader {

    /**
     * Sends {@code body} ({@code length} bytes of {@code contentType}) to {@code target} with a PUT.
     * The adapter reads at most {@code length} bytes and does not close {@code body}.
     */
    Upload put(URI target, String contentType, long length, InputStream body);

    /** What became of one PUT. */
    sealed interface Upload {
        /** The status code, or 0 when no response arrived. */
        int httpStatus();

        /** 2xx: stored. */
        record Stored(int httpStatus) implements Upload {
        }

        /** 4xx other than 429 (an expired pre-signed URL answers 403): the same request fails again. */
        record Rejected(int httpStatus, String error) implements Upload {
            public Rejected {
                Objects.requireNonNull(error, "error");
            }
        }

        /**
         * Not accepted under the outbound rules: the target breaks them (checked before connecting),
         * or the answer was a redirect, which is never followed.
         */
        record Refused(int httpStatus, String error) implements Upload {
            public Refused {
                Objects.requireNonNull(error, "error");
            }
        }

        /** 5xx, 429, a timeout or a network failure: worth another try; {@code retryAfter} may be null. */
        record Retryable(int httpStatus, String error, Duration retryAfter) implements Upload {
            public Retryable {
                Objects.requireNonNull(error, "error");
            }
        }
    }
}
