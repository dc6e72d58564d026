package com.runwayrelay.status;

import com.runwayrelay.aws.gateway.TaskWait;
import com.runwayrelay.aws.gateway.WireTask;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiRequest;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.AppEdge;
import com.runwayrelay.aws.gateway.HttpApiEvents;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.aws.gateway.RunwayRoutes;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.UsageLedger.DailyUsage;
import com.runwayrelay.domain.runway.WorkflowRuns;
import com.runwayrelay.domain.workflow.AppWorkflows;
import com.runwayrelay.domain.workflow.PublishedWorkflows;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The status function's HTTP edge: authenticates the app ({@link AppEdge}), dispatches on the
 * route API Gateway matched and turns each use case's outcome into an HTTP API response, in one
 * table per use case. It also serves {@value #OTHER}, the route API Gateway picks for every request
 * under {@code /v1/} that no other route matches: after the app is authenticated (an unknown route
 * without a valid key is 401, as a known one), {@link RunwayRoutes#answerUnserved} names what is
 * wrong (403, 404 or 405), so no such request gets API Gateway's bare 404.
 */
final class StatusApi implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String GET_TASK = "GET /v1/tasks/{id}";
    static final String DELETE_TASK = "DELETE /v1/tasks/{id}";
    static final String ORGANIZATION = "GET /v1/organization";
    static final String ORGANIZATION_USAGE = "POST /v1/organization/usage";
    static final String CREATE_DOCUMENT = "POST /v1/documents";
    static final String LIST_DOCUMENTS = "GET /v1/documents";
    static final String GET_DOCUMENT = "GET /v1/documents/{id}";
    static final String UPDATE_DOCUMENT = "PATCH /v1/documents/{id}";
    static final String DELETE_DOCUMENT = "DELETE /v1/documents/{id}";
    static final String LIST_WORKFLOWS = "GET /v1/workflows";
    static final String GET_WORKFLOW = "GET /v1/workflows/{id}";
    static final String GET_INVOCATION = "GET /v1/workflow_invocations/{id}";
    static final String CREATE_REALTIME_SESSION = "POST /v1/realtime_sessions";
    static final String GET_REALTIME_SESSION = "GET /v1/realtime_sessions/{id}";
    static final String CANCEL_REALTIME_SESSION = "DELETE /v1/realtime_sessions/{id}";
    static final String LIST_AVATAR_CONVERSATIONS = "GET /v1/avatar_conversations";
    static final String GET_AVATAR_CONVERSATION = "GET /v1/avatar_conversations/{id}";
    static final String DELETE_AVATAR_CONVERSATION = "DELETE /v1/avatar_conversations/{id}";
    static final String AVATAR_USAGE = "GET /v1/avatar_usage";
    static final String CREATE_AVATAR = "POST /v1/avatars";
    static final String LIST_AVATARS = "GET /v1/avatars";
    static final String GET_AVATAR = "GET /v1/avatars/{id}";
    static final String UPDATE_AVATAR = "PATCH /v1/avatars/{id}";
    static final String DELETE_AVATAR = "DELETE /v1/avatars/{id}";
    static final String CREATE_VOICE = "POST /v1/voices";
    static final String LIST_VOICES = "GET /v1/voices";
    static final String GET_VOICE = "GET /v1/voices/{id}";
    static final String UPDATE_VOICE = "PATCH /v1/voices/{id}";
    static final String DELETE_VOICE = "DELETE /v1/voices/{id}";
    static final String PREVIEW_VOICE = "POST /v1/voices/preview";
    /** Every other request under {@code /v1/}. */
    static final String OTHER = "ANY /v1/{proxy+}";
    /** Task and document ids are UUIDs; anything far from an id is not looked up at all. */
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final AppEdge edge;
    private final TaskReads reads;
    private final WireTask wire;
    private final TaskDeletion deletion;
    private final OrganizationReport organization;
    private final DocumentRoutes documents;
    private final AvatarRoutes avatars;
    private final VoiceRoutes voices;
    private final WorkflowRoutes workflows;
    private final WireInvocation invocations;
    private final RealtimeSessionRoutes realtimeSessions;
    private final ConversationRoutes conversations;

    /** As below, for a gateway whose Runway lists no workflows (tests of the other routes). */
    StatusApi(AppAuthenticator authenticator, TaskReads reads, WireTask wire, TaskDeletion deletion,
              OrganizationReport organization, DocumentRoutes documents, AvatarRoutes avatars, VoiceRoutes voices) {
        this(authenticator, reads, wire, deletion, organization, documents, avatars, voices, noWorkflows(), null,
                null, null);
    }

    /** A Runway that lists no workflows. */
    private static WorkflowRoutes noWorkflows() {
        return new WorkflowRoutes(new AppWorkflows(new PublishedWorkflows() {
            @Override
            public Listing list() {
                return new Listing.Listed(List.of());
            }

            @Override
            public Lookup get(String workflowId) {
                return new Lookup.NotFound();
            }
        }));
    }

    /** As the full constructor, without realtime sessions and conversations (their routes answer 404). */
    StatusApi(AppAuthenticator authenticator, TaskReads reads, WireTask wire, TaskDeletion deletion,
              OrganizationReport organization, DocumentRoutes documents, AvatarRoutes avatars, VoiceRoutes voices,
              WorkflowRoutes workflows, WireInvocation invocations) {
        this(authenticator, reads, wire, deletion, organization, documents, avatars, voices, workflows, invocations,
                null, null);
    }

    /** As the full constructor, for a gateway whose Runway lists no workflows. */
    StatusApi(AppAuthenticator authenticator, TaskReads reads, WireTask wire, TaskDeletion deletion,
              OrganizationReport organization, DocumentRoutes documents, AvatarRoutes avatars, VoiceRoutes voices,
              RealtimeSessionRoutes realtimeSessions, ConversationRoutes conversations) {
        this(authenticator, reads, wire, deletion, organization, documents, avatars, voices, noWorkflows(), null,
                realtimeSessions, conversations);
    }

    /**
     * @param wire             shows a task read as Runway's task object
     * @param invocations      shows a workflow run as Runway's workflow invocation; null for a
     *                         {@link WireInvocation} made from {@code wire}
     * @param realtimeSessions {@code /v1/realtime_sessions}, or null where not wired (its routes then answer 404)
     * @param conversations    {@code /v1/avatar_conversations}, or null likewise
     */
    StatusApi(AppAuthenticator authenticator, TaskReads reads, WireTask wire, TaskDeletion deletion,
              OrganizationReport organization, DocumentRoutes documents, AvatarRoutes avatars, VoiceRoutes voices,
              WorkflowRoutes workflows, WireInvocation invocations,
              RealtimeSessionRoutes realtimeSessions, ConversationRoutes conversations) {
        this.workflows = workflows;
        this.invocations = invocations != null ? invocations : new WireInvocation(wire);
        this.edge = new AppEdge(authenticator);
        this.documents = documents;
        this.avatars = avatars;
        this.voices = voices;
        this.realtimeSessions = realtimeSessions;
        this.conversations = conversations;
        this.reads = reads;
        this.wire = wire;
        this.deletion = deletion;
        this.organization = organization;
    }

    @Override
    public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
        ApiRequest request = HttpApiEvents.request(event);
        if (OTHER.equals(request.routeKey())) {
            // The route key of a greedy ANY route names neither the method nor the path: the event's context does.
            var http = event.getRequestContext() == null ? null : event.getRequestContext().getHttp();
            String method = http == null ? null : http.getMethod();
            String path = event.getRawPath() != null ? event.getRawPath() : http == null ? null : http.getPath();
            return HttpApiEvents.response(edge.handle(request, (app, r) -> RunwayRoutes.answerUnserved(method, path)));
        }
        return HttpApiEvents.response(handle(request));
    }

    ApiResponse handle(ApiRequest request) {
        return edge.handle(request, this::route);
    }

    private ApiResponse route(App app, ApiRequest request) {
        String id = request.pathParameter("id");
        return switch (request.routeKey()) {
            case ORGANIZATION -> answer(organization.get(app));
            case ORGANIZATION_USAGE -> usage(app, request.body());
            case GET_TASK -> validId(id) ? read(request, app, id, false) : Problem.taskNotFound().response();
            case DELETE_TASK -> validId(id) && !isInvocation(app, id) ? answer(deletion.delete(app, id))
                    : Problem.taskNotFound().response();
            case LIST_WORKFLOWS -> workflows.list(app);
            case GET_WORKFLOW -> workflows.get(app, id);
            case GET_INVOCATION -> validId(id) ? read(request, app, id, true) : invocationNotFound();
            case CREATE_DOCUMENT -> documents.create(app, request.body());
            case LIST_DOCUMENTS -> documents.list(app, request.queryParameter("limit"), request.queryParameter("cursor"),
                    request.queryParameter("order"), request.queryParameter("sort"));
            case GET_DOCUMENT -> validId(id) ? documents.get(app, id) : DocumentRoutes.notFound();
            case UPDATE_DOCUMENT -> validId(id) ? documents.update(app, id, request.body()) : DocumentRoutes.notFound();
            case DELETE_DOCUMENT -> validId(id) ? documents.delete(app, id) : DocumentRoutes.notFound();
            case CREATE_AVATAR -> avatars.create(app, request.body());
            case LIST_AVATARS -> avatars.list(app, request.queryParameter("limit"), request.queryParameter("cursor"));
            case GET_AVATAR -> validId(id) ? avatars.get(app, id) : avatars.notFound();
            case UPDATE_AVATAR -> validId(id) ? avatars.update(app, id, request.body()) : avatars.notFound();
            case DELETE_AVATAR -> validId(id) ? avatars.delete(app, id) : avatars.notFound();
            case CREATE_VOICE -> voices.create(app, request.body());
            case LIST_VOICES -> voices.list(app, request.queryParameter("limit"), request.queryParameter("cursor"));
            case GET_VOICE -> validId(id) ? voices.get(app, id) : voices.notFound();
            case UPDATE_VOICE -> validId(id) ? voices.update(app, id, request.body()) : voices.notFound();
            case DELETE_VOICE -> validId(id) ? voices.delete(app, id) : voices.notFound();
            case PREVIEW_VOICE -> voices.preview(app, request.body());
            default -> realtime(app, request, id);
        };
    }

    /** The realtime sessions' and avatar conversations' routes (issue #18), in their own classes. */
    private ApiResponse realtime(App app, ApiRequest request, String id) {
        if (realtimeSessions == null || conversations == null) {
            return AppEdge.noSuchRoute(request.routeKey());
        }
        return switch (request.routeKey()) {
            case CREATE_REALTIME_SESSION -> realtimeSessions.create(app, request.body());
            case GET_REALTIME_SESSION -> validId(id) ? realtimeSessions.get(app, id) : RealtimeSessionRoutes.notFound();
            case CANCEL_REALTIME_SESSION -> validId(id) ? realtimeSessions.cancel(app, id) : RealtimeSessionRoutes.notFound();
            case LIST_AVATAR_CONVERSATIONS -> conversations.list(app, request.queryParameter("limit"),
                    request.queryParameter("cursor"), request.queryParameter("avatar"),
                    request.queryParameter("startDate"), request.queryParameter("endDate"));
            case GET_AVATAR_CONVERSATION -> validId(id) ? conversations.get(app, id) : ConversationRoutes.notFound();
            case DELETE_AVATAR_CONVERSATION -> validId(id) ? conversations.delete(app, id) : ConversationRoutes.notFound();
            case AVATAR_USAGE -> realtimeSessions.usage(app, request.queryParameter("startDate"),
                    request.queryParameter("endDate"));
            default -> AppEdge.noSuchRoute(request.routeKey());
        };
    }

    /**
     * A read, held while the app's {@code Prefer: wait=N} asks (see {@link #preferredWait}); the
     * answer then says {@code Preference-Applied: wait=M} with the wait honoured (N capped at
     * {@link TaskReads#MAX_WAIT}).
     */
    private ApiResponse read(ApiRequest request, App app, String id, boolean invocation) {
        Optional<Duration> wait = preferredWait(request.header("prefer"));
        if (wait.isEmpty()) {
            return answer(kind(reads.get(app, id), invocation), invocation);
        }
        Duration applied = wait.get().compareTo(TaskReads.MAX_WAIT) > 0 ? TaskReads.MAX_WAIT : wait.get();
        TaskReads.Outcome outcome = kind(reads.get(app, id, applied), invocation);
        ApiResponse response = answer(outcome, invocation);
        return outcome instanceof TaskReads.Outcome.Found
                ? response.withHeader("preference-applied", "wait=" + applied.toSeconds()) : response;
    }

    /**
     * The {@code wait} preference of a {@code Prefer} header (RFC 7240): whole seconds, in a
     * comma-separated list of preferences, any of which may carry parameters after {@code ;}.
     * A preference the gateway does not understand, or a {@code wait} that is not a whole number,
     * is ignored, as the RFC asks; the first {@code wait} counts.
     */
    static Optional<Duration> preferredWait(String prefer) {
        return TaskWait.preferredWait(prefer);
    }

    /**
     * A read as the route asks: a workflow run is read only as an invocation, and a task only as a
     * task (Runway keeps the two apart; an id of one kind is not found as the other).
     */
    private static TaskReads.Outcome kind(TaskReads.Outcome outcome, boolean invocation) {
        return outcome instanceof TaskReads.Outcome.Found found
                && WorkflowRuns.isRun(found.task().request().endpoint()) != invocation
                ? new TaskReads.Outcome.NotFound() : outcome;
    }

    private boolean isInvocation(App app, String id) {
        return reads.get(app, id) instanceof TaskReads.Outcome.Found found
                && WorkflowRuns.isRun(found.task().request().endpoint());
    }

    private ApiResponse answer(TaskReads.Outcome outcome, boolean invocation) {
        return switch (outcome) {
            case TaskReads.Outcome.Found found -> ApiResponse.json(200, invocation
                    ? invocations.render(found.task()) : wire.render(found.task()));
            case TaskReads.Outcome.NotFound notFound -> invocation ? invocationNotFound()
                    : Problem.taskNotFound().response();
        };
    }

    private static ApiResponse invocationNotFound() {
        return Problem.of(404, "workflow-invocation-not-found", "Workflow invocation not found",
                "No workflow invocation of this id belongs to this app").response();
    }

    private static ApiResponse answer(TaskDeletion.Outcome outcome) {
        return switch (outcome) {
            case TaskDeletion.Outcome.Deleted deleted -> ApiResponse.noContent();
            case TaskDeletion.Outcome.NotFound notFound -> Problem.taskNotFound().response();
            case TaskDeletion.Outcome.RunwayUnavailable unavailable -> Problem.of(503, "runway-unavailable",
                            "Runway unavailable", "Runway could not be reached to cancel the task ("
                                    + unavailable.reason() + "); try again")
                    .withRetryAfter(unavailable.retryAfter()).response();
            case TaskDeletion.Outcome.Busy busy -> Problem.of(503, "busy", "Task busy",
                            "The task kept changing while being deleted; try again")
                    .withRetryAfter(Duration.ofSeconds(1)).response();
        };
    }

    /** {@code GET /v1/organization} in Runway's shape, the gateway's own numbers under {@code relay}. */
    private static ApiResponse answer(OrganizationReport.Report report) {
        App app = report.app();
        DailyUsage usage = report.usage();
        long remaining = report.remainingCredits();
        ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("creditBalance", remaining);
        ObjectNode tier = body.putObject("tier");
        tier.put("maxMonthlyCreditSpend", app.dailyCreditBudget() * 30);
        ObjectNode limits = tier.putObject("models");
        ObjectNode used = body.putObject("usage").putObject("models");
        Set<String> models = new TreeSet<>(app.allowedModels());
        models.addAll(usage.tasksByModel().keySet());
        for (String model : models) {
            limits.putObject(model).put("maxConcurrentGenerations", app.maxActiveTasks()).putNull("maxDailyGenerations");
            used.putObject(model).put("dailyGenerations", usage.tasksByModel().getOrDefault(model, 0L));
        }
        ObjectNode relay = body.putObject("relay");
        relay.put("appId", app.id());
        relay.put("name", app.name());
        relay.put("day", report.day().toString());
        relay.put("resetsAt", report.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
        relay.put("dailyCreditBudget", app.dailyCreditBudget());
        relay.put("usedCredits", usage.usedCredits());
        relay.put("remainingCredits", remaining);
        relay.put("tasksToday", usage.tasks());
        relay.put("possibleOrphansToday", usage.possibleOrphans());
        relay.put("possibleOrphanCreditsToday", usage.possibleOrphanCredits());
        relay.put("ambiguousCreates", app.ambiguousCreates().wireName());
        relay.put("activeTasks", report.activeTasks());
        relay.put("maxActiveTasks", app.maxActiveTasks());
        ArrayNode endpoints = relay.putArray("allowedEndpoints");
        new TreeSet<>(app.allowedEndpoints()).forEach(endpoints::add);
        ArrayNode allowed = relay.putArray("allowedModels");
        new TreeSet<>(app.allowedModels()).forEach(allowed::add);
        return ApiResponse.json(200, body);
    }

    /**
     * {@code POST /v1/organization/usage} in Runway's shape, for the calling app alone: per day with
     * usage, the credits per model (net: estimates of unfinished tasks, costs of settled ones, possible
     * orphans included); the gateway's totals under {@code relay}.
     */
    private ApiResponse usage(App app, String body) {
        return switch (UsageQuery.parse(body, organization.today())) {
            case UsageQuery.Parsed.Refused refused -> refused.problem().response();
            case UsageQuery.Parsed.Ok range -> {
                List<DailyUsage> days = organization.history(app, range.start(), range.before());
                ObjectNode answer = ApiResponse.JSON.createObjectNode();
                ArrayNode models = answer.putArray("models");
                ArrayNode results = answer.putArray("results");
                Set<String> seen = new TreeSet<>();
                long total = 0;
                long unattributed = 0;
                for (DailyUsage day : days) {
                    long attributed = day.creditsByModel().values().stream().mapToLong(Long::longValue).sum();
                    total += day.usedCredits();
                    unattributed += day.usedCredits() - attributed;
                    if (day.creditsByModel().isEmpty()) {
                        continue;
                    }
                    ObjectNode result = results.addObject();
                    result.put("date", day.day().toString());
                    ArrayNode used = result.putArray("usedCredits");
                    for (Map.Entry<String, Long> model : new TreeMap<>(day.creditsByModel()).entrySet()) {
                        used.addObject().put("model", model.getKey()).put("amount", model.getValue());
                        seen.add(model.getKey());
                    }
                }
                seen.forEach(models::add);
                ObjectNode relay = answer.putObject("relay");
                relay.put("appId", app.id());
                relay.put("startDate", range.start().toString());
                relay.put("beforeDate", range.before().toString());
                relay.put("usedCredits", total);
                relay.put("unattributedCredits", unattributed);
                yield ApiResponse.json(200, answer);
            }
        };
    }

    private static boolean validId(String id) {
        return id != null && TASK_ID.matcher(id).matches();
    }
}
