package com.runwayrelay.submit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiRequest;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.AppEdge;
import com.runwayrelay.aws.gateway.HttpApiEvents;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.aws.gateway.TaskWait;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.IdempotencyStore.StoredResponse;
import com.runwayrelay.domain.gateway.UploadSlots;
import com.runwayrelay.domain.runway.WorkflowRuns;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The submit function's HTTP edge: authenticates the app ({@link AppEdge}), dispatches on the
 * route API Gateway matched ({@code POST /v1/uploads} or {@code POST /v1/<task endpoint>}) and
 * turns the use case's outcome into an HTTP API response, in one table per use case
 * ({@link #answer(SubmitOutcome)}, {@link #answer(UploadOutcome)}).
 */
final class SubmitApi implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String UPLOADS = "POST /v1/uploads";
    /** Runs a published workflow: a task of endpoint {@code workflows/<id>} ({@link WorkflowRuns}). */
    static final String RUN_WORKFLOW = "POST /v1/workflows/{id}";
    private static final String TASK_PREFIX = "POST /v1/";

    private final AppEdge edge;
    private final Set<String> endpoints;
    private final SubmitTask submit;
    private final CreateUpload uploads;
    private final Optional<HeldCreates> held;

    /** Without held creates: {@code Prefer: wait} on a create is ignored (tests of everything else). */
    SubmitApi(AppAuthenticator authenticator, Set<String> endpoints, SubmitTask submit, CreateUpload uploads) {
        this(authenticator, endpoints, submit, uploads, null);
    }

    /** @param held answers a create sent with {@code Prefer: wait=N} once the task ended or N s passed */
    SubmitApi(AppAuthenticator authenticator, Set<String> endpoints, SubmitTask submit, CreateUpload uploads,
              HeldCreates held) {
        this.edge = new AppEdge(authenticator);
        this.endpoints = Set.copyOf(endpoints);
        this.submit = submit;
        this.uploads = uploads;
        this.held = Optional.ofNullable(held);
    }

    @Override
    public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
        Optional<Problem> raw = RequestBody.encodingProblem(event.getBody(), event.getIsBase64Encoded());
        // A refused body is never decoded: bad base64 would throw, and a huge one is not worth the copy.
        ApiRequest request = raw.isPresent()
                ? new ApiRequest(event.getRouteKey(), event.getHeaders(), "", event.getPathParameters())
                : HttpApiEvents.request(event);
        return HttpApiEvents.response(edge.handle(request, (app, authenticated) -> route(app, authenticated, raw)));
    }

    /**
     * Answers a request of an authenticated app.
     *
     * @param raw what is wrong with the body as it arrived (size, encoding), found before it was decoded
     */
    private ApiResponse route(App app, ApiRequest request, Optional<Problem> raw) {
        String route = request.routeKey();
        boolean upload = route.equals(UPLOADS);
        String endpoint = route.startsWith(TASK_PREFIX) ? route.substring(TASK_PREFIX.length()) : "";
        if (route.equals(RUN_WORKFLOW)) {
            String workflowId = request.pathParameter("id");
            Optional<Problem> refused = WorkflowRunCheck.refusal(app, workflowId);
            if (refused.isPresent()) {
                submit.refusedAtTheEdge();
                return refused.get().response();
            }
            endpoint = WorkflowRuns.endpoint(workflowId);
        } else if (!upload && !endpoints.contains(endpoint)) {
            return AppEdge.noSuchRoute(route);
        }
        if (raw.isPresent()) {
            if (!upload) {
                submit.refusedAtTheEdge();
            }
            return raw.get().response();
        }
        ObjectNode body;
        switch (RequestBody.parse(request.body())) {
            case RequestBody.Parsed.Refused refused -> {
                if (!upload) {
                    submit.refusedAtTheEdge();
                }
                return refused.problem().response();
            }
            case RequestBody.Parsed.Ok ok -> body = ok.body();
        }
        // The body parsed once, here: the use cases read this tree, never the text again.
        if (upload) {
            return answer(uploads.create(body));
        }
        Optional<Duration> wait = held.isPresent() ? TaskWait.preferredWait(request.header("prefer")) : Optional.empty();
        Instant arrival = wait.isPresent() ? held.get().arrival() : null;
        ApiResponse answered = answer(submit.submit(new SubmitCommand(app, endpoint, request.header("idempotency-key"),
                body)));
        return wait.isPresent() ? held.get().hold(app, answered, wait.get(), arrival) : answered;
    }

    /** The answer to a submission, as the app receives it. */
    static ApiResponse answer(SubmitOutcome outcome) {
        return switch (outcome) {
            case SubmitOutcome.Accepted accepted -> {
                ObjectNode body = ApiResponse.JSON.createObjectNode();
                body.put("id", accepted.taskId());
                // A workflow run's answer is the invocation id (the SDK reads no more); the reserved ceiling rides along.
                body.putObject("estimatedCost").put("credits", accepted.estimatedCredits());
                if (accepted.routingJson() != null) {
                    // A routed generation's answer is {id, routing} at Runway; the SDK reads routing from it.
                    body.set("routing", readRouting(accepted.routingJson()));
                }
                yield ApiResponse.json(200, body);
            }
            case SubmitOutcome.Invalid invalid -> Problem.invalidRequest(invalid.violations()).response();
            case SubmitOutcome.InvalidIdempotencyKey key ->
                    Problem.of(400, "invalid-idempotency-key", "Invalid Idempotency-Key", key.detail()).response();
            case SubmitOutcome.Replayed replayed -> {
                StoredResponse stored = replayed.stored();
                ApiResponse response = stored.status() < 300 ? ApiResponse.json(stored.status(), stored.body())
                        : new ApiResponse(stored.status(), Map.of("content-type", Problem.MEDIA_TYPE), stored.body());
                yield response.withHeader("idempotent-replayed", "true");
            }
            case SubmitOutcome.KeyReused reused -> Problem.of(422, "idempotency-key-reused", "Idempotency-Key reused",
                    "Idempotency-Key '" + reused.key() + "' was already used for a different request (task "
                            + reused.taskId() + "); send a new key with a new request").response();
            case SubmitOutcome.KeyInProgress busy -> Problem.of(409, "idempotency-key-in-progress",
                            "Request with this Idempotency-Key in progress", "A request with Idempotency-Key '"
                                    + busy.key() + "' is still being processed (task " + busy.taskId()
                                    + "); retry shortly")
                    .withRetryAfter(Duration.ofSeconds(1)).response();
            case SubmitOutcome.OverBudget budget -> Problem.budgetExceeded("This request needs up to "
                    + budget.over().requestedCredits() + " credits", budget.over(), budget.resetsAt()).response();
            case SubmitOutcome.TooManyActive full -> Problem.of(429, "too-many-active-tasks", "Too many active tasks",
                            "The app has " + full.activeTasks() + " unfinished tasks, its limit of "
                                    + full.maxActiveTasks() + "; wait for one to finish or delete one")
                    .with("activeTasks", full.activeTasks()).with("maxActiveTasks", full.maxActiveTasks())
                    .withRetryAfter(Duration.ofSeconds(5)).response();
            case SubmitOutcome.RunwayRejected rejected -> new Problem(400, "runway-rejected",
                    "Runway rejected the request", "Runway rejected the request: " + rejected.error(),
                    rejected.issues(), Map.of("id", rejected.taskId()), null).response();
            case SubmitOutcome.RunwayUnavailable unavailable -> Problem.of(503, "runway-unavailable",
                            "Runway unavailable", "Runway is unavailable (" + unavailable.reason() + "); try again later")
                    .withRetryAfter(unavailable.retryAfter()).response();
        };
    }

    private static JsonNode readRouting(String json) {
        try {
            return ApiResponse.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("routing kept from Runway's parsed answer is not JSON", e);
        }
    }

    /**
     * What {@link SubmitTask} stores for an idempotent request's lasting outcome: the status and
     * body of {@link #answer(SubmitOutcome)}, which a replay sends again with its content type
     * (the format of records already stored, so replays work across versions).
     */
    static StoredResponse stored(SubmitOutcome outcome) {
        ApiResponse response = answer(outcome);
        return new StoredResponse(response.status(), response.body());
    }

    /** The answer to an upload-slot request, as the app receives it. */
    static ApiResponse answer(UploadOutcome outcome) {
        return switch (outcome) {
            case UploadOutcome.Invalid invalid -> Problem.invalidRequest(invalid.violations()).response();
            case UploadOutcome.Answered(UploadSlots.Outcome.Reserved slot) -> {
                ObjectNode body = ApiResponse.JSON.createObjectNode();
                body.put("uploadUrl", slot.uploadUrl().toString());
                ObjectNode fields = body.putObject("fields");
                slot.fields().forEach(fields::put);
                body.put("runwayUri", slot.runwayUri());
                yield ApiResponse.json(200, body);
            }
            case UploadOutcome.Answered(UploadSlots.Outcome.Rejected rejected) -> new Problem(400, "runway-rejected",
                    "Runway rejected the request", "Runway rejected the upload request: " + rejected.error(),
                    rejected.issues(), Map.of(), null).response();
            case UploadOutcome.Answered(UploadSlots.Outcome.Unavailable unavailable) -> Problem.of(503,
                            "runway-unavailable", "Runway unavailable", "Runway cannot provide an upload slot now ("
                                    + unavailable.reason() + "); try again later")
                    .withRetryAfter(unavailable.retryAfter() != null ? unavailable.retryAfter() : Duration.ofSeconds(5))
                    .response();
        };
    }
}
