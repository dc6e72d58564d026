package com.runwayrelay.status;

import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.owned.RealtimeSessions;
import com.runwayrelay.domain.owned.RealtimeSessions.Outcome;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code /v1/realtime_sessions}: checks the create body ({@link RealtimeRequests}), runs the
 * {@link RealtimeSessions} use case for the authenticated app and answers in Runway's shapes:
 * {@code {id}} (create), Runway's session object (get), 204 (cancel). Another app's session is the same
 * 404 as a missing one. An app limited to models other than {@code gwm1_avatars} gets 400
 * {@code model_not_allowed} (the endpoint allow-list names catalog endpoints, so it does not apply). Budget and slot refusals are the submit route's problems (402
 * {@code budget-exceeded}, 429 {@code too-many-active-tasks}). A create that may have left a session
 * no app owns is reported ({@link PossibleOrphans}: logged as {@code realtime_sessions.possible_orphan} and
 * counted) and answered 503.
 */
final class RealtimeSessionRoutes {
    /** The model of realtime sessions; an app limited to other models may not open one. */
    private static final String MODEL = "gwm1_avatars";
    private final RealtimeSessions sessions;
    private final PossibleOrphans orphans;

    RealtimeSessionRoutes(RealtimeSessions sessions, PossibleOrphans orphans) {
        this.sessions = sessions;
        this.orphans = orphans;
    }

    /** {@code 404 not-found} for a session the app cannot see. */
    static ApiResponse notFound() {
        return Problem.of(404, "not-found", "Not found", "Realtime session not found").response();
    }

    ApiResponse create(App app, String body) {
        return switch (RealtimeRequests.create(body)) {
            case DocumentRequests.Parsed.Refused<RealtimeSessions.Request> refused -> refused.problem().response();
            case DocumentRequests.Parsed.Ok<RealtimeSessions.Request> ok -> !app.allowedModels().isEmpty()
                    && !app.allowedModels().contains(MODEL)
                    ? Problem.invalidRequest(List.of(new Violation(List.of("model"), "model_not_allowed",
                            "This app may not use model '" + MODEL + "'; it may use "
                                    + String.join(", ", new TreeSet<>(app.allowedModels()))))).response()
                    : answer(app, sessions.create(app.id(), app.dailyCreditBudget(), app.maxActiveTasks(), ok.value()));
        };
    }

    ApiResponse get(App app, String id) {
        return answer(app, sessions.get(app.id(), id));
    }

    ApiResponse cancel(App app, String id) {
        return answer(app, sessions.cancel(app.id(), id));
    }

    /** {@code GET /v1/avatar_usage}: the app's own sessions summed ({@link AvatarUsageRoute}). */
    ApiResponse usage(App app, String startDate, String endDate) {
        return new AvatarUsageRoute(sessions.usage()).get(app, startDate, endDate);
    }

    private ApiResponse answer(App app, Outcome outcome) {
        return switch (outcome) {
            case Outcome.Created created -> ApiResponse.json(200, ApiResponse.JSON.createObjectNode().put("id", created.id()));
            case Outcome.Session session -> ApiResponse.json(200, session.session().json());
            case Outcome.Done done -> ApiResponse.noContent();
            case Outcome.NotFound notFound -> notFound();
            case Outcome.Invalid invalid -> Problem.invalidRequest(invalid.issues()).response();
            case Outcome.OverBudget budget -> Problem.budgetExceeded("This session reserves "
                    + budget.over().requestedCredits() + " credits (maxDuration × the configured rate)", budget.over(),
                    budget.resetsAt()).response();
            case Outcome.TooManyActive full -> Problem.of(429, "too-many-active-tasks", "Too many active tasks",
                            "The app has " + full.activeTasks() + " unfinished tasks and sessions, its limit of "
                                    + full.maxActiveTasks() + "; wait for one to finish or cancel one")
                    .with("activeTasks", full.activeTasks()).with("maxActiveTasks", full.maxActiveTasks())
                    .withRetryAfter(Duration.ofSeconds(5)).response();
            case Outcome.Rejected rejected when rejected.status() == 409 ->
                    Problem.of(409, "conflict", "Conflict", rejected.error()).response();
            case Outcome.Rejected rejected -> new Problem(400, "runway-rejected", "Rejected by Runway", rejected.error(),
                    rejected.issues(), Map.of(), null).response();
            case Outcome.Unavailable unavailable -> Problem.of(503, "runway-unavailable", "Runway unavailable",
                            "Runway could not be reached (" + unavailable.reason() + "); nothing changed; try again")
                    .withRetryAfter(unavailable.retryAfter() == null ? Duration.ofSeconds(1) : unavailable.retryAfter())
                    .response();
            case Outcome.PossibleOrphan orphan -> {
                orphans.report(ResourceKind.REALTIME_SESSIONS, app.id(), orphan.reason(), "runwaySessionId",
                        orphan.runwayId());
                yield Problem.of(503, "runway-unavailable", "Runway unavailable",
                                "The session could not be created for the app (" + orphan.reason()
                                        + "); its reservation stays counted for today; try again")
                        .withRetryAfter(Duration.ofSeconds(1)).response();
            }
        };
    }
}
