package com.runwayrelay.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiRequest;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.GatewayJson;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.router.RouterCap;
import com.runwayrelay.domain.router.RouterCaps;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.RunwayException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The operator's Model Router routes: each is forwarded to Runway with the gateway's key, and every
 * answer that carries a router updates the gateway's record of it ({@link RouterCaps}), so a routed
 * generation can reserve the router's cap without asking Runway. Runway's router object is answered
 * as Runway sent it; a refusal by Runway becomes a problem naming what Runway said.
 */
final class AdminRouters {
    static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor");
    static final Set<String> KINDS = Set.of("video", "image", "audio");
    /** Runway's router ids are UUIDs; anything far from an id is not sent at all. */
    private static final Pattern ROUTER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final RunwayClient runway;
    private final RouterCaps caps;
    private final Clock clock;

    AdminRouters(RunwayClient runway, RouterCaps caps, Clock clock) {
        this.runway = runway;
        this.caps = caps;
        this.clock = clock;
    }

    ApiResponse create(ApiRequest request) {
        List<Violation> query = AdminApi.unknownParameters(request, Set.of());
        List<Violation> unreadable = new ArrayList<>();
        ObjectNode body = body(request.body(), unreadable);
        if (!query.isEmpty() || !unreadable.isEmpty()) {
            return AdminApi.invalid(query, unreadable);
        }
        return changed(() -> {
            ObjectNode router = runway.createRouter(body);
            record(router);
            return ApiResponse.json(201, router);
        });
    }

    ApiResponse list(ApiRequest request) {
        List<Violation> violations = AdminApi.unknownParameters(request, LIST_PARAMETERS);
        if (!violations.isEmpty()) {
            return AdminApi.invalidQuery(violations);
        }
        return forwarded(() -> {
            ObjectNode page = runway.listRouters(new LinkedHashMap<>(request.queryParameters()));
            if (page.get("data") instanceof ArrayNode data) {
                data.forEach(router -> record((ObjectNode) router));
            }
            return ApiResponse.json(200, page);
        });
    }

    ApiResponse get(ApiRequest request) {
        List<Violation> violations = AdminApi.unknownParameters(request, Set.of());
        if (!violations.isEmpty()) {
            return AdminApi.invalidQuery(violations);
        }
        String id = request.pathParameter("routerId");
        return validId(id) ? forwarded(() -> {
            ObjectNode router = runway.getRouter(id);
            record(router);
            return ApiResponse.json(200, router);
        }) : notFound(id);
    }

    ApiResponse update(ApiRequest request) {
        List<Violation> query = AdminApi.unknownParameters(request, Set.of());
        List<Violation> unreadable = new ArrayList<>();
        ObjectNode body = body(request.body(), unreadable);
        if (!query.isEmpty() || !unreadable.isEmpty()) {
            return AdminApi.invalid(query, unreadable);
        }
        String id = request.pathParameter("routerId");
        return validId(id) ? changed(() -> {
            ObjectNode router = runway.updateRouter(id, body);
            record(router);
            return ApiResponse.json(200, router);
        }) : notFound(id);
    }

    ApiResponse delete(ApiRequest request) {
        List<Violation> violations = AdminApi.unknownParameters(request, Set.of());
        if (!violations.isEmpty()) {
            return AdminApi.invalidQuery(violations);
        }
        String id = request.pathParameter("routerId");
        return validId(id) ? forwarded(() -> {
            // The record is keyed by slug and the route names the id: read the slug first.
            String slug = runway.getRouter(id).path("slug").asText("");
            runway.deleteRouter(id);
            if (!slug.isEmpty()) {
                caps.remove(slug);
            }
            return ApiResponse.noContent();
        }) : notFound(id);
    }

    ApiResponse requests(ApiRequest request) {
        List<Violation> violations = AdminApi.unknownParameters(request, LIST_PARAMETERS);
        if (!violations.isEmpty()) {
            return AdminApi.invalidQuery(violations);
        }
        String id = request.pathParameter("routerId");
        return validId(id) ? forwarded(() -> ApiResponse.json(200,
                runway.routerRequests(id, new LinkedHashMap<>(request.queryParameters())))) : notFound(id);
    }

    /** Records what the gateway needs of {@code router}: its slug, id and caps. */
    private void record(ObjectNode router) {
        String slug = router.path("slug").asText("");
        String id = router.path("id").asText("");
        if (slug.isEmpty() || id.isEmpty()) {
            return;
        }
        Map<String, Long> maxCredits = new LinkedHashMap<>();
        JsonNode given = router.path("settings").path("maxCreditsPerGeneration");
        for (String kind : KINDS) {
            JsonNode cap = given.get(kind);
            if (cap != null && cap.isIntegralNumber() && cap.canConvertToLong() && cap.longValue() >= 0) {
                maxCredits.put(kind, cap.longValue());
            }
        }
        caps.put(new RouterCap(slug, id, maxCredits, clock.instant()));
    }

    /**
     * A create or change: like {@link #forwarded}, except that Runway's 409 (a create comes back as
     * {@code Ambiguous}, a change as {@code Transient} once the client's retries are spent) is passed on as
     * 409: Runway refused it, so nothing was made, changed or recorded.
     */
    private static ApiResponse changed(Supplier<ApiResponse> call) {
        return forwarded(() -> {
            try {
                return call.get();
            } catch (RunwayException.Ambiguous | RunwayException.Transient e) {
                if (e.status().orElse(0) != 409) {
                    throw e;
                }
                return Problem.of(409, "conflict", "Conflict", "Runway refused the router request as conflicting"
                        + " with the router's current state (409" + e.runwayError().map(error -> ": " + error).orElse("")
                        + "); nothing was created, changed or recorded").response();
            }
        });
    }

    private static ApiResponse forwarded(Supplier<ApiResponse> call) {
        try {
            return call.get();
        } catch (RunwayException.NotFound e) {
            return Problem.of(404, "not-found", "Not found", "Runway has no such router configuration").response();
        } catch (RunwayException.BadRequest e) {
            List<Violation> issues = new ArrayList<>();
            e.issues().forEach(issue -> issues.add(new Violation(issue.path(), issue.code(), issue.message())));
            return new Problem(400, "runway-refused", "Refused by Runway", "Runway refused the router request: "
                    + e.runwayError().orElse("no reason given"), issues, Map.of(), null).response();
        } catch (RunwayException.RateLimited | RunwayException.Transient e) {
            return Problem.of(503, "runway-unavailable", "Runway unavailable", "Runway could not be reached or"
                    + " asked to wait; nothing was recorded, try again").withRetryAfter(Duration.ofSeconds(5)).response();
        } catch (RunwayException.Ambiguous e) {
            return Problem.of(502, "runway-ambiguous", "Outcome unknown", "The request may or may not have reached"
                    + " Runway; list the routers to see whether it took effect").response();
        } catch (RunwayException e) {
            return Problem.of(502, "runway-error", "Runway error", "Runway answered the router request with an"
                    + " error the gateway cannot pass on (" + e.getClass().getSimpleName() + ")").response();
        }
    }

    private static boolean validId(String id) {
        return id != null && ROUTER_ID.matcher(id).matches();
    }

    private static ApiResponse notFound(String id) {
        return Problem.of(404, "not-found", "Not found", "Runway has no such router configuration").response();
    }

    private static ObjectNode body(String body, List<Violation> violations) {
        if (body == null || body.isBlank()) {
            violations.add(new Violation(List.of(), "required", "This route takes Runway's router body as a JSON object"));
            return null;
        }
        if (body.length() > MAX_BODY_BYTES) {
            violations.add(new Violation(List.of(), "too_big", "The body is larger than " + MAX_BODY_BYTES + " bytes"));
            return null;
        }
        try {
            if (GatewayJson.MAPPER.readTree(body) instanceof ObjectNode object) {
                return object;
            }
            violations.add(new Violation(List.of(), "invalid_type", "The body must be a JSON object"));
        } catch (JsonProcessingException e) {
            violations.add(new Violation(List.of(), "invalid_json", "The body is not valid JSON"));
        }
        return null;
    }
}
