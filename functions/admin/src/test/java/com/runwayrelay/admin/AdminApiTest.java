package com.runwayrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.admin.AdminCalls.Answer;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.admin.AppAdministration;
import com.runwayrelay.domain.admin.HealthReport;
import com.runwayrelay.domain.admin.KnownNames;
import com.runwayrelay.domain.admin.QueueDepths;
import com.runwayrelay.domain.admin.TaskAdministration;
import com.runwayrelay.domain.admin.UsageReport;
import com.runwayrelay.domain.gateway.ArchiveAccess;
import com.runwayrelay.domain.gateway.TaskCancellation;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.memory.ScriptedRunwayGateway;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The admin edge's query checks and outcome tables, on the in-memory ports. */
class AdminApiTest {
    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");
    private final ManualClock clock = new ManualClock(NOW);
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(8);
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final ArchiveAccess archive = new ArchiveAccess() {
        @Override
        public Link link(String key, Duration lifetime) {
            return new Link(URI.create("https://bucket.example.com/" + key + "?sig"), NOW.plus(Duration.ofHours(1)));
        }

        @Override
        public void delete(List<String> keys) {
            throw new AssertionError("the admin API never deletes outputs");
        }
    };
    private final QueueDepths queues = new QueueDepths() {
        @Override
        public Depth pollerDeadLetters() {
            return new Depth.Known(2);
        }

        @Override
        public Depth streamFailures() {
            return new Depth.NotAvailable("no queue here");
        }
    };
    private final AdminCalls admin = new AdminCalls(new AdminApi(
            new AppAdministration(apps, new KnownNames(Set.of("text_to_image"), Set.of("gen4_image")),
                    new CallbackUrlCheck(AddressGuard.strict(AdminCalls::dns)), clock),
            new TaskAdministration(tasks, tasks, new TaskCancellation(tasks, new ScriptedRunwayGateway(), archive, ledger,
                    clock), archive, clock),
            new UsageReport(ledger, apps), new HealthReport(tasks, queues, clock)));

    private Task task(String id, String appId, Instant createdAt) {
        Task task = Task.accepted(id, appId, "text_to_image", "gen4_image", "{\"promptText\":\"x\"}", 8, createdAt).build();
        tasks.insert(task);
        return task;
    }

    private static List<String> issues(Answer answer) {
        List<String> issues = new ArrayList<>();
        answer.body().path("issues").forEach(i -> issues.add(i.path("code").asText() + " " + i.path("path")));
        return issues;
    }

    @Test
    void listsTasksNewestFirst_filteredByApp_withACursorForTheNextPage() {
        task("t1", "app_a", NOW.minusSeconds(30));
        task("t2", "app_b", NOW.minusSeconds(20));
        task("t3", "app_a", NOW.minusSeconds(10));

        Answer first = admin.call(AdminApi.LIST_TASKS, null, Map.of(), Map.of("appId", "app_a", "limit", "1"));
        assertEquals(200, first.status(), String.valueOf(first.body()));
        assertEquals("t3", first.body().path("data").get(0).path("id").asText());
        String cursor = first.body().path("nextCursor").asText();
        assertFalse(cursor.isEmpty());

        Answer second = admin.call(AdminApi.LIST_TASKS, null, Map.of(),
                Map.of("appId", "app_a", "limit", "1", "cursor", cursor));
        assertEquals("t1", second.body().path("data").get(0).path("id").asText());
    }

    @Test
    void refusesEveryBadListParameterAtOnce() {
        Answer bad = admin.call(AdminApi.LIST_TASKS, null, Map.of(), Map.of("state", "DONE", "createdAfter", "yesterday",
                "limit", "500", "sort", "asc"));

        assertEquals(400, bad.status());
        assertEquals(List.of("unrecognized_keys [\"query\",\"sort\"]", "invalid_enum_value [\"query\",\"state\"]",
                "invalid_date [\"query\",\"createdAfter\"]", "too_big [\"query\",\"limit\"]"), issues(bad));
        assertEquals(400, admin.call(AdminApi.LIST_TASKS, null, Map.of(), Map.of("limit", "0")).status());
        assertEquals(400, admin.call(AdminApi.LIST_TASKS, null, Map.of(), Map.of("limit", "ten")).status());
        assertEquals(400, admin.call(AdminApi.LIST_TASKS, null, Map.of(), Map.of("createdAfter", "2026-12-03T09:00:00Z",
                "createdBefore", "2026-12-03T08:00:00Z")).status());
    }

    @Test
    void refusesACursorItDidNotIssue() {
        Answer bad = admin.call(AdminApi.LIST_TASKS, null, Map.of(), Map.of("cursor", "not-a-cursor"));

        assertEquals(400, bad.status());
        assertEquals(List.of("invalid_cursor [\"query\",\"cursor\"]"), issues(bad));
    }

    @Test
    void showsATaskWithItsHistory_andNotFoundForAnUnknownOne() {
        task("t1", "app_a", NOW.minusSeconds(30));

        Answer shown = admin.call(AdminApi.GET_TASK, null, Map.of("taskId", "t1"));
        assertEquals(200, shown.status());
        assertEquals("x", shown.body().path("request").path("promptText").asText());
        assertEquals("ACCEPTED", shown.body().path("history").get(0).path("state").asText());
        assertEquals(404, admin.call(AdminApi.GET_TASK, null, Map.of("taskId", "nope")).status());
        assertEquals(404, admin.call(AdminApi.GET_TASK, null, Map.of("taskId", "../../x")).status());
    }

    @Test
    void cancelsAnUnfinishedTask_andRefusesAnEndedOne() {
        task("t1", "app_a", NOW.minusSeconds(30));

        Answer cancelled = admin.call(AdminApi.CANCEL_TASK, null, Map.of("taskId", "t1"));
        assertEquals(200, cancelled.status(), String.valueOf(cancelled.body()));
        assertEquals(TaskState.CANCELLED, tasks.find("t1").orElseThrow().state());

        Answer again = admin.call(AdminApi.CANCEL_TASK, null, Map.of("taskId", "t1"));
        assertEquals(409, again.status());
        assertEquals(400, admin.call(AdminApi.CANCEL_TASK, "{\"reason\":1}", Map.of("taskId", "t1")).status());
    }

    @Test
    void redeliversOnlyAnEndedTaskWithACallback() {
        Task running = task("t1", "app_a", NOW.minusSeconds(30));

        assertEquals(409, admin.call(AdminApi.REDELIVER_TASK, null, Map.of("taskId", running.id())).status());
        assertEquals(404, admin.call(AdminApi.REDELIVER_TASK, null, Map.of("taskId", "nope")).status());
    }

    @Test
    void reportsUsage_andRefusesABadRange() {
        Answer report = admin.call(AdminApi.USAGE, null, Map.of(), Map.of("from", "2026-12-01", "to", "2026-12-03"));
        assertEquals(200, report.status(), String.valueOf(report.body()));
        assertEquals("2026-12-01", report.body().path("from").asText());
        assertEquals(0, report.body().path("totals").path("credits").asLong());

        assertEquals(List.of("required [\"query\",\"from\"]", "invalid_date [\"query\",\"to\"]"),
                issues(admin.call(AdminApi.USAGE, null, Map.of(), Map.of("to", "03/12/2026"))));
        assertEquals(List.of("invalid_range [\"query\",\"from\"]"),
                issues(admin.call(AdminApi.USAGE, null, Map.of(), Map.of("from", "2026-12-03", "to", "2026-12-01"))));
        assertEquals(400, admin.call(AdminApi.USAGE, null, Map.of(), Map.of("from", "2026-01-01", "to", "2026-12-01"))
                .status());
    }

    @Test
    void reportsStuckTasksAndQueueDepths() {
        task("old", "app_a", NOW.minus(Duration.ofHours(2)));
        task("young", "app_a", NOW.minus(Duration.ofMinutes(5)));

        Answer health = admin.call(AdminApi.HEALTH, null, Map.of(), Map.of("stuckAfterMinutes", "60"));

        assertEquals(200, health.status(), String.valueOf(health.body()));
        assertEquals(1, health.body().path("stuckTasks").path("count").asLong());
        assertEquals("old", health.body().path("stuckTasks").path("oldest").get(0).path("id").asText());
        assertEquals(2, health.body().path("queues").path("pollerDeadLetters").asLong());
        assertTrue(health.body().path("queues").path("streamFailures").isNull());
        assertEquals("no queue here", health.body().path("queues").path("notAvailable").path("streamFailures").asText());
        assertEquals(400, admin.call(AdminApi.HEALTH, null, Map.of(), Map.of("stuckAfterMinutes", "0")).status());
        assertEquals(400, admin.call(AdminApi.HEALTH, null, Map.of(), Map.of("verbose", "1")).status());
    }

    @Test
    void answersAProblem_forARouteItDoesNotServe() {
        assertEquals(404, admin.call("GET /admin/v1/nothing", null).status());
    }
}
