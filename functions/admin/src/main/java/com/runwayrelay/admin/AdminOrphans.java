package com.runwayrelay.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiRequest;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.GatewayJson;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.admin.Orphans;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.owned.RunwayInventory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The operator's reconciliation routes ({@link Orphans}): the Runway resources of a kind that no current app
 * owns, one Runway page per call, and the two actions on one of them (give it to an app, delete it at
 * Runway). The kind is the path's {@code kind}, one Runway can list; ids far from a Runway id are not sent.
 */
final class AdminOrphans {
    /** Runway's ids are UUIDs; anything far from an id is not sent at all. */
    private static final Pattern RUNWAY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    /** Runway's failures carry no wait of their own most of the time; the routers' wait. */
    private static final Duration RUNWAY_WAIT = Duration.ofSeconds(5);

    private final Orphans orphans;

    AdminOrphans(Orphans orphans) {
        this.orphans = orphans;
    }

    ApiResponse scan(ApiRequest request) {
        AdminQueries.OrphanScan asked = AdminQueries.orphanScan(request);
        Optional<ResourceKind> kind = kind(request);
        if (kind.isEmpty()) {
            return badKind(request);
        }
        if (!asked.violations().isEmpty()) {
            return AdminApi.invalidQuery(asked.violations());
        }
        return switch (orphans.scan(kind.get(), asked.cursor(), asked.limit())) {
            case Orphans.Scan.Found found -> ApiResponse.json(200, page(kind.get(), found));
            case Orphans.Scan.InvalidCursor bad -> AdminApi.invalidQuery(List.of(AdminQueries.violation("cursor",
                    "invalid_cursor", "was not issued by this API for " + kind.get().wireName() + " (" + bad.message()
                            + "); pass the previous page's nextCursor unchanged, for the same kind")));
            case Orphans.Scan.Unavailable unavailable -> unavailable(unavailable.reason(), unavailable.retryAfter());
            case Orphans.Scan.NotListed notListed -> badKind(request);
        };
    }

    ApiResponse assign(ApiRequest request) {
        List<Violation> query = AdminApi.unknownParameters(request, Set.of());
        AdminBodies.Assignment body = AdminBodies.assignment(request.body());
        Optional<ResourceKind> kind = kind(request);
        if (kind.isEmpty()) {
            return badKind(request);
        }
        if (!query.isEmpty() || !body.unreadable().isEmpty()) {
            return AdminApi.invalid(query, body.unreadable());
        }
        String id = request.pathParameter("runwayId");
        if (!validId(id)) {
            return notAtRunway(kind.get(), id);
        }
        return switch (orphans.assign(kind.get(), id, body.appId())) {
            case Orphans.Assignment.Assigned assigned -> {
                ObjectNode answer = resource(kind.get(), id);
                answer.put("appId", assigned.record().appId());
                answer.put("name", assigned.record().name());
                answer.put("createdAt", assigned.record().createdAt().toString());
                answer.put("formerAppId", assigned.formerAppId());
                yield ApiResponse.json(200, answer);
            }
            case Orphans.Assignment.UnknownApp unknown -> AdminApi.invalid(List.of(new Violation(List.of("appId"),
                    "unknown_app", "appId names no app (" + AdminQueries.shown(unknown.appId()) + "); GET /admin/v1/apps "
                            + "lists them")));
            case Orphans.Assignment.Owned owned -> owned(kind.get(), id, owned.appId(), "assigned");
            case Orphans.Assignment.NotAtRunway gone -> notAtRunway(kind.get(), id);
            case Orphans.Assignment.Unavailable unavailable -> unavailable(unavailable.reason(), unavailable.retryAfter());
            case Orphans.Assignment.Settling settling -> settling(kind.get(), id, settling.retryAfter(), "assigned");
            case Orphans.Assignment.NotListed notListed -> badKind(request);
        };
    }

    ApiResponse delete(ApiRequest request) {
        List<Violation> query = AdminApi.unknownParameters(request, Set.of());
        Optional<ResourceKind> kind = kind(request);
        if (kind.isEmpty()) {
            return badKind(request);
        }
        if (!query.isEmpty()) {
            return AdminApi.invalidQuery(query);
        }
        String id = request.pathParameter("runwayId");
        if (!validId(id)) {
            return notAtRunway(kind.get(), id);
        }
        return switch (orphans.delete(kind.get(), id)) {
            case Orphans.Deletion.Deleted deleted -> {
                ObjectNode answer = resource(kind.get(), id);
                answer.put("deleted", true);
                answer.put("formerAppId", deleted.formerAppId());
                yield ApiResponse.json(200, answer);
            }
            case Orphans.Deletion.Owned owned -> owned(kind.get(), id, owned.appId(), "deleted here; the app deletes "
                    + "its own (DELETE /v1/" + kind.get().wireName() + "/{id})");
            case Orphans.Deletion.NotAtRunway gone -> notAtRunway(kind.get(), id);
            case Orphans.Deletion.Unavailable unavailable -> unavailable(unavailable.reason(), unavailable.retryAfter());
            case Orphans.Deletion.Settling settling -> settling(kind.get(), id, settling.retryAfter(), "deleted");
            case Orphans.Deletion.NotListed notListed -> badKind(request);
        };
    }

    private static ObjectNode page(ResourceKind kind, Orphans.Scan.Found found) {
        ObjectNode body = GatewayJson.MAPPER.createObjectNode();
        body.put("kind", kind.wireName());
        body.put("examined", found.examined());
        body.put("settling", found.settling());
        ArrayNode data = body.putArray("data");
        for (Orphans.Orphan orphan : found.orphans()) {
            ObjectNode item = data.addObject();
            item.put("kind", kind.wireName());
            item.put("id", orphan.item().id());
            item.put("name", orphan.item().name());
            item.put("createdAt", orphan.item().createdAt() == null ? null : orphan.item().createdAt().toString());
            item.put("reason", orphan.reason().wireName());
            if (orphan.formerAppId() != null) {
                item.put("formerAppId", orphan.formerAppId());
            }
            if (orphan.likelyAppId() != null) {
                item.put("likelyAppId", orphan.likelyAppId());
                item.put("intentStartedAt", orphan.intentStartedAt().toString());
            }
        }
        if (found.nextCursor() != null) {
            body.put("nextCursor", found.nextCursor());
        }
        return body;
    }

    private static ObjectNode resource(ResourceKind kind, String id) {
        ObjectNode body = GatewayJson.MAPPER.createObjectNode();
        body.put("kind", kind.wireName());
        body.put("id", id);
        return body;
    }

    private static Optional<ResourceKind> kind(ApiRequest request) {
        String kind = request.pathParameter("kind");
        return kind == null ? Optional.empty()
                : ResourceKind.byWireName(kind).filter(RunwayInventory.LISTED::contains);
    }

    /** 400: the path's kind is not one Runway lists, with the kinds that are and why the others are not. */
    private static ApiResponse badKind(ApiRequest request) {
        String kind = request.pathParameter("kind");
        String listed = RunwayInventory.LISTED.stream().map(ResourceKind::wireName).collect(Collectors.joining(", "));
        String why = ResourceKind.byWireName(kind == null ? "" : kind).map(known -> switch (known) {
            case REALTIME_SESSIONS -> "; Runway has no list of realtime sessions";
            default -> "";
        }).orElse("");
        String message = "path parameter 'kind' must be one of " + listed + " (got '"
                + AdminQueries.shown(kind == null ? "" : kind) + "')" + why;
        return new Problem(400, "invalid-request", "Invalid request", "Validation of path failed: " + message,
                List.of(new Violation(List.of("path", "kind"), "invalid_enum_value", message)), Map.of(), null)
                .response();
    }

    private static ApiResponse owned(ResourceKind kind, String id, String appId, String what) {
        return Problem.of(409, "owned", "Owned by an app", "App " + appId + " owns " + kind.wireName() + " " + id
                + ": only orphans (no current app owns them) are " + what + "; nothing changed").response();
    }

    /** 409 with the time left: a resource with no record yet, too recent to be called an orphan. */
    private static ApiResponse settling(ResourceKind kind, String id, Duration retryAfter, String what) {
        return Problem.of(409, "settling", "Too recent", kind.wireName() + " " + id + " has no owner yet but was "
                + "created at Runway less than " + Orphans.SETTLE.toMinutes() + " minutes ago: an app's create may still "
                + "be recording it, so it is not " + what + " yet; nothing changed, try again after retry-after")
                .withRetryAfter(retryAfter).response();
    }

    private static ApiResponse notAtRunway(ResourceKind kind, String id) {
        return Problem.of(404, "not-found", "Not found", "Runway has no " + kind.wireName() + " resource with id "
                + AdminQueries.shown(id == null ? "" : id) + "; nothing changed").response();
    }

    private static ApiResponse unavailable(String reason, Duration retryAfter) {
        return Problem.of(503, "runway-unavailable", "Runway unavailable", "Runway could not be asked (" + reason
                + "); nothing changed, try again").withRetryAfter(retryAfter == null ? RUNWAY_WAIT : retryAfter)
                .response();
    }

    private static boolean validId(String id) {
        return id != null && RUNWAY_ID.matcher(id).matches();
    }
}
