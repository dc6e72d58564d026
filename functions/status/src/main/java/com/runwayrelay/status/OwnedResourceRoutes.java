package com.runwayrelay.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.owned.OwnedResources;
import com.runwayrelay.domain.owned.OwnedResources.Outcome;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The five calls of one kind of owned resource ({@code /v1/avatars}, {@code /v1/voices}): checks the body,
 * runs {@link OwnedResources} for the authenticated app and answers with Runway's JSON as it came
 * (create, get, update), 204 (delete) or {@code {data, hasMore, nextCursor}} (list, newest first, the
 * gateway's cursors). Another app's id is the same 404 as a missing one; an id the body names that is
 * not the app's is a 400 naming the field ({@code resource_not_found}). A create that may have left a
 * resource at Runway no app owns is reported ({@link PossibleOrphans}: logged and counted) and answered 503.
 * A kind's routes extend it with their body checks (and any call of their own, like the voices' preview).
 */
abstract sealed class OwnedResourceRoutes permits AvatarRoutes, VoiceRoutes {
    private final OwnedResources<ObjectNode, ObjectNode> resources;
    private final Function<String, OwnedRequest> createCheck;
    private final Function<String, OwnedRequest> updateCheck;
    private final String noun;
    private final PossibleOrphans orphans;

    /**
     * @param noun the resource in messages, capitalized: {@code Avatar}, {@code Voice}
     */
    OwnedResourceRoutes(OwnedResources<ObjectNode, ObjectNode> resources, Function<String, OwnedRequest> createCheck,
                        Function<String, OwnedRequest> updateCheck, String noun, PossibleOrphans orphans) {
        this.resources = resources;
        this.createCheck = createCheck;
        this.updateCheck = updateCheck;
        this.noun = noun;
        this.orphans = orphans;
    }

    /** {@code 404 not-found}, the tasks' answer, for a resource the app cannot see. */
    ApiResponse notFound() {
        return Problem.of(404, "not-found", "Not found", noun + " not found").response();
    }

    ApiResponse create(App app, String body) {
        return switch (createCheck.apply(body)) {
            case OwnedRequest.Refused refused -> refused.problem().response();
            case OwnedRequest.Ok ok -> answer(app, resources.create(app.id(), ok.forward(), ok.name(), ok.references()));
        };
    }

    ApiResponse get(App app, String id) {
        return answer(app, resources.get(app.id(), id));
    }

    ApiResponse update(App app, String id, String body) {
        return switch (updateCheck.apply(body)) {
            case OwnedRequest.Refused refused -> refused.problem().response();
            case OwnedRequest.Ok ok -> answer(app, resources.update(app.id(), id, ok.forward(), ok.name(), ok.references()));
        };
    }

    ApiResponse delete(App app, String id) {
        return answer(app, resources.delete(app.id(), id));
    }

    /** A page: {@code limit} 1–100 (default 50) and {@code cursor}, as the SDK's cursor pages send them. */
    ApiResponse list(App app, String limit, String cursor) {
        return switch (DocumentRequests.list(limit, cursor, null, null)) {
            case DocumentRequests.Parsed.Refused<DocumentRequests.ListQuery> refused -> refused.problem().response();
            case DocumentRequests.Parsed.Ok<DocumentRequests.ListQuery> ok -> {
                Outcome<ObjectNode> listed = resources.list(app.id(), true, ok.value().cursor(), ok.value().limit());
                // The gateway refuses a list only for its cursor, a query parameter.
                yield listed instanceof Outcome.Rejected<ObjectNode> rejected && rejected.byGateway()
                        ? Problem.invalidQuery(rejected.issues().stream().map(Problem::queryIssue).toList()).response()
                        : answer(app, listed);
            }
        };
    }

    private ApiResponse answer(App app, Outcome<ObjectNode> outcome) {
        return switch (outcome) {
            case Outcome.Found<ObjectNode> found -> ApiResponse.json(200, found.resource());
            case Outcome.Done<ObjectNode> done -> ApiResponse.noContent();
            case Outcome.Listed<ObjectNode> listed -> {
                ObjectNode body = ApiResponse.JSON.createObjectNode();
                ArrayNode data = body.putArray("data");
                listed.resources().forEach(data::add);
                body.put("hasMore", listed.nextCursor() != null);
                if (listed.nextCursor() == null) {
                    body.putNull("nextCursor");
                } else {
                    body.put("nextCursor", listed.nextCursor());
                }
                yield ApiResponse.json(200, body);
            }
            case Outcome.NotFound<ObjectNode> notFound -> notFound();
            case Outcome.Rejected<ObjectNode> rejected -> rejected.byGateway()
                    ? Problem.invalidRequest(rejected.issues()).response()
                    : rejected.status() == 409 ? Problem.of(409, "conflict", "Conflict", rejected.error()).response()
                    : new Problem(rejected.status(), "runway-rejected", "Rejected by Runway", rejected.error(),
                            rejected.issues(), Map.of(), null).response();
            case Outcome.Unavailable<ObjectNode> unavailable -> Problem.of(503, "runway-unavailable", "Runway unavailable",
                            "Runway could not be reached (" + unavailable.reason() + "); nothing changed; try again")
                    .withRetryAfter(unavailable.retryAfter() == null ? Duration.ofSeconds(1) : unavailable.retryAfter())
                    .response();
            case Outcome.PossibleOrphan<ObjectNode> orphan -> {
                orphans.report(resources.kind(), app.id(), orphan.reason(), "runwayId", orphan.runwayId());
                yield Problem.of(503, "runway-unavailable", "Runway unavailable",
                                "The " + noun.toLowerCase(java.util.Locale.ROOT) + " could not be created for the app ("
                                        + orphan.reason() + "); nothing was recorded for it; try again")
                        .withRetryAfter(Duration.ofSeconds(1)).response();
            }
        };
    }
}
