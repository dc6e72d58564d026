package com.runwayrelay.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiRequest;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.AppEdge;
import com.runwayrelay.aws.gateway.GatewayJson;
import com.runwayrelay.aws.gateway.HttpApiEvents;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.admin.AppAdministration;
import com.runwayrelay.domain.admin.AppChanges;
import com.runwayrelay.domain.admin.AppOutcome;
import com.runwayrelay.domain.admin.AppView;
import com.runwayrelay.domain.admin.HealthReport;
import com.runwayrelay.domain.admin.MetricsOverview;
import com.runwayrelay.domain.admin.TaskAdministration;
import com.runwayrelay.domain.admin.UsageReport;
import com.runwayrelay.domain.gateway.TaskCancellation;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The admin function's HTTP edge: dispatches on the route API Gateway matched (every one
 * {@code AWS_IAM}-authorized before the function runs, so there is no app key to check here),
 * rejects query parameters a route does not take, and turns each use case's outcome into an HTTP
 * API response in one table per outcome type. An unexpected failure becomes a 500 problem whose
 * cause is logged without headers or body.
 */
final class AdminApi implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String CREATE_APP = "POST /admin/v1/apps";
    static final String LIST_APPS = "GET /admin/v1/apps";
    static final String GET_APP = "GET /admin/v1/apps/{appId}";
    static final String UPDATE_APP = "PATCH /admin/v1/apps/{appId}";
    static final String ROTATE_APP = "POST /admin/v1/apps/{appId}/rotate";
    static final String DISABLE_APP = "POST /admin/v1/apps/{appId}/disable";
    static final String ENABLE_APP = "POST /admin/v1/apps/{appId}/enable";
    static final String DELETE_APP = "DELETE /admin/v1/apps/{appId}";
    static final String LIST_TASKS = "GET /admin/v1/tasks";
    static final String GET_TASK = "GET /admin/v1/tasks/{taskId}";
    static final String CANCEL_TASK = "POST /admin/v1/tasks/{taskId}/cancel";
    static final String REDELIVER_TASK = "POST /admin/v1/tasks/{taskId}/redeliver";
    static final String USAGE = "GET /admin/v1/usage";
    static final String HEALTH = "GET /admin/v1/health";
    static final String METRICS = "GET /admin/v1/metrics";
    static final String CREATE_ROUTER = "POST /admin/v1/routers";
    static final String LIST_ROUTERS = "GET /admin/v1/routers";
    static final String GET_ROUTER = "GET /admin/v1/routers/{routerId}";
    static final String UPDATE_ROUTER = "PATCH /admin/v1/routers/{routerId}";
    static final String DELETE_ROUTER = "DELETE /admin/v1/routers/{routerId}";
    static final String ROUTER_REQUESTS = "GET /admin/v1/routers/{routerId}/requests";
    static final String LIST_ORPHANS = "GET /admin/v1/orphans/{kind}";
    static final String ASSIGN_ORPHAN = "POST /admin/v1/orphans/{kind}/{runwayId}/assign";
    static final String DELETE_ORPHAN = "DELETE /admin/v1/orphans/{kind}/{runwayId}";
    /** Task ids are UUIDs; anything far from an id is not looked up at all. */
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private static final System.Logger LOG = System.getLogger(AdminApi.class.getName());
    /** Where unexpected failures go outside priming: the function's log, at error level. */
    static final Consumer<String> LOGGED = failure -> LOG.log(Level.ERROR, failure);

    private final AppAdministration apps;
    private final TaskAdministration tasks;
    private final UsageReport usage;
    private final HealthReport health;
    private final MetricsOverview metrics;
    private final AdminRouters routers;
    private final AdminOrphans orphans;
    private final Consumer<String> failures;

    AdminApi(AppAdministration apps, TaskAdministration tasks, UsageReport usage, HealthReport health,
             MetricsOverview metrics) {
        this(apps, tasks, usage, health, metrics, null);
    }

    /** @param routers the Model Router routes, or null where they are not wired (they then answer 404) */
    AdminApi(AppAdministration apps, TaskAdministration tasks, UsageReport usage, HealthReport health,
             MetricsOverview metrics, AdminRouters routers) {
        this(apps, tasks, usage, health, metrics, routers, LOGGED);
    }

    /**
     * As above, telling {@code failures} of each unexpected failure (the request and its cause, without headers or
     * body) instead of logging it: the SnapStart priming hook keeps them ({@link AdminPriming}).
     */
    AdminApi(AppAdministration apps, TaskAdministration tasks, UsageReport usage, HealthReport health,
             MetricsOverview metrics, AdminRouters routers, Consumer<String> failures) {
        this(apps, tasks, usage, health, metrics, routers, null, failures);
    }

    /** As above, with the orphans routes ({@code orphans} null where they are not wired: they then answer 404). */
    AdminApi(AppAdministration apps, TaskAdministration tasks, UsageReport usage, HealthReport health,
             MetricsOverview metrics, AdminRouters routers, AdminOrphans orphans, Consumer<String> failures) {
        this.failures = Objects.requireNonNull(failures, "failures");
        this.routers = routers;
        this.orphans = orphans;
        this.apps = apps;
        this.tasks = tasks;
        this.usage = usage;
        this.health = health;
        this.metrics = metrics;
    }

    @Override
    public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
        return HttpApiEvents.response(handle(HttpApiEvents.request(event)));
    }

    /** Answers {@code request}; never throws. */
    ApiResponse handle(ApiRequest request) {
        try {
            return route(request);
        } catch (RuntimeException e) {
            failures.accept(request + " failed: " + e.getClass().getName() + ": " + e.getMessage());
            return Problem.internal().response();
        }
    }

    private ApiResponse route(ApiRequest request) {
        // Most routes take no query parameter; the read routes check their own (AdminQueries).
        List<Violation> query = unknownParameters(request, Set.of());
        String appId = request.pathParameter("appId");
        return switch (request.routeKey()) {
            case CREATE_APP -> {
                AppChanges changes = AdminBodies.appChanges(request.body());
                yield query.isEmpty() ? answer(apps.create(changes)) : invalid(query, apps.createViolations(changes));
            }
            case LIST_APPS -> query.isEmpty() ? list(apps.list()) : invalidQuery(query);
            case GET_APP -> query.isEmpty() ? answer(apps.get(appId)) : invalidQuery(query);
            case UPDATE_APP -> {
                AppChanges changes = AdminBodies.appChanges(request.body());
                yield query.isEmpty() ? answer(apps.update(appId, changes)) : invalid(query, apps.updateViolations(changes));
            }
            case ROTATE_APP -> {
                AdminBodies.Rotation rotation = AdminBodies.rotation(request.body());
                yield query.isEmpty() ? answer(apps.rotate(appId, rotation.graceHours(), rotation.unreadable()))
                        : invalid(query, AppAdministration.rotateViolations(rotation.graceHours(), rotation.unreadable()));
            }
            case DISABLE_APP -> query.isEmpty() ? answer(apps.disable(appId)) : invalidQuery(query);
            case ENABLE_APP -> query.isEmpty() ? answer(apps.enable(appId)) : invalidQuery(query);
            case DELETE_APP -> query.isEmpty() ? answer(apps.delete(appId)) : invalidQuery(query);
            case LIST_TASKS -> {
                AdminQueries.TaskList list = AdminQueries.taskList(request);
                yield list.violations().isEmpty() ? answer(tasks.list(list.query())) : invalidQuery(list.violations());
            }
            case GET_TASK -> query.isEmpty() ? answer(validTask(request) ? tasks.show(taskId(request))
                    : new TaskAdministration.Shown.NotFound()) : invalidQuery(query);
            case CANCEL_TASK -> refusedWithoutBody(request, query).orElseGet(() -> answer(validTask(request)
                    ? tasks.cancel(taskId(request)) : new TaskCancellation.Outcome.NotFound()));
            case REDELIVER_TASK -> refusedWithoutBody(request, query).orElseGet(() -> answer(validTask(request)
                    ? tasks.redeliver(taskId(request)) : new TaskAdministration.Redelivery.NotFound()));
            case USAGE -> {
                AdminQueries.Usage range = AdminQueries.usage(request);
                yield range.violations().isEmpty() ? answer(usage.report(range.from(), range.to(), range.appId()))
                        : invalidQuery(range.violations());
            }
            case HEALTH -> {
                AdminQueries.Health asked = AdminQueries.health(request);
                yield asked.violations().isEmpty()
                        ? ApiResponse.json(200, AdminJson.health(health.report(asked.stuckAfter(), asked.oldest())))
                        : invalidQuery(asked.violations());
            }
            case METRICS -> {
                AdminQueries.Metrics asked = AdminQueries.metrics(request);
                yield asked.violations().isEmpty() ? answer(metrics.overview(asked.hours(), asked.period()))
                        : invalidQuery(asked.violations());
            }
            case CREATE_ROUTER -> routers == null ? AppEdge.noSuchRoute(request.routeKey()) : routers.create(request);
            case LIST_ROUTERS -> routers == null ? AppEdge.noSuchRoute(request.routeKey()) : routers.list(request);
            case GET_ROUTER -> routers == null ? AppEdge.noSuchRoute(request.routeKey()) : routers.get(request);
            case UPDATE_ROUTER -> routers == null ? AppEdge.noSuchRoute(request.routeKey()) : routers.update(request);
            case DELETE_ROUTER -> routers == null ? AppEdge.noSuchRoute(request.routeKey()) : routers.delete(request);
            case ROUTER_REQUESTS -> routers == null ? AppEdge.noSuchRoute(request.routeKey()) : routers.requests(request);
            case LIST_ORPHANS -> orphans == null ? AppEdge.noSuchRoute(request.routeKey()) : orphans.scan(request);
            case ASSIGN_ORPHAN -> orphans == null ? AppEdge.noSuchRoute(request.routeKey()) : orphans.assign(request);
            case DELETE_ORPHAN -> orphans == null ? AppEdge.noSuchRoute(request.routeKey()) : orphans.delete(request);
            default -> AppEdge.noSuchRoute(request.routeKey());
        };
    }

    private static ApiResponse answer(TaskAdministration.Listing listing) {
        return switch (listing) {
            case TaskAdministration.Listing.Listed listed -> ApiResponse.json(200, AdminJson.page(listed.page()));
            case TaskAdministration.Listing.InvalidCursor bad -> invalidQuery(List.of(AdminQueries.violation("cursor",
                    "invalid_cursor", "was not issued by this API for these filters (" + bad.message() + "); pass the "
                            + "previous page's nextCursor unchanged, with the same filters")));
        };
    }

    private static ApiResponse answer(TaskAdministration.Shown shown) {
        return switch (shown) {
            case TaskAdministration.Shown.Found found -> ApiResponse.json(200, AdminJson.details(found.details()));
            case TaskAdministration.Shown.NotFound notFound -> Problem.taskNotFound().response();
        };
    }

    private static ApiResponse answer(TaskCancellation.Outcome outcome) {
        return switch (outcome) {
            case TaskCancellation.Outcome.Ended ended -> ApiResponse.json(200, AdminJson.task(ended.task()));
            case TaskCancellation.Outcome.NotFound notFound -> Problem.taskNotFound().response();
            case TaskCancellation.Outcome.AlreadyEnded ended -> Problem.of(409, "task-ended", "Task already ended",
                    "The task is " + ended.task().state() + "; there is nothing to cancel").response();
            case TaskCancellation.Outcome.RunwayUnavailable unavailable -> Problem.of(503, "runway-unavailable",
                            "Runway unavailable", "Runway could not be reached to cancel the task ("
                                    + unavailable.reason() + "); nothing changed, try again")
                    .withRetryAfter(unavailable.retryAfter()).response();
            case TaskCancellation.Outcome.Busy busy -> Problem.of(503, "busy", "Task busy",
                    "The task kept changing while being cancelled; try again").withRetryAfter(Duration.ofSeconds(1))
                    .response();
        };
    }

    private static ApiResponse answer(TaskAdministration.Redelivery redelivery) {
        return switch (redelivery) {
            case TaskAdministration.Redelivery.Scheduled scheduled -> ApiResponse.json(202, AdminJson.task(scheduled.task()));
            case TaskAdministration.Redelivery.NotFound notFound -> Problem.taskNotFound().response();
            case TaskAdministration.Redelivery.NotEnded notEnded -> Problem.of(409, "task-not-ended", "Task not ended",
                    "The task is " + notEnded.task().state() + "; its webhook is sent when it ends").response();
            case TaskAdministration.Redelivery.NoCallback none -> Problem.of(409, "no-callback", "No callback",
                    "The task has no callback URL, or its relay.webhookEvents leave out the event of its end, "
                            + "so there is no webhook to send").response();
            case TaskAdministration.Redelivery.AlreadyPending pending -> Problem.of(409, "delivery-pending",
                    "Delivery pending", "The task's webhook is already being delivered; nothing changed").response();
            case TaskAdministration.Redelivery.Busy busy -> Problem.of(503, "busy", "Task busy",
                    "The task kept changing while its redelivery was scheduled; try again")
                    .withRetryAfter(Duration.ofSeconds(1)).response();
        };
    }

    private static ApiResponse answer(UsageReport.Outcome outcome) {
        return switch (outcome) {
            case UsageReport.Outcome.Report report -> ApiResponse.json(200, AdminJson.usage(report));
            // AdminQueries refuses such a range first; this is the use case's own word for it.
            case UsageReport.Outcome.InvalidRange range -> invalidQuery(List.of(AdminQueries.violation("from",
                    "invalid_range", "and query parameter 'to' do not make a range the report takes: " + range.message())));
        };
    }

    private static ApiResponse answer(MetricsOverview.Outcome outcome) {
        return switch (outcome) {
            case MetricsOverview.Outcome.Report report -> ApiResponse.json(200, AdminJson.metrics(report.overview()));
            case MetricsOverview.Outcome.Unavailable unavailable -> Problem.of(503, "metrics-unavailable",
                            "Metrics unavailable", "The metrics could not be read: " + unavailable.reason())
                    .withRetryAfter(Duration.ofSeconds(30)).response();
        };
    }

    /**
     * Routes that act without a body take none: anything but nothing or {@code {}} is refused, with the
     * {@code query} issues in the same answer.
     */
    private static Optional<ApiResponse> refusedWithoutBody(ApiRequest request, List<Violation> query) {
        List<Violation> body = new ArrayList<>();
        String text = request.body().strip();
        if (!text.isEmpty() && !text.equals("{}")) {
            body.add(new Violation(List.of(), "unexpected_body", "This route takes no body (send none, or {})"));
        }
        return query.isEmpty() && body.isEmpty() ? Optional.empty() : Optional.of(invalid(query, body));
    }

    private static String taskId(ApiRequest request) {
        return request.pathParameter("taskId");
    }

    private static boolean validTask(ApiRequest request) {
        String id = taskId(request);
        return id != null && TASK_ID.matcher(id).matches();
    }

    /** The one table from app outcomes to HTTP. */
    private static ApiResponse answer(AppOutcome outcome) {
        return switch (outcome) {
            case AppOutcome.Found found -> ApiResponse.json(200, AdminJson.app(found.app()));
            case AppOutcome.Created created -> {
                ObjectNode body = AdminJson.app(created.app());
                body.put("key", created.key());
                body.put("webhookSecret", created.webhookSecret());
                yield ApiResponse.json(201, body);
            }
            case AppOutcome.Rotated rotated -> {
                ObjectNode body = AdminJson.app(rotated.app());
                body.put("key", rotated.key());
                body.put("webhookSecret", rotated.webhookSecret());
                body.put("revokedKeys", rotated.revokedKeys());
                body.put("oldWebhookSecretsSignUntil", rotated.oldSecretsSignUntil().toString());
                yield ApiResponse.json(200, body);
            }
            case AppOutcome.Deleted deleted -> {
                ObjectNode body = GatewayJson.MAPPER.createObjectNode();
                body.put("id", deleted.appId());
                body.put("deleted", true);
                body.put("revokedKeys", deleted.revokedKeys());
                ArrayNode deletedItems = body.putArray("removed");
                deletedItems.add("app").add("keys");
                ArrayNode kept = body.putArray("kept");
                kept.add("tasks").add("archivedOutputs").add("usage").add("ownedResources");
                body.put("detail", "The app and its keys are gone. Its tasks, their archived outputs and its usage"
                        + " are kept: GET /admin/v1/tasks?appId=" + deleted.appId() + " still lists them. Tasks"
                        + " still running finish, but their webhooks are no longer sent. Its documents, avatars and"
                        + " voices stay at Runway with their records: GET /admin/v1/orphans/{kind} lists them as"
                        + " app-deleted, to assign to another app or delete.");
                yield ApiResponse.json(200, body);
            }
            case AppOutcome.NotFound notFound -> Problem.of(404, "not-found", "Not found",
                    "No app with id " + notFound.appId()).response();
            case AppOutcome.Invalid invalid -> invalid(invalid.violations());
            case AppOutcome.Conflict conflict -> Problem.of(409, "conflict", "Conflict", "App " + conflict.appId()
                    + " kept changing while this request was applied; nothing changed, try again")
                    .withRetryAfter(Duration.ofSeconds(1)).response();
        };
    }

    private static ApiResponse list(List<AppView> views) {
        ObjectNode body = GatewayJson.MAPPER.createObjectNode();
        ArrayNode data = body.putArray("data");
        views.forEach(view -> data.add(AdminJson.app(view)));
        return ApiResponse.json(200, body);
    }

    /** 400 for a body that breaks a rule (the body's own paths and wording). */
    static ApiResponse invalid(List<Violation> body) {
        return Problem.invalidRequest(body).response();
    }

    /** 400 for query parameters that break a rule ({@link Problem#invalidQuery}). */
    static ApiResponse invalidQuery(List<Violation> query) {
        return Problem.invalidQuery(query).response();
    }

    /** 400 listing the query's issues and the body's together; at least one of them is not empty. */
    static ApiResponse invalid(List<Violation> query, List<Violation> body) {
        return Problem.invalidRequest(query, body).response();
    }

    /** A query issue for each query parameter the route does not take, naming those it takes. */
    static List<Violation> unknownParameters(ApiRequest request, Set<String> allowed) {
        List<Violation> violations = new ArrayList<>();
        for (Map.Entry<String, String> parameter : new TreeMap<>(request.queryParameters()).entrySet()) {
            if (!allowed.contains(parameter.getKey())) {
                violations.add(Problem.queryIssue(parameter.getKey(), "unrecognized_keys",
                        "is not taken by this route" + (allowed.isEmpty() ? " (it takes none)" : "; it takes "
                                + String.join(", ", new TreeSet<>(allowed)))));
            }
        }
        return violations;
    }
}
