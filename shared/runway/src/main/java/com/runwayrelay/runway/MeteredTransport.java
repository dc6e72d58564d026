package com.runwayrelay.runway;

import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.metrics.RelayMetric.RunwayCall;
import com.runwayrelay.domain.metrics.RelayMetric.RunwayOperation;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Records every single HTTP attempt at Runway: {@link RelayMetric#RUNWAY_CALLS} by what came back
 * (status class, 429, timeout, other failure to get an answer) and {@link RelayMetric#RUNWAY_LATENCY}
 * by operation. It sits under the retry decorator, so each retry is counted as the call it is.
 */
final class MeteredTransport implements Transport {
    private final Transport transport;
    private final Metrics metrics;
    private final LongSupplier nanoTime;

    /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}; a test's own otherwise) */
    MeteredTransport(Transport transport, Metrics metrics, LongSupplier nanoTime) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public Response send(Request request) throws TransportFailure {
        long started = nanoTime.getAsLong();
        String outcome = RunwayCall.CONNECTION_ERROR;
        try {
            Response response = transport.send(request);
            outcome = RunwayCall.ofStatus(response.status());
            return response;
        } catch (TransportFailure failure) {
            outcome = failure.timedOut() ? RunwayCall.TIMEOUT : RunwayCall.CONNECTION_ERROR;
            throw failure;
        } finally {
            metrics.record(RelayMetric.RUNWAY_CALLS, 1, outcome);
            metrics.record(RelayMetric.RUNWAY_LATENCY, (nanoTime.getAsLong() - started) / 1e6, operation(request));
        }
    }

    /** The operation a request is: a create, a read or a cancel of a task, an upload, or another call. */
    static String operation(Request request) {
        String path = request.uri().getRawPath() == null ? "" : request.uri().getRawPath();
        if (!path.startsWith("/v1/")) {
            // Upload slots point at Runway's storage, outside the API.
            return RunwayOperation.UPLOAD;
        }
        if (path.startsWith("/v1/uploads")) {
            return RunwayOperation.UPLOAD;
        }
        if (path.startsWith("/v1/tasks/")) {
            return switch (request.method()) {
                case "GET" -> RunwayOperation.READ;
                case "DELETE" -> RunwayOperation.CANCEL;
                default -> RunwayOperation.OTHER;
            };
        }
        if ("POST".equals(request.method()) && path.matches("/v1/[a-z0-9_]+")) {
            return RunwayOperation.CREATE;
        }
        return RunwayOperation.OTHER;
    }

    @Override
    public void close() {
        transport.close();
    }
}
