package com.runwayrelay.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.runwayrelay.aws.priming.PrimingRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart priming of the admin function: run by the Lambda runtime just before it snapshots an
 * initialized environment ({@link #beforeCheckpoint}), so that a restored environment's first request
 * finds the code it needs loaded and partly compiled instead of loading it then.
 *
 * <p>What it does, and nothing else: sends the admin API the read-only requests the console's first page
 * (its overview) makes, each as the bytes of an HTTP API event read and answered the way the stream handler
 * takes a real invocation ({@link PrimingRequest}), with each route's default query:
 * <ol>
 *   <li>{@code GET /admin/v1/tasks}: the newest tasks, one DynamoDB {@code Query} of the list index, the page
 *       rendered;</li>
 *   <li>{@code GET /admin/v1/apps}: the apps, read from the table;</li>
 *   <li>{@code GET /admin/v1/health}: stuck tasks (a {@code Query}) and the dead-letter queues' depths (SQS
 *       {@code GetQueueAttributes}, where the queues are configured);</li>
 *   <li>{@code GET /admin/v1/metrics}: the metrics overview (CloudWatch {@code GetMetricData}).</li>
 * </ol>
 * The console's fifth call, {@code GET /admin/v1/usage}, needs a {@code from} and a {@code to} in its query,
 * which a priming request does not carry; it shares the JSON writing and the table reads above.
 *
 * <p><b>No side effects.</b> No DynamoDB, S3 or SQS write, no Runway call (the router routes are not sent),
 * no log line, no metric: the requests go to an API instance of its own that tells this hook of an unexpected
 * failure instead of logging it, and that API is not wrapped in the metrics flush (these reads record no
 * metric anyway). The app key {@link PrimingRequest} puts in the event is never read: API Gateway authorizes
 * admin routes with IAM. <b>Never fails:</b> whatever goes wrong is kept in {@link Outcome#failures()} and
 * priming carries on with the next request, since a failing hook would cost the version its snapshot.
 *
 * <p><b>{@link #afterRestore} does nothing</b>: nothing is cached for after the restore. Credentials are asked of
 * the provider per request (and the provider refreshes its own); the app and task reads keep nothing; the SDK
 * connections opened here are dropped by the JDK's keep-alive cache when found idle past their keep-alive time
 * after the restore, and a failed reuse is retried; the Runway client is never called.
 */
final class AdminPriming implements Resource {
    /** The console overview's reads, each with its route's defaults; none writes. */
    static final List<PrimingRequest> REQUESTS = List.of(
            new PrimingRequest(AdminApi.LIST_TASKS, "/admin/v1/tasks", Map.of(), null),
            new PrimingRequest(AdminApi.LIST_APPS, "/admin/v1/apps", Map.of(), null),
            new PrimingRequest(AdminApi.HEALTH, "/admin/v1/health", Map.of(), null),
            new PrimingRequest(AdminApi.METRICS, "/admin/v1/metrics", Map.of(), null));

    private final Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api;
    private final List<String> apiFailures = new ArrayList<>();

    /**
     * @param api builds the admin API with the failure sink given (in place of its log); it must not be wrapped in
     *            the metrics flush
     */
    AdminPriming(Function<Consumer<String>, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> api) {
        this.api = Objects.requireNonNull(api.apply(this::failed), "api");
    }

    /**
     * What one priming did.
     *
     * @param statuses each request's route key and the status it was answered with (0 if it did not answer)
     * @param failures what went wrong, one line each; empty when every request was answered without a failure
     */
    record Outcome(Map<String, Integer> statuses, List<String> failures) {
        Outcome {
            statuses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(statuses));
            failures = List.copyOf(failures);
        }
    }

    /** Primes ({@link #prime()}); never throws, so the snapshot is taken whatever happened. */
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    /** Nothing to redo: see the class comment. */
    @Override
    public void afterRestore(Context<? extends Resource> context) {
    }

    /** Sends each request on its own: one failing does not skip the next. Never throws. */
    synchronized Outcome prime() {
        apiFailures.clear();
        List<String> failures = new ArrayList<>();
        Map<String, Integer> statuses = new LinkedHashMap<>();
        for (PrimingRequest request : REQUESTS) {
            int status = 0;
            try {
                status = request.sendTo(api);
            } catch (IOException | RuntimeException | LinkageError e) {
                failures.add(request.routeKey() + ": " + e);
            }
            statuses.put(request.routeKey(), status);
        }
        failures.addAll(apiFailures);
        return new Outcome(statuses, failures);
    }

    private void failed(String failure) {
        apiFailures.add(failure);
    }
}
