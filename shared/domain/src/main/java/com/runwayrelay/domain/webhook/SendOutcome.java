package com.runwayrelay.domain.webhook;

import java.time.Duration;
import java.util.Objects;

/**
 * What became of one webhook request. A {@link WebhookSender} returns one of these for every
 * attempt instead of throwing, so each way a delivery can end is handled explicitly.
 */
public sealed interface SendOutcome {

    /** The receiver's status code, or 0 when no response arrived. */
    int httpStatus();

    /** The receiver answered 2xx: delivered. */
    record Delivered(int httpStatus) implements SendOutcome {
        public Delivered {
            if (httpStatus < 200 || httpStatus > 299) {
                throw new IllegalArgumentException("delivered means 2xx, not " + httpStatus);
            }
        }
    }

    /** The receiver answered 410 Gone: it wants no more webhooks; the app's endpoint is disabled. */
    record Gone() implements SendOutcome {
        @Override
        public int httpStatus() {
            return 410;
        }
    }

    /**
     * Not delivered, worth trying again later: any other status (3xx redirects are not followed,
     * 4xx and 5xx), a timeout, a connection or TLS failure, a host that does not resolve.
     *
     * @param httpStatus the status, or 0 when no response arrived
     * @param error      what went wrong, for the attempt log; never contains secrets
     * @param retryAfter the receiver's {@code Retry-After}, or null
     */
    record Retryable(int httpStatus, String error, Duration retryAfter) implements SendOutcome {
        public Retryable {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * Not sent, and never will be: the target breaks the outbound rules (not https, a private or
     * internal address, a malformed URL). Trying again gives the same answer.
     *
     * @param error why, for the attempt log
     */
    record Refused(String error) implements SendOutcome {
        public Refused {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public int httpStatus() {
            return 0;
        }
    }
}
