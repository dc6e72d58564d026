package com.runwayrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.admin.AdminCalls.Answer;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.admin.AppAdministration;
import com.runwayrelay.domain.admin.HealthReport;
import com.runwayrelay.domain.admin.MetricsOverview;
import com.runwayrelay.domain.metrics.MetricsReader;
import com.runwayrelay.domain.metrics.MetricsReader.Point;
import com.runwayrelay.domain.metrics.MetricsReader.SeriesData;
import com.runwayrelay.domain.metrics.MetricsReader.SeriesId;
import com.runwayrelay.domain.metrics.MetricsReader.SeriesRequest;
import com.runwayrelay.domain.metrics.MetricsReader.Statistic;
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
            return streamFailures;
        }
    };
    private QueueDepths.Depth streamFailures = new QueueDepths.Depth.NotAvailable("no queue here");
    /** Three accepted submits and two Runway latencies in the hour of NOW, one more submit an hour before. */
    private final MetricsReader metricsStore = new MetricsReader() {
        final SeriesId accepted = new SeriesId("Submits", Map.of("Outcome", "accepted"));
        final SeriesId create = new SeriesId("RunwayLatency", Map.of("Operation", "create"));
        final SeriesId other = new SeriesId("NotOurs", Map.of());

        @Override
        public List<SeriesId> series() {
            if (metricsFailure) {
                throw new Unavailable("CloudWatch ListMetrics failed (AccessDenied: not allowed)", null);
            }
            return List.of(accepted, create, other);
        }

        @Override
        public List<SeriesData> read(List<SeriesRequest> requests, Instant start, Instant end, Duration period) {
            metricReads.add(start + ".." + end + "/" + period.toSeconds());
            boolean whole = Duration.between(start, end).equals(period);
            return requests.stream().map(request -> new SeriesData(request.id(), request.id().equals(accepted)
                    ? List.of(new Point(NOW.minus(Duration.ofHours(1)), Map.of(Statistic.SUM, 1.0, Statistic.SAMPLE_COUNT, 1.0)),
                            new Point(NOW, Map.of(Statistic.SUM, 3.0, Statistic.SAMPLE_COUNT, 3.0)))
                    : whole ? List.of(new Point(start, Map.of(Statistic.P50, 120.0, Statistic.P95, 480.5)))
                    : List.of(new Point(NOW, Map.of(Statistic.SUM, 600.5, Statistic.SAMPLE_COUNT, 2.0,
                            Statistic.MAXIMUM, 480.5, Statistic.P50, 120.0, Statistic.P95, 480.5))))).toList();
        }
    };
    private boolean metricsFailure;
    private final List<String> metricReads = new ArrayList<>();
    private final AdminCalls admin = new AdminCalls(new AdminApi(
            new AppAdministration(apps, new KnownNames(Set.of("text_to_image"), Set.of("gen4_image")),
                    new CallbackUrlCheck(AddressGuard.strict(AdminCalls::dns)), clock),
            new TaskAdministration(tasks, tasks, new TaskCancellation(tasks, new ScriptedRunwayGateway(), archive, ledger,
                    clock), archive, clock),
            new UsageReport(ledger, apps), new HealthReport(tasks, queues, clock), new MetricsOverview(metricsStore, clock)));

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

    private static List<String> messages(Answer answer) {
        assertEquals(400, answer.status(), String.valueOf(answer.body()));
        List<String> messages = new ArrayList<>();
        answer.body().path("issues").forEach(i -> messages.add(i.path("message").asText()));
        return messages;
    }

    private static String detail(Answer answer) {
        assertEquals(answer.body().path("detail"), answer.body().path("error"));
        return answer.body().path("detail").asText();
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
        assertEquals("Validation of query failed: query parameter 'sort' is not taken by this route; it takes appId, "
                + "createdAfter, createdBefore, cursor, endpoint, limit, model, state (and 3 more issues)", detail(bad));
        assertEquals(List.of("query parameter 'sort' is not taken by this route; it takes appId, createdAfter, "
                        + "createdBefore, cursor, endpoint, limit, model, state",
                "query parameter 'state' must be one of ACCEPTED, SUBMITTED, OUTPUT_READY, ARCHIVED, FAILED, "
                        + "CANCELLED, EXPIRED (got 'DONE')",
                "query parameter 'createdAfter' must be an ISO-8601 UTC instant such as 2026-12-03T08:00:00Z (got "
                        + "'yesterday')",
                "query parameter 'limit' must be a whole number from 1 to 100 (got 500)"), messages(bad));
        assertEquals(List.of("query parameter 'limit' must be a whole number from 1 to 100 (got 0)"),
                messages(admin.call(AdminApi.LIST_TASKS, null, Map.of(), Map.of("limit", "0"))));
        assertEquals(List.of("query parameter 'limit' must be a whole number from 1 to 100 (got 'ten')"),
                messages(admin.call(AdminApi.LIST_TASKS, null, Map.of(), Map.of("limit", "ten"))));
        assertEquals(List.of("query parameter 'createdAfter' (2026-12-03T09:00:00Z) must be before query parameter "
                + "'createdBefore' (2026-12-03T08:00:00Z)"), messages(admin.call(AdminApi.LIST_TASKS, null, Map.of(),
                Map.of("createdAfter", "2026-12-03T09:00:00Z", "createdBefore", "2026-12-03T08:00:00Z"))));
        assertEquals(List.of("query parameter 'appId' must be 1 to 256 characters (got 0)"),
                messages(admin.call(AdminApi.LIST_TASKS, null, Map.of(), Map.of("appId", ""))));
    }

    @Test
    void refusesACursorItDidNotIssue() {
        Answer bad = admin.call(AdminApi.LIST_TASKS, null, Map.of(), Map.of("cursor", "not-a-cursor"));

        assertEquals(400, bad.status());
        assertEquals(List.of("invalid_cursor [\"query\",\"cursor\"]"), issues(bad));
        assertTrue(detail(bad).startsWith("Validation of query failed: query parameter 'cursor' was not issued by this "
                + "API for these filters ("), detail(bad));
        assertTrue(detail(bad).endsWith("); pass the previous page's nextCursor unchanged, with the same filters"),
                detail(bad));
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
    void showsEachDeliveryOutcome_andWhereTheOutputsGo_withoutTheUrlsQuery() {
        Task task = Task.accepted("t1", "app_a", "text_to_image", "gen4_image", "{\"promptText\":\"x\"}", 8,
                        NOW.minusSeconds(30))
                .deliverTo(com.runwayrelay.domain.delivery.DeliverTo.of(List.of(
                        "https://bucket.example.com/out/0.png?X-Amz-Signature=secret0",
                        "https://bucket.example.com/out/1.png?X-Amz-Signature=secret1")))
                .deliveries(List.of(
                        new com.runwayrelay.domain.OutputDelivery(0, com.runwayrelay.domain.OutputDelivery.Outcome.DELIVERED,
                                200, 1234, "ab".repeat(32), 1, null, NOW.minusSeconds(5)),
                        new com.runwayrelay.domain.OutputDelivery(1, com.runwayrelay.domain.OutputDelivery.Outcome.REJECTED,
                                403, 99, null, 1, "HTTP 403: expired", NOW.minusSeconds(4))))
                .build();
        tasks.insert(task);
        task("t2", "app_a", NOW.minusSeconds(20));

        JsonNode shown = admin.call(AdminApi.GET_TASK, null, Map.of("taskId", "t1")).body();

        JsonNode deliveries = shown.path("deliveries");
        assertEquals(2, deliveries.size(), shown::toString);
        assertEquals("delivered", deliveries.get(0).path("outcome").asText());
        assertEquals(200, deliveries.get(0).path("httpStatus").asInt());
        assertEquals(1234, deliveries.get(0).path("bytes").asLong());
        assertEquals("ab".repeat(32), deliveries.get(0).path("sha256").asText());
        assertEquals("rejected", deliveries.get(1).path("outcome").asText());
        assertEquals(403, deliveries.get(1).path("httpStatus").asInt());
        assertEquals("HTTP 403: expired", deliveries.get(1).path("error").asText());
        assertEquals(NOW.minusSeconds(4).toString(), deliveries.get(1).path("at").asText());
        assertEquals("https://bucket.example.com/out/1.png", shown.path("deliverTo").path("urls").get(1).asText());
        assertTrue(shown.path("deliverTo").path("queryOmitted").asBoolean());
        assertFalse(shown.toString().contains("secret"), "the pre-signed URLs' signatures are not shown");

        JsonNode plain = admin.call(AdminApi.GET_TASK, null, Map.of("taskId", "t2")).body();
        assertTrue(plain.path("deliverTo").isNull());
        assertEquals(0, plain.path("deliveries").size());
    }

    @Test
    void cancelsAnUnfinishedTask_andRefusesAnEndedOne() {
        task("t1", "app_a", NOW.minusSeconds(30));

        Answer cancelled = admin.call(AdminApi.CANCEL_TASK, null, Map.of("taskId", "t1"));
        assertEquals(200, cancelled.status(), String.valueOf(cancelled.body()));
        assertEquals(TaskState.CANCELLED, tasks.find("t1").orElseThrow().state());

        Answer again = admin.call(AdminApi.CANCEL_TASK, null, Map.of("taskId", "t1"));
        assertEquals(409, again.status());
        Answer withBody = admin.call(AdminApi.CANCEL_TASK, "{\"reason\":1}", Map.of("taskId", "t1"));
        assertEquals(List.of("This route takes no body (send none, or {})"), messages(withBody));
        assertEquals("Validation of body failed: This route takes no body (send none, or {})", detail(withBody));
    }

    @Test
    void reportsAQueryParameterAndABodyTogether_onRoutesThatTakeNeither_changingNothing() {
        task("t1", "app_a", NOW.minusSeconds(30));
        for (String route : List.of(AdminApi.CANCEL_TASK, AdminApi.REDELIVER_TASK)) {
            Answer both = admin.call(route, "{\"reason\":1}", Map.of("taskId", "t1"), Map.of("force", "true"));
            assertEquals(List.of("unrecognized_keys [\"query\",\"force\"]", "unexpected_body []"), issues(both), route);
            assertEquals("Validation of query and body failed: query parameter 'force' is not taken by this route (it "
                    + "takes none) (and 1 more issue)", detail(both), route);
            Answer queryOnly = admin.call(route, null, Map.of("taskId", "t1"), Map.of("force", "true"));
            assertEquals("Validation of query failed: query parameter 'force' is not taken by this route (it takes none)",
                    detail(queryOnly), route);
        }
        assertEquals(TaskState.ACCEPTED, tasks.find("t1").orElseThrow().state());
    }

    @Test
    void reportsAQueryParameterWithEveryBodyIssue_whenCreatingUpdatingOrRotatingAnApp_changingNothing() {
        Answer create = admin.call(AdminApi.CREATE_APP, "{\"dailyCreditBudget\":-1,\"colour\":\"red\"}", Map.of(),
                Map.of("dryRun", "1"));
        assertEquals(List.of("unrecognized_keys [\"query\",\"dryRun\"]", "unrecognized_keys [\"colour\"]",
                "required [\"name\"]", "too_small [\"dailyCreditBudget\"]"), issues(create));
        assertTrue(detail(create).startsWith("Validation of query and body failed: query parameter 'dryRun' is not taken "
                + "by this route (it takes none) (and 3 more issues)"), detail(create));
        assertEquals(List.of(), apps.list(), "nothing created");
        Answer goodBody = admin.call(AdminApi.CREATE_APP, "{\"name\":\"a\"}", Map.of(), Map.of("dryRun", "1"));
        assertEquals(List.of("unrecognized_keys [\"query\",\"dryRun\"]"), issues(goodBody));
        assertEquals("Validation of query failed: query parameter 'dryRun' is not taken by this route (it takes none)",
                detail(goodBody));
        assertEquals(List.of(), apps.list(), "a good body with a bad query creates nothing either");

        Answer bodyOnly = admin.call(AdminApi.CREATE_APP, "{\"colour\":\"red\",\"name\":\"a\"}");
        assertEquals(List.of("unrecognized_keys [\"colour\"]"), issues(bodyOnly));
        assertTrue(detail(bodyOnly).startsWith("Validation of body failed: "), detail(bodyOnly));

        Answer created = admin.call(AdminApi.CREATE_APP, "{\"name\":\"a\"}");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        String id = created.body().path("id").asText();
        Answer update = admin.call(AdminApi.UPDATE_APP, "{}", Map.of("appId", id), Map.of("dryRun", "1"));
        assertEquals(List.of("unrecognized_keys [\"query\",\"dryRun\"]", "empty_update []"), issues(update));
        Answer rotate = admin.call(AdminApi.ROTATE_APP, "{\"graceHours\":-1}", Map.of("appId", id), Map.of("now", "1"));
        assertEquals(List.of("unrecognized_keys [\"query\",\"now\"]", "too_small [\"graceHours\"]"), issues(rotate));
        assertEquals(List.of(id), apps.list().stream().map(com.runwayrelay.domain.app.App::id).toList());
        assertEquals("a", apps.list().getFirst().name(), "nothing changed");
        assertEquals(1, apps.keyHashes(id).size(), "no key was added");
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
        assertEquals(List.of("query parameter 'from' is required (a UTC day, YYYY-MM-DD)",
                        "query parameter 'to' must be a day, YYYY-MM-DD (got '03/12/2026')"),
                messages(admin.call(AdminApi.USAGE, null, Map.of(), Map.of("to", "03/12/2026"))));
        Answer backwards = admin.call(AdminApi.USAGE, null, Map.of(), Map.of("from", "2026-12-03", "to", "2026-12-01"));
        assertEquals(List.of("invalid_range [\"query\",\"from\"]"), issues(backwards));
        assertEquals("Validation of query failed: query parameter 'from' (2026-12-03) must not be after query parameter "
                + "'to' (2026-12-01)", detail(backwards));
        Answer tooLong = admin.call(AdminApi.USAGE, null, Map.of(), Map.of("from", "2026-01-01", "to", "2026-12-01"));
        assertEquals(List.of("invalid_range [\"query\",\"from\"]"), issues(tooLong));
        assertEquals(List.of("query parameter 'from' (2026-01-01) starts a range of 335 days up to query parameter 'to' "
                + "(2026-12-01); at most 92 days are accepted"), messages(tooLong));
    }

    @Test
    void namesAQueueWhoseReadFailed_inFailedChecks_keepingNullAndTheReason() {
        streamFailures = new QueueDepths.Depth.CheckFailed("could not read https://sqs/q: Access denied");

        Answer health = admin.call(AdminApi.HEALTH, null, Map.of(), Map.of());

        assertEquals(200, health.status(), String.valueOf(health.body()));
        assertTrue(health.body().path("queues").has("streamFailures"), health.body().toString());
        assertTrue(health.body().path("queues").path("streamFailures").isNull(), "null as before: " + health.body());
        assertEquals("could not read https://sqs/q: Access denied",
                health.body().path("queues").path("notAvailable").path("streamFailures").asText());
        assertEquals("[\"queues.streamFailures\"]", health.body().path("failedChecks").toString());
        assertEquals(2, health.body().path("queues").path("pollerDeadLetters").asLong());
        List<String> members = new ArrayList<>();
        health.body().path("queues").fieldNames().forEachRemaining(members::add);
        assertEquals(List.of("pollerDeadLetters", "streamFailures", "notAvailable"), members.stream().sorted(
                java.util.Comparator.comparing(m -> m.equals("notAvailable"))).toList(),
                "queues keeps its members: the depths and notAvailable");
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
        assertEquals("[]", health.body().path("failedChecks").toString(), "a queue the stack lacks is no failed check");
        assertEquals(List.of("query parameter 'stuckAfterMinutes' must be a whole number from 1 to 10080 (got 0)"),
                messages(admin.call(AdminApi.HEALTH, null, Map.of(), Map.of("stuckAfterMinutes", "0"))));
        assertEquals(List.of("query parameter 'verbose' is not taken by this route; it takes oldest, stuckAfterMinutes"),
                messages(admin.call(AdminApi.HEALTH, null, Map.of(), Map.of("verbose", "1"))));
    }

    @Test
    void answersAProblem_forARouteItDoesNotServe() {
        assertEquals(404, admin.call("GET /admin/v1/nothing", null).status());
    }

    @Test
    void showsEveryMetricOfTheRegistry_withTheSeriesThatHadData_totalsAndPoints() {
        Answer answer = admin.call(AdminApi.METRICS, null, Map.of(), Map.of("hours", "2"));

        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        assertEquals("2026-12-03T08:00:00Z", answer.body().path("start").asText());
        assertEquals("2026-12-03T10:00:00Z", answer.body().path("end").asText());
        assertEquals(3600, answer.body().path("period").asLong());
        List<String> names = new ArrayList<>();
        answer.body().path("metrics").forEach(m -> names.add(m.path("name").asText()));
        assertEquals(java.util.Arrays.stream(com.runwayrelay.domain.metrics.RelayMetric.values())
                .map(com.runwayrelay.domain.metrics.RelayMetric::metricName).toList(), names);
        var submits = answer.body().path("metrics").get(0);
        assertEquals("Count", submits.path("unit").asText());
        assertEquals("[\"Outcome\"]", submits.path("dimensions").toString());
        assertEquals("{\"dimensions\":{\"Outcome\":\"accepted\"},\"sum\":4,\"count\":4,\"points\":["
                + "{\"start\":\"2026-12-03T08:00:00Z\",\"sum\":1,\"count\":1},"
                + "{\"start\":\"2026-12-03T09:00:00Z\",\"sum\":3,\"count\":3}]}", submits.path("series").get(0).toString());
        var latency = answer.body().path("metrics").get(2);
        assertEquals("RunwayLatency", latency.path("name").asText());
        assertTrue(latency.path("distribution").asBoolean());
        assertEquals("{\"dimensions\":{\"Operation\":\"create\"},\"sum\":600.5,\"count\":2,\"max\":480.5,"
                + "\"p50\":120,\"p95\":480.5,\"points\":[{\"start\":\"2026-12-03T09:00:00Z\",\"sum\":600.5,\"count\":2,"
                + "\"max\":480.5,\"p50\":120,\"p95\":480.5}]}", latency.path("series").get(0).toString());
        assertEquals(0, answer.body().path("metrics").get(3).path("series").size(), "TasksFinished: nothing recorded");
    }

    @Test
    void readsTheLastDayByTheHour_whenNothingIsAsked() {
        Answer answer = admin.call(AdminApi.METRICS, null, Map.of(), Map.of());

        assertEquals(200, answer.status());
        assertEquals(List.of("2026-12-02T10:00:00Z..2026-12-03T10:00:00Z/3600",
                "2026-12-02T10:00:00Z..2026-12-03T10:00:00Z/86400"), metricReads);
    }

    @Test
    void refusesEveryBadMetricsParameterAtOnce_readingNothing() {
        Answer bad = admin.call(AdminApi.METRICS, null, Map.of(), Map.of("hours", "169", "period", "61", "app", "x"));

        assertEquals(400, bad.status());
        assertEquals(List.of("unrecognized_keys [\"query\",\"app\"]", "too_big [\"query\",\"hours\"]",
                "invalid_enum_value [\"query\",\"period\"]"), issues(bad));
        assertEquals(List.of("query parameter 'app' is not taken by this route; it takes hours, period",
                "query parameter 'hours' must be a whole number from 1 to 168 (got 169)",
                "query parameter 'period' must be one of [60, 300, 900, 3600] seconds (got 61)"), messages(bad));
        assertEquals(List.of("query parameter 'period' (60) is too short for query parameter 'hours' (25): hours × 3600 "
                + "/ period must be at most 1440 points per series (got 1500); ask for fewer hours or a longer period"),
                messages(admin.call(AdminApi.METRICS, null, Map.of(), Map.of("hours", "25", "period", "60"))));
        assertEquals(List.of("too_small [\"query\",\"hours\"]"),
                issues(admin.call(AdminApi.METRICS, null, Map.of(), Map.of("hours", "0"))));
        assertEquals(List.of("invalid_type [\"query\",\"period\"]"),
                issues(admin.call(AdminApi.METRICS, null, Map.of(), Map.of("period", "hour"))));
        assertEquals(List.of("too_small [\"query\",\"period\"]"),
                issues(admin.call(AdminApi.METRICS, null, Map.of(), Map.of("hours", "25", "period", "60"))));
        assertEquals(200, admin.call(AdminApi.METRICS, null, Map.of(), Map.of("hours", "24", "period", "60")).status());
        assertEquals(200, admin.call(AdminApi.METRICS, null, Map.of(), Map.of("hours", "168", "period", "900")).status());
        assertEquals(2 * 2, metricReads.size(), "only the two valid requests read");
    }

    @Test
    void answers503WithTheReason_whenTheMetricsCannotBeRead() {
        metricsFailure = true;

        Answer answer = admin.call(AdminApi.METRICS, null, Map.of(), Map.of());

        assertEquals(503, answer.status());
        assertEquals("urn:runway-relay:problem:metrics-unavailable", answer.body().path("type").asText());
        assertTrue(answer.body().path("detail").asText().contains("AccessDenied: not allowed"),
                answer.body().path("detail").asText());
    }
}
