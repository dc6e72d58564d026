package com.runwayrelay.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.workflow.AppWorkflows;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Group;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Listing;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Lookup;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Version;
import java.time.Duration;

/**
 * {@code GET /v1/workflows} and {@code GET /v1/workflows/{id}}: the published workflows the app
 * may run ({@link AppWorkflows}), in Runway's shapes. A workflow the app may not run is the same
 * 404 as one that does not exist (the run route answers alike).
 */
final class WorkflowRoutes {
    private final AppWorkflows workflows;

    WorkflowRoutes(AppWorkflows workflows) {
        this.workflows = workflows;
    }

    ApiResponse list(App app) {
        return switch (workflows.list(app)) {
            case Listing.Listed listed -> {
                ObjectNode body = ApiResponse.JSON.createObjectNode();
                ArrayNode data = body.putArray("data");
                for (Group group : listed.groups()) {
                    ObjectNode g = data.addObject();
                    g.put("name", group.name());
                    ArrayNode versions = g.putArray("versions");
                    for (Version v : group.versions()) {
                        versions.addObject().put("id", v.id()).put("createdAt", v.createdAt()).put("version", v.version());
                    }
                }
                yield ApiResponse.json(200, body);
            }
            case Listing.Unavailable u -> unavailable(u.reason(), u.retryAfter());
        };
    }

    ApiResponse get(App app, String id) {
        return switch (workflows.get(app, id)) {
            case Lookup.Found found -> {
                try {
                    JsonNode body = ApiResponse.JSON.readTree(found.json());
                    yield ApiResponse.json(200, body);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    yield unavailable("Runway's workflow could not be read", null);
                }
            }
            case Lookup.NotFound notFound -> notFound(id);
            case Lookup.Unavailable u -> unavailable(u.reason(), u.retryAfter());
        };
    }

    static ApiResponse notFound(String id) {
        return Problem.of(404, "workflow-not-found", "Workflow not found",
                "No published workflow of this id is available to this app").response();
    }

    private static ApiResponse unavailable(String reason, Duration retryAfter) {
        return Problem.of(503, "runway-unavailable", "Runway unavailable", "Runway could not be asked for its"
                        + " workflows (" + reason + "); try again later")
                .withRetryAfter(retryAfter != null ? retryAfter : Duration.ofSeconds(5)).response();
    }
}
