package com.runwayrelay.domain.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Group;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Listing;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Lookup;
import com.runwayrelay.domain.workflow.PublishedWorkflows.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppWorkflowsTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:30:00Z");

    /** Runway's side: two groups, and a record of what was asked. */
    private final List<String> asked = new ArrayList<>();
    private final PublishedWorkflows runway = new PublishedWorkflows() {
        @Override
        public Listing list() {
            asked.add("list");
            return new Listing.Listed(List.of(
                    new Group("Product shots", List.of(new Version("wf-2", "2026-05-02", 2), new Version("wf-1", "2026-04-01", 1))),
                    new Group("Voice-over", List.of(new Version("wf-v", "2026-04-15", 1)))));
        }

        @Override
        public Lookup get(String workflowId) {
            asked.add("get " + workflowId);
            return new Lookup.Found("{\"id\":\"" + workflowId + "\"}");
        }
    };

    private static App app(Set<String> workflows) {
        return App.builder("app_1", "one", T0).allowedWorkflows(workflows).build();
    }

    @Test
    void listsOnlyTheAllowedVersions_andDropsGroupsLeftEmpty() {
        Listing listing = new AppWorkflows(runway).list(app(Set.of("wf-1")));

        assertEquals(new Listing.Listed(List.of(new Group("Product shots", List.of(new Version("wf-1", "2026-04-01", 1))))),
                listing);
    }

    @Test
    void listsNothingWithoutAskingRunway_whenTheAppMayUseNoWorkflow() {
        assertEquals(new Listing.Listed(List.of()), new AppWorkflows(runway).list(app(Set.of())));
        assertEquals(List.of(), asked);
    }

    @Test
    void findsNothingWithoutAskingRunway_forAWorkflowTheAppMayNotUseOrABadId() {
        AppWorkflows workflows = new AppWorkflows(runway);

        assertInstanceOf(Lookup.NotFound.class, workflows.get(app(Set.of("wf-1")), "wf-v"));
        assertInstanceOf(Lookup.NotFound.class, workflows.get(app(Set.of("../x")), "../x"));
        assertEquals(List.of(), asked);
        assertEquals(new Lookup.Found("{\"id\":\"wf-1\"}"), workflows.get(app(Set.of("wf-1")), "wf-1"));
        assertEquals(List.of("get wf-1"), asked);
    }
}
