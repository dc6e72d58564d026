package com.runwayrelay.domain.workflow;

import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.runway.WorkflowRuns;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Group;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Listing;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Lookup;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The published workflows one app may see: those its {@link App#allowedWorkflows()} name. A workflow
 * outside them is not found, exactly like one that does not exist, and is never asked of Runway.
 *
 * <p>The list is Runway's, filtered: versions the app may not run are dropped, and so is every group
 * left without a version, so the app never gets an empty group (nor, when it may run nothing, is
 * Runway asked at all). Runway's list has no pages (SDK 4.20.1 {@code workflows.list()} takes no
 * cursor), so the filtered list is one answer.
 */
public final class AppWorkflows {
    private final PublishedWorkflows runway;

    public AppWorkflows(PublishedWorkflows runway) {
        this.runway = Objects.requireNonNull(runway, "runway");
    }

    /** The groups and versions the app may run, in Runway's order. */
    public Listing list(App app) {
        if (app.allowedWorkflows().isEmpty()) {
            return new Listing.Listed(List.of());
        }
        Listing listing = runway.list();
        if (!(listing instanceof Listing.Listed listed)) {
            return listing;
        }
        List<Group> visible = new ArrayList<>();
        for (Group group : listed.groups()) {
            List<Version> versions = group.versions().stream().filter(v -> app.allowsWorkflow(v.id())).toList();
            if (!versions.isEmpty()) {
                visible.add(new Group(group.name(), versions));
            }
        }
        return new Listing.Listed(visible);
    }

    /** The workflow, when the app may run it; otherwise not found without asking Runway. */
    public Lookup get(App app, String workflowId) {
        if (!WorkflowRuns.validId(workflowId) || !app.allowsWorkflow(workflowId)) {
            return new Lookup.NotFound();
        }
        return runway.get(workflowId);
    }
}
