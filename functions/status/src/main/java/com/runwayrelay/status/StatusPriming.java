package com.runwayrelay.status;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.runwayrelay.aws.dynamodb.TaskItems;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.HttpApiEvents;
import com.runwayrelay.aws.gateway.HttpApiJson;
import com.runwayrelay.aws.gateway.WireTask;
import com.runwayrelay.aws.priming.PrimingApps;
import com.runwayrelay.aws.priming.PrimingRequest;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.app.AppRepository;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart priming of the status function: run by the Lambda runtime just before it snapshots an
 * initialized environment ({@link #beforeCheckpoint}), so that a restored environment's first request
 * finds the code it needs loaded and partly compiled instead of loading it then.
 *
 * <p>What it does, and nothing else:
 * <ol>
 *   <li>sends the status API one request that stays read-only: {@code GET /v1/tasks/{id}} with a well-formed
 *       app key no app has ({@link PrimingRequest}). That runs event decoding from the invocation's bytes,
 *       routing, key hashing, one DynamoDB {@code GetItem} (through the real repository, SDK client and
 *       credentials) and the 401 problem, written as the stream handler writes it. An unknown key writes
 *       nothing: {@link AppAuthenticator} does not cache it and {@code DynamoDbAppRepository.findByKeyHash} is
 *       a single consistent read;</li>
 *   <li>answers for a sample archived task that exists nowhere, as a found task is answered: its item mapped
 *       to and from DynamoDB's form ({@link TaskItems}, no call), the task object rendered by the function's own
 *       {@link WireTask} (output links signed by the S3 presigner: local computation, no request) and the 200
 *       written to nowhere.</li>
 * </ol>
 *
 * <p><b>No side effects.</b> No DynamoDB or S3 write, no Runway call, no log line, no metric: the request goes to
 * an API instance of its own whose authenticator reads apps through {@link PrimingApps}, which answers a failed
 * read "unknown" instead of letting {@code AppEdge} log it, and that API is not wrapped in the metrics flush (the
 * 401 path records no metric anyway). <b>Never fails:</b> whatever goes wrong is kept in
 * {@link Outcome#failures()} and priming carries on, since a failing hook would cost the version its snapshot.
 *
 * <p><b>{@link #afterRestore} does nothing</b>, for the reasons the submit function's hook gives: credentials are
 * asked of the provider per request and per signed link; no app is cached; the one SDK connection opened is
 * dropped by the JDK's keep-alive cache when found idle past its keep-alive time after the restore (and a failed
 * reuse is retried); the Runway client is never called here.
 */
final class StatusPriming implements Resource {
    /** A well-formed task id that no task has (not the shape minted ids have, so it cannot be one). */
    static final String UNKNOWN_TASK = "task_priming";
    /** The read-only request: a task read with a well-formed key no app has ({@link PrimingApps#UNKNOWN_KEY}). */
    static final PrimingRequest REQUEST = new PrimingRequest(StatusApi.GET_TASK, "/v1/tasks/" + UNKNOWN_TASK,
            Map.of("id", UNKNOWN_TASK), null);

    private final Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api;
    private final PrimingApps apps;
    private final WireTask wire;
    private final Clock clock;

    /**
     * @param apps the function's app repository (read once, for the unknown key)
     * @param wire the function's task renderer, with its link signer
     * @param api builds the status API with the authenticator given; it must not be wrapped in the metrics flush
     */
    StatusPriming(AppRepository apps, WireTask wire, Clock clock,
                  Function<AppAuthenticator, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> api) {
        this.wire = Objects.requireNonNull(wire, "wire");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.apps = new PrimingApps(apps);
        this.api = api.apply(this.apps.authenticator(clock));
    }

    /** What one priming did: the request's status (0 if it did not answer) and whether the sample task was answered. */
    record Outcome(int status, boolean sampleAnswered, List<String> failures) {
        Outcome {
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

    /** Runs the priming steps, each on its own: one failing does not skip the next. Never throws. */
    Outcome prime() {
        List<String> failures = new ArrayList<>();
        int status = 0;
        boolean answered = false;
        try {
            status = REQUEST.sendTo(api);
        } catch (IOException | RuntimeException | LinkageError e) {
            failures.add("request: " + e);
        }
        try {
            Task task = TaskItems.fromItem(TaskItems.toItem(sampleTask(clock.instant()), 1));
            HttpApiJson.write(HttpApiEvents.response(ApiResponse.json(200, wire.render(task))),
                    OutputStream.nullOutputStream());
            answered = true;
        } catch (IOException | RuntimeException | LinkageError e) {
            failures.add("sample task: " + e);
        }
        apps.failure().ifPresent(e -> failures.add("app lookup: " + e));
        return new Outcome(status, answered, failures);
    }

    /** An archived image task of {@link PrimingApps#sampleApp}, with one output; stored nowhere. */
    static Task sampleTask(Instant now) {
        return Task.accepted(UNKNOWN_TASK, PrimingApps.SAMPLE_APP_ID, "text_to_image", "gen4_image", "{}", 8, now)
                .state(TaskState.ARCHIVED).runwayTaskId("priming").actualCredits(8L)
                .archive(List.of(new ArchiveRecord("outputs/" + PrimingApps.SAMPLE_APP_ID + "/" + UNKNOWN_TASK + "/0.png",
                        1, "0".repeat(64), "image/png")))
                .build();
    }
}
