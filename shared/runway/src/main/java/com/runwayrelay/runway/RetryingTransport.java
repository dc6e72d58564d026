package com.runwayrelay.runway;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;

/**
 * Decorates a {@link Transport} with the {@link RetryPolicy}. The last error response is
 * returned as-is (the client maps it to an exception); the last failure is rethrown.
 */
final class RetryingTransport implements Transport {

    private final Transport delegate;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final System.Logger log;

    RetryingTransport(Transport delegate, RetryPolicy policy, Sleeper sleeper, System.Logger log) {
        this.delegate = delegate;
        this.policy = policy;
        this.sleeper = sleeper;
        this.log = log;
    }

    @Override
    public Response send(Request request) throws TransportFailure {
        for (int retriesDone = 0; ; retriesDone++) {
            Response response;
            try {
                response = delegate.send(request);
            } catch (TransportFailure failure) {
                Optional<Duration> delay = policy.afterFailure(request.retryMode(), failure, retriesDone);
                if (delay.isEmpty() || !pause(request, "a connection failure", delay.get(), retriesDone)) {
                    throw failure;
                }
                continue;
            }
            Optional<Duration> delay = policy.afterResponse(request.retryMode(), response, retriesDone);
            if (delay.isEmpty() || !pause(request, "status " + response.status(), delay.get(), retriesDone)) {
                return response;
            }
        }
    }

    /** Sleeps before a retry; {@code false} when interrupted, which ends the retrying. */
    private boolean pause(Request request, String reason, Duration delay, int retriesDone) {
        log.log(Level.DEBUG, () -> "Retrying " + request.operation() + " after " + reason + " in "
                + delay.toMillis() + " ms (retry " + (retriesDone + 1) + " of " + policy.maxRetries() + ")");
        try {
            sleeper.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
