package com.runwayrelay.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * What became of delivering one archived output to the app's own storage ({@code relay.deliverTo}).
 * One per output that has a target; recorded once the delivery reached a final outcome, so an output
 * without a record has not been delivered yet (a run cut off before recording it is re-run).
 *
 * @param index      the output's index, as in the task's archive
 * @param outcome    how it ended
 * @param httpStatus the storage's last status code, or 0 when no response arrived (or nothing was sent)
 * @param bytes      bytes sent in the last attempt (the whole output when delivered)
 * @param sha256     lowercase hex SHA-256 of the bytes sent, or null when nothing was sent in full
 * @param attempts   PUTs made (0 when the target was refused before sending)
 * @param error      why it was not delivered, or null when it was; never contains the URL's query
 * @param at         when the outcome was recorded
 */
public record OutputDelivery(int index, Outcome outcome, int httpStatus, long bytes, String sha256, int attempts,
                             String error, Instant at) {
    public OutputDelivery {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(at, "at");
        if (index < 0 || bytes < 0 || attempts < 0) {
            throw new IllegalArgumentException("index, bytes and attempts must be >= 0");
        }
    }

    /** How a delivery ended; stored and shown as the constant's name in lower case. */
    public enum Outcome {
        /** The storage answered 2xx to the PUT. */
        DELIVERED,
        /** The storage answered 4xx (an expired pre-signed URL answers 403): not retried. */
        REJECTED,
        /** Not sent, or its answer not accepted, under the outbound rules: a private address, a redirect. */
        REFUSED,
        /** Every attempt met a 5xx, a 429 or a network failure. */
        FAILED;

        /** The name apps see: {@code delivered}, {@code rejected}, {@code refused}, {@code failed}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The constant for a stored {@link #wireName()}. */
        public static Outcome fromStored(String stored) {
            return valueOf(stored.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
