package com.runwayrelay.runway;

import com.runwayrelay.runway.RunwayException.Ambiguous;
import com.runwayrelay.runway.RunwayException.Authentication;
import com.runwayrelay.runway.RunwayException.BadRequest;
import com.runwayrelay.runway.RunwayException.Context;
import com.runwayrelay.runway.RunwayException.InvalidResponse;
import com.runwayrelay.runway.RunwayException.Issue;
import com.runwayrelay.runway.RunwayException.NotFound;
import com.runwayrelay.runway.RunwayException.RateLimited;
import com.runwayrelay.runway.RunwayException.Transient;
import com.runwayrelay.runway.Transport.Request;
import com.runwayrelay.runway.Transport.Response;
import com.runwayrelay.runway.Transport.RetryMode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Turns what the transport reported into the {@link RunwayException} that tells the caller how
 * to react. For a {@link RetryMode#CREATE} request every outcome after which a task may exist
 * becomes {@link Ambiguous}.
 */
final class ErrorTranslator {

    private final Redactor redactor;
    private final Clock clock;

    ErrorTranslator(Redactor redactor, Clock clock) {
        this.redactor = redactor;
        this.clock = clock;
    }

    /** For a non-2xx response from the Runway API. */
    RunwayException fromResponse(Request request, Response response) {
        ErrorBody body = ErrorBody.parse(response.body());
        String error = redactor.scrub(body.error());
        Context context = context(request, response, error);
        String message = message(context, error);
        int status = response.status();
        boolean create = request.retryMode() == RetryMode.CREATE;
        if (status == 401 || status == 403) {
            return new Authentication(message, context);
        }
        if (status == 404) {
            return new NotFound(message, context);
        }
        if (status == 429) {
            return new RateLimited(message, context, retryAfter(response), body.isDailyQuota());
        }
        if (status == 408 || status == 409 || status >= 500) {
            return create
                    ? ambiguous(request, context, message + "; the task may have been created", null)
                    : new Transient(message, context, retryAfter(response), null);
        }
        if (status >= 400) {
            return new BadRequest(message, context, scrub(body.issues()), redactor.scrub(body.docUrl()));
        }
        return create
                ? ambiguous(request, context, message + " (unexpected status; the task may have been created)", null)
                : new InvalidResponse(message + " (unexpected status)", context, null);
    }

    /** For a non-2xx response from the storage service of an upload slot. */
    RunwayException fromStorageResponse(Request request, Response response) {
        ErrorBody body = ErrorBody.parse(response.body());
        String error = redactor.scrub(body.error());
        Context context = context(request, response, error);
        String message = message(context, error) + "; request a new upload slot before trying again";
        int status = response.status();
        if (status == 408 || status == 429 || status >= 500) {
            return new Transient(message, context, retryAfter(response), null);
        }
        if (status >= 400) {
            return new BadRequest(message, context, scrub(body.issues()), redactor.scrub(body.docUrl()));
        }
        return new InvalidResponse(message + " (unexpected status)", context, null);
    }

    /** For an attempt that produced no response. */
    RunwayException fromFailure(Request request, TransportFailure failure) {
        Context context = new Context(request.operation(), 0, null, null);
        String message = redactor.scrub(failure.getMessage());
        if (request.retryMode() == RetryMode.CREATE && failure.mayHaveReachedServer()) {
            return ambiguous(request, context, message + "; the task may have been created", failure);
        }
        return new Transient(message, context, null, failure);
    }

    /** For a 2xx response whose body could not be decoded. */
    RunwayException undecodable(Request request, Response response, Exception cause) {
        Context context = context(request, response, null);
        String message = request.operation() + ": " + response.status() + " with an unreadable body ("
                + redactor.scrub(cause.getMessage()) + ")";
        return request.retryMode() == RetryMode.CREATE
                ? ambiguous(request, context, message + "; the task was probably created", cause)
                : new InvalidResponse(message, context, cause);
    }

    private List<Issue> scrub(List<Issue> issues) {
        return issues.stream().map(issue -> new Issue(redactor.scrub(issue.code()),
                issue.path().stream().map(p -> p instanceof String text ? (Object) redactor.scrub(text) : p).toList(),
                redactor.scrub(issue.message()))).toList();
    }

    private static Ambiguous ambiguous(Request request, Context context, String message, Throwable cause) {
        String path = request.uri().getPath();
        String endpoint = path.substring(path.lastIndexOf('/') + 1);
        return new Ambiguous(message, context, endpoint, cause);
    }

    private static Context context(Request request, Response response, String error) {
        String requestId = response.header("x-request-id").or(() -> response.header("apigw-requestid")).orElse(null);
        return new Context(request.operation(), response.status(), requestId, error);
    }

    private static String message(Context context, String error) {
        return context.operation() + ": " + context.status() + (error == null ? "" : " " + error);
    }

    private Duration retryAfter(Response response) {
        return RetryAfter.from(response.headers(), clock).orElse(null);
    }
}
