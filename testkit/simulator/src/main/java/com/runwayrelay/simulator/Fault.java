package com.runwayrelay.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A one-shot fault for {@link RunwaySimulator#injectNext(String, String, Fault)}: it hits the next
 * request whose method and path match, then is gone.
 */
public sealed interface Fault {

    /** Answer with this status, these headers and a {@code {"error": …}} body; the request is not processed. */
    static Fault status(int code, Map<String, String> headers) {
        return new Status(code, headers);
    }

    /** Answer with this status and no extra headers; the request is not processed. */
    static Fault status(int code) {
        return new Status(code, Map.of());
    }

    /** Process the request (a create really creates the task), then drop the connection without a response. */
    static Fault resetAfterRequest() {
        return new ResetAfterRequest();
    }

    /** Drop the connection without processing the request or answering. */
    static Fault resetBeforeProcessing() {
        return new ResetBeforeProcessing();
    }

    /** Wait this long, then process and answer normally. */
    static Fault delay(Duration delay) {
        return new Delay(delay);
    }

    /**
     * Announce the full {@code Content-Length}, write only the first {@code bytes} bytes of the body, then
     * close the connection. Meant for output downloads; works on any response with a body.
     */
    static Fault truncate(long bytes) {
        return new Truncate(bytes);
    }

    /** See {@link Fault#status(int, Map)}. */
    record Status(int code, Map<String, String> headers) implements Fault {
        public Status {
            if (code < 100 || code > 599) {
                throw new IllegalArgumentException("HTTP status must be 100..599, was " + code);
            }
            headers = Map.copyOf(headers);
        }
    }

    /** See {@link Fault#resetAfterRequest()}. */
    record ResetAfterRequest() implements Fault {
    }

    /** See {@link Fault#resetBeforeProcessing()}. */
    record ResetBeforeProcessing() implements Fault {
    }

    /** See {@link Fault#delay(Duration)}. */
    record Delay(Duration delay) implements Fault {
        public Delay {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative, was " + delay);
            }
        }
    }

    /** See {@link Fault#truncate(long)}. */
    record Truncate(long bytes) implements Fault {
        public Truncate {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
            }
        }
    }
}
