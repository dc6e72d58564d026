package com.runwayrelay.runway;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Runway call did not succeed. There is one subtype per way the caller must react, so a
 * {@code switch} over the sealed hierarchy is exhaustive:
 *
 * <ul>
 *   <li>{@link BadRequest}: the request is wrong; fix it, do not repeat it.
 *   <li>{@link Authentication}: the key is invalid, disabled or not allowed to do this (401/403).
 *   <li>{@link NotFound}: the task does not exist (any more). After a DELETE this is success.
 *   <li>{@link RateLimited}: try again later, after {@link RateLimited#retryAfter()} if given.
 *   <li>{@link Transient}: nothing happened at Runway, or the call is safe to repeat; retry later.
 *   <li>{@link Ambiguous}: a create may or may not have produced a (billable) task; record it and
 *       do not blindly create again.
 *   <li>{@link InvalidResponse}: Runway answered something this client cannot interpret.
 * </ul>
 *
 * <p>Messages name the operation (for example {@code POST /v1/text_to_image}), the status and
 * Runway's error text; they never contain the API key or request bodies.
 */
public abstract sealed class RunwayException extends RuntimeException {

    private final String operation;
    private final int status;
    private final String requestId;
    private final String runwayError;

    RunwayException(String message, Context context, Throwable cause) {
        super(message, cause);
        this.operation = context.operation();
        this.status = context.status();
        this.requestId = context.requestId();
        this.runwayError = context.runwayError();
    }

    /** The failed operation, e.g. {@code "GET /v1/tasks/…"}; never contains credentials. */
    public String operation() {
        return operation;
    }

    /** The HTTP status of the last response, empty when no response arrived. */
    public OptionalInt status() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** The request id the server reported (useful for support), if any. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** The {@code error} text from the response body (or a short excerpt of a non-JSON body). */
    public Optional<String> runwayError() {
        return Optional.ofNullable(runwayError);
    }

    /** What every subtype records about the failed call; {@code status} 0 means no response. */
    record Context(String operation, int status, String requestId, String runwayError) {
        Context {
            Objects.requireNonNull(operation, "operation");
        }
    }

    /**
     * One schema-validation problem reported by Runway.
     *
     * @param code machine-readable code, e.g. {@code "too_big"}; may be {@code null}
     * @param path location of the offending value: field names ({@link String}) and array
     *     indexes ({@link Integer}), outermost first
     * @param message human-readable explanation; may be {@code null}
     */
    public record Issue(String code, List<Object> path, String message) {
        public Issue {
            path = List.copyOf(path);
        }
    }

    /**
     * 400 and other 4xx without a more specific meaning: the request was rejected and nothing
     * was created. Repeating it unchanged will fail again.
     */
    public static final class BadRequest extends RunwayException {
        private final List<Issue> issues;
        private final String docUrl;

        BadRequest(String message, Context context, List<Issue> issues, String docUrl) {
            super(message, context, null);
            this.issues = List.copyOf(issues);
            this.docUrl = docUrl;
        }

        /** Field-level problems, empty when Runway gave only an {@code error} text. */
        public List<Issue> issues() {
            return issues;
        }

        /** A documentation link Runway attached, if any. */
        public Optional<String> docUrl() {
            return Optional.ofNullable(docUrl);
        }
    }

    /**
     * 401 or 403: the API key is invalid, disabled or suspended, or the organization may not use
     * what was asked (Runway also answers 403 for an unavailable model). Not retried.
     */
    public static final class Authentication extends RunwayException {
        Authentication(String message, Context context) {
            super(message, context, null);
        }
    }

    /**
     * 404: the resource does not exist, or the task was deleted or cancelled. For a DELETE this
     * means the task is already gone, which callers may treat as success.
     */
    public static final class NotFound extends RunwayException {
        NotFound(String message, Context context) {
            super(message, context, null);
        }
    }

    /**
     * 429 after the allowed retries (or at once, when waiting would not help). Nothing was
     * created.
     */
    public static final class RateLimited extends RunwayException {
        private final Duration retryAfter;
        private final boolean dailyQuota;

        RateLimited(String message, Context context, Duration retryAfter, boolean dailyQuota) {
            super(message, context, null);
            this.retryAfter = retryAfter;
            this.dailyQuota = dailyQuota;
        }

        /** The wait the server asked for ({@code retry-after-ms} / {@code retry-after}), if any. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }

        /**
         * {@code true} when the organization's daily generation quota is spent: retrying within
         * the next hours is pointless.
         */
        public boolean dailyQuota() {
            return dailyQuota;
        }
    }

    /**
     * A temporary failure after the allowed retries: 5xx, 408, 409, a timeout or a connection
     * failure, on a call that is safe to repeat or that never reached the server. No task was
     * created by it.
     */
    public static final class Transient extends RunwayException {
        private final Duration retryAfter;

        Transient(String message, Context context, Duration retryAfter, Throwable cause) {
            super(message, context, cause);
            this.retryAfter = retryAfter;
        }

        /** The wait the server asked for, if any. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /**
     * A create request may have been received and processed, but no usable answer came back
     * (5xx, 408, 409, a timeout or dropped connection after sending, or an unreadable success
     * body). A billable task may exist that the caller does not know the id of. The client never
     * repeats such a request itself; the caller should record the attempt and decide.
     */
    public static final class Ambiguous extends RunwayException {
        private final String endpoint;

        Ambiguous(String message, Context context, String endpoint, Throwable cause) {
            super(message, context, cause);
            this.endpoint = endpoint;
        }

        /** The generation endpoint that was called, e.g. {@code "text_to_video"}. */
        public String endpoint() {
            return endpoint;
        }
    }

    /**
     * The server answered with something this client cannot interpret: an unexpected status
     * (such as a redirect) or a success body that does not decode. Usually a version mismatch.
     */
    public static final class InvalidResponse extends RunwayException {
        InvalidResponse(String message, Context context, Throwable cause) {
            super(message, context, cause);
        }
    }
}
