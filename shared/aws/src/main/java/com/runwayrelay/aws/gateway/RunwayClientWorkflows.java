package com.runwayrelay.aws.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.workflow.PublishedWorkflows;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.RunwayException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link PublishedWorkflows} over {@link RunwayClient}: Runway's 404 is {@code NotFound}; anything a
 * later try may fix (429, 5xx, unreachable, our own key refused, an unreadable answer) {@code Unavailable}.
 */
public final class RunwayClientWorkflows implements PublishedWorkflows {
    private final RunwayClient client;

    public RunwayClientWorkflows(RunwayClient client) {
        this.client = client;
    }

    @Override
    public Listing list() {
        try {
            return new Listing.Listed(groups(client.listWorkflows()));
        } catch (RunwayException.RateLimited e) {
            return new Listing.Unavailable("Runway is rate limiting", e.retryAfter().orElse(null));
        } catch (RunwayException.Transient e) {
            return new Listing.Unavailable("Runway is unreachable", e.retryAfter().orElse(null));
        } catch (RunwayException | IllegalArgumentException e) {
            return new Listing.Unavailable("Runway's workflow list could not be read (" + e.getClass().getSimpleName()
                    + ")", null);
        }
    }

    @Override
    public Lookup get(String workflowId) {
        try {
            return new Lookup.Found(client.getWorkflow(workflowId).toString());
        } catch (RunwayException.NotFound e) {
            return new Lookup.NotFound();
        } catch (RunwayException.RateLimited e) {
            return new Lookup.Unavailable("Runway is rate limiting", e.retryAfter().orElse(null));
        } catch (RunwayException.Transient e) {
            return new Lookup.Unavailable("Runway is unreachable", e.retryAfter().orElse(null));
        } catch (RunwayException e) {
            return new Lookup.Unavailable("Runway refused the gateway's call (" + e.getClass().getSimpleName() + ")",
                    null);
        }
    }

    /** Runway's {@code {data: [{name, versions: [{id, createdAt, version}]}]}}, checked field by field. */
    static List<Group> groups(ObjectNode answer) {
        JsonNode data = answer.path("data");
        if (!data.isArray()) {
            throw new IllegalArgumentException("the workflow list has no data array");
        }
        List<Group> groups = new ArrayList<>();
        for (JsonNode group : data) {
            List<Version> versions = new ArrayList<>();
            for (JsonNode v : group.path("versions")) {
                if (!v.path("id").isTextual()) {
                    throw new IllegalArgumentException("a workflow version has no id");
                }
                versions.add(new Version(v.get("id").asText(), v.path("createdAt").asText(null),
                        v.path("version").asLong()));
            }
            groups.add(new Group(group.path("name").asText(""), versions));
        }
        return groups;
    }
}
