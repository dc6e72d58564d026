package com.runwayrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.runwayrelay.domain.admin.AppChanges;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdminBodiesTest {

    @Test
    void readsTheAppsWorkflowsAndCeilings_andLeavesThemUnchangedWhenAbsent() {
        AppChanges given = AdminBodies.appChanges(
                "{\"allowedWorkflows\":[\"wf-1\",\"wf-2\"],\"workflowCeilings\":{\"wf-1\":60}}");
        AppChanges absent = AdminBodies.appChanges("{\"name\":\"x\"}");

        assertEquals(Set.of("wf-1", "wf-2"), given.allowedWorkflows());
        assertEquals(Map.of("wf-1", 60L), given.workflowCeilings());
        assertEquals(List.of(), given.unreadable());
        assertNull(absent.allowedWorkflows());
        assertNull(absent.workflowCeilings());
    }

    @Test
    void reportsCeilingsThatAreNotWholeCredits_orNotAnObject() {
        AppChanges fractional = AdminBodies.appChanges("{\"workflowCeilings\":{\"wf-1\":1.5,\"wf-2\":\"9\"}}");
        AppChanges list = AdminBodies.appChanges("{\"workflowCeilings\":[1]}");

        assertEquals(List.of("[\"workflowCeilings\",\"wf-1\"] invalid_type", "[\"workflowCeilings\",\"wf-2\"] invalid_type"),
                fractional.unreadable().stream().map(v -> pathOf(v.path()) + " " + v.code()).toList());
        assertNull(fractional.workflowCeilings());
        assertEquals("invalid_type", list.unreadable().getFirst().code());
    }

    @Test
    void readsAnAssignmentsApp_andSaysWhatIsWrongOnce() {
        assertEquals(new AdminBodies.Assignment("app_1", List.of()), AdminBodies.assignment("{\"appId\":\"app_1\"}"));
        assertEquals(List.of("[\"appId\"] required"), codes(AdminBodies.assignment("")));
        assertEquals(List.of("[\"appId\"] invalid_type"), codes(AdminBodies.assignment("{\"appId\":7}")),
                "a wrong type is not also 'required'");
        assertEquals(List.of("[\"appId\"] too_small"), codes(AdminBodies.assignment("{\"appId\":\" \"}")));
        assertEquals(List.of("[\"app\"] unrecognized_keys", "[\"appId\"] required"),
                codes(AdminBodies.assignment("{\"app\":\"app_1\"}")));
        assertEquals(List.of("[] invalid_json"), codes(AdminBodies.assignment("{")));
        assertNull(AdminBodies.assignment("{\"appId\":\"a\",\"x\":1}").appId(), "no app from a refused body");
    }

    private static List<String> codes(AdminBodies.Assignment assignment) {
        return assignment.unreadable().stream().map(v -> pathOf(v.path()) + " " + v.code()).toList();
    }

    private static String pathOf(List<Object> path) {
        return path.stream().map(p -> "\"" + p + "\"").toList().toString().replace(" ", "");
    }
}
