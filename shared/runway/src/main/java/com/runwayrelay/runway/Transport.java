package com.runwayrelay.runway;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest.BodyPublisher;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP exchange with Runway (or with the storage service an upload slot points at).
 *
 * <p>Implementations perform exactly one attempt; retrying is the job of {@link RetryingTransport},
 * which decorates another transport. An implementation must be safe for concurrent use.
 */
interface Transport extends AutoCloseable {

    /**
     * Sends the request once.
     *
     * @return the response, whatever its status code
     * @throws TransportFailure when no complete response arrived; the failure says whether the
     *     request can have reached the server
     */
    Response send(Request request) throws TransportFailure;

    /** Releases connections and threads; the transport is unusable afterwards. */
    @Override
    void close();

    /** How a request may be retried after a failure. */
    enum RetryMode {
        /** Repeating the request has no further effect: retry every transient failure. */
        IDEMPOTENT,
        /**
         * Creates a billable task. Retry only when the server cannot have acted on the request:
         * the connection was never made, or Runway answered 429.
         */
        CREATE,
        /** Never retry (for example a streamed body that cannot be replayed). */
        NEVER
    }

    /**
     * A request ready to send. {@code headers} may hold the credential, so {@link #toString()}
     * shows only the method and path.
     *
     * @param body {@code null} for a request without a body; must be replayable unless
     *     {@code retryMode} is {@link RetryMode#NEVER}
     */
    record Request(
            String method,
            URI uri,
            Map<String, String> headers,
            BodyPublisher body,
            Duration timeout,
            RetryMode retryMode) {

        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(uri, "uri");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(retryMode, "retryMode");
        }

        /** {@code "POST /v1/text_to_image"}: safe to show in messages and logs. */
        String operation() {
            return method + " " + uri.getRawPath();
        }

        @Override
        public String toString() {
            return "Request[" + operation() + ", " + retryMode + "]";
        }
    }

    /** A complete response; {@code body} is never {@code null} (empty when there was none). */
    record Response(int status, HttpHeaders headers, byte[] body) {

        public Response {
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(body, "body");
        }

        boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        @Override
        public String toString() {
            return "Response[" + status + ", " + body.length + " bytes]";
        }
    }
}
