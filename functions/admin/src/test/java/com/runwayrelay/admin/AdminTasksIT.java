package com.runwayrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.admin.AdminCalls.Answer;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.aws.metrics.EmfDocument;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The tasks, usage and health routes of the admin API, wired from an environment map as Lambda
 * wires them, against DynamoDB Local (with the template's list indexes) and s3proxy: happy paths
 * and bad input.
 */
@WithAwsEmulators
class AdminTasksIT {
    private final AwsEmulators aws;
    private AdminCalls admin;
    private DynamoDbTaskRepository tasks;
    private DynamoDbUsageLedger ledger;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    AdminTasksIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        aws.resetData();
        admin = new AdminCalls(AdminFunction.fromEnvironment(AdminCalls.environment(aws, "http://127.0.0.1:9"),
                AdminCalls::dns));
        tasks = new DynamoDbTaskRepository(aws.dynamoDb(), aws.tableName(), 8);
        ledger = new DynamoDbUsageLedger(aws.dynamoDb(), aws.tableName());
    }

    private Task accepted(String id, String appId, Instant createdAt) {
        Task task = Task.accepted(id, appId, "text_to_image", "gen4_image", "{\"promptText\":\"x\"}", 8, createdAt).build();
        tasks.insert(task);
        return task;
    }

    /** A task that ended ARCHIVED with one output, a callback and a delivered webhook. */
    private Task archived(String id, String appId, Instant createdAt, String outputKey) {
        Task task = Task.accepted(id, appId, "text_to_image", "gen4_image", "{\"promptText\":\"x\"}", 8, createdAt)
                .state(TaskState.ARCHIVED).runwayTaskId("rw-" + id).runwayStatus(RunwayStatus.SUCCEEDED).actualCredits(8L)
                .archive(List.of(new ArchiveRecord(outputKey, 3, "a".repeat(64), "image/png")))
                .callbackUrl("https://hooks.example.com/runway").dueAt(null)
                .webhook(new WebhookDelivery(DeliveryStatus.DELIVERED, "msg_" + id, "task.succeeded", 1,
                        List.of(new WebhookDelivery.DeliveryAttempt(createdAt.plusSeconds(5), 200, null)), null))
                .build();
        tasks.insert(task);
        return task;
    }

    private static List<String> ids(Answer answer) {
        List<String> ids = new ArrayList<>();
        answer.body().path("data").forEach(t -> ids.add(t.path("id").asText()));
        return ids;
    }

    private static List<String> codes(Answer answer) {
        List<String> codes = new ArrayList<>();
        answer.body().path("issues").forEach(i -> codes.add(i.path("code").asText() + " " + i.path("path")));
        return codes;
    }

    @Test
    void listsTasksAcrossAppsNewestFirst_andPagesOneAppWithACursor() {
        accepted("t1", "app_a", now.minusSeconds(40));
        accepted("t2", "app_b", now.minusSeconds(30));
        accepted("t3", "app_a", now.minusSeconds(20));
        accepted("t4", "app_a", now.minusSeconds(10));

        Answer all = admin.call(AdminApi.LIST_TASKS, null);
        assertEquals(200, all.status(), String.valueOf(all.body()));
        assertEquals(List.of("t4", "t3", "t2", "t1"), ids(all));

        List<String> seen = new ArrayList<>();
        Map<String, String> query = new java.util.HashMap<>(Map.of("appId", "app_a", "limit", "2"));
        for (int page = 0; page < 5; page++) {
            Answer answer = admin.call(AdminApi.LIST_TASKS, null, Map.of(), query);
            assertEquals(200, answer.status(), String.valueOf(answer.body()));
            seen.addAll(ids(answer));
            if (!answer.body().has("nextCursor")) {
                break;
            }
            query.put("cursor", answer.body().path("nextCursor").asText());
        }
        assertEquals(List.of("t4", "t3", "t1"), seen);

        Answer accepted = admin.call(AdminApi.LIST_TASKS, null, Map.of(), Map.of("state", "ACCEPTED",
                "createdAfter", now.minusSeconds(25).toString(), "createdBefore", now.toString()));
        assertEquals(List.of("t4", "t3"), ids(accepted));
    }

    @Test
    void refusesBadListParameters_andACursorItDidNotIssue() {
        Answer bad = admin.call(AdminApi.LIST_TASKS, null, Map.of(), Map.of("limit", "101", "createdBefore", "noon",
                "order", "asc"));
        assertEquals(400, bad.status());
        assertEquals(List.of("unrecognized_keys [\"query\",\"order\"]", "invalid_date [\"query\",\"createdBefore\"]",
                "too_big [\"query\",\"limit\"]"), codes(bad));
        assertEquals("Validation of query failed: query parameter 'order' is not taken by this route; it takes appId, "
                + "createdAfter, createdBefore, cursor, endpoint, limit, model, state (and 2 more issues)",
                bad.body().path("detail").asText());
        assertEquals("query parameter 'createdBefore' must be an ISO-8601 UTC instant such as 2026-12-03T08:00:00Z "
                + "(got 'noon')", bad.body().path("issues").path(1).path("message").asText());

        Answer cursor = admin.call(AdminApi.LIST_TASKS, null, Map.of(), Map.of("cursor", "eyJmYWtlIjp0cnVlfQ"));
        assertEquals(400, cursor.status(), String.valueOf(cursor.body()));
        assertEquals(List.of("invalid_cursor [\"query\",\"cursor\"]"), codes(cursor));
        assertTrue(cursor.body().path("detail").asText().startsWith("Validation of query failed: query parameter "
                + "'cursor' was not issued by this API for these filters ("), String.valueOf(cursor.body()));
    }

    @Test
    void showsATaskWithEverythingKnown_andAFreshLinkToItsArchivedOutput() throws Exception {
        String key = "archive/app_a/t1/0.png";
        aws.s3().putObject(PutObjectRequest.builder().bucket(aws.bucketName()).key(key).build(), RequestBody.fromString("png"));
        archived("t1", "app_a", now.minusSeconds(60), key);

        Answer shown = admin.call(AdminApi.GET_TASK, null, Map.of("taskId", "t1"));

        assertEquals(200, shown.status(), String.valueOf(shown.body()));
        JsonNode task = shown.body();
        assertEquals("ARCHIVED", task.path("state").asText());
        assertEquals("x", task.path("request").path("promptText").asText());
        assertEquals("msg_t1", task.path("webhook").path("id").asText());
        assertEquals(200, task.path("webhook").path("attempts").get(0).path("httpStatus").asInt());
        JsonNode output = task.path("archive").get(0);
        assertEquals(key, output.path("key").asText());
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> fetched = http.send(HttpRequest.newBuilder(URI.create(output.path("url").asText())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, fetched.statusCode());
            assertEquals("png", fetched.body());
        }
        assertEquals(404, admin.call(AdminApi.GET_TASK, null, Map.of("taskId", "t-unknown")).status());
        assertEquals(400, admin.call(AdminApi.GET_TASK, null, Map.of("taskId", "t1"), Map.of("full", "1")).status());
    }

    @Test
    void cancelsAnUnfinishedTask_andRefusesAnEndedOrUnknownOne() {
        accepted("t1", "app_a", now.minusSeconds(60));
        archived("t2", "app_a", now.minusSeconds(50), "archive/app_a/t2/0.png");

        Answer cancelled = admin.call(AdminApi.CANCEL_TASK, null, Map.of("taskId", "t1"));
        assertEquals(200, cancelled.status(), String.valueOf(cancelled.body()));
        assertEquals("CANCELLED", cancelled.body().path("state").asText());
        assertEquals(TaskState.CANCELLED, tasks.find("t1").orElseThrow().state());

        assertEquals(409, admin.call(AdminApi.CANCEL_TASK, null, Map.of("taskId", "t2")).status());
        assertEquals(TaskState.ARCHIVED, tasks.find("t2").orElseThrow().state());
        assertEquals(404, admin.call(AdminApi.CANCEL_TASK, null, Map.of("taskId", "t-unknown")).status());
        assertEquals(400, admin.call(AdminApi.CANCEL_TASK, "[]", Map.of("taskId", "t1")).status());
    }

    /** What {@code call} writes to standard output (where the function's EMF documents go), as EMF documents. */
    private static List<EmfDocument> emf(Runnable call) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            call.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().map(EmfDocument::parse).flatMap(Optional::stream).toList();
    }

    private static List<String> recorded(List<EmfDocument> documents) {
        List<String> recorded = new ArrayList<>();
        for (EmfDocument document : documents) {
            for (EmfDocument.Directive directive : document.directives()) {
                for (EmfDocument.MetricDefinition metric : directive.metrics()) {
                    List<String> dimensions = new ArrayList<>();
                    directive.dimensions().getFirst().stream().filter(k -> !k.equals("Service"))
                            .forEach(k -> dimensions.add(k + "=" + document.text(k).orElse("")));
                    recorded.add(metric.name() + dimensions + metric.values());
                }
            }
        }
        return recorded;
    }

    @Test
    void countsAnOperatorsCancelInTasksFinishedAndCreditsCharged_once() {
        accepted("t1", "app_a", now.minusSeconds(60));

        List<EmfDocument> cancelled = emf(() -> assertEquals(200,
                admin.call(AdminApi.CANCEL_TASK, null, Map.of("taskId", "t1")).status()));
        List<EmfDocument> again = emf(() -> assertEquals(409,
                admin.call(AdminApi.CANCEL_TASK, null, Map.of("taskId", "t1")).status()));

        assertEquals(List.of("TasksFinished[State=CANCELLED, FailureCode=none][1.0]", "CreditsCharged[AppId=app_a][0.0]"),
                recorded(cancelled).stream().sorted(java.util.Comparator.reverseOrder()).toList());
        assertEquals(List.of(), recorded(again), "a task already ended is not counted again");
    }

    @Test
    void redeliversAnEndedTasksWebhookWithTheSameId_andRefusesOneWithoutCallback() {
        archived("t1", "app_a", now.minusSeconds(60), "archive/app_a/t1/0.png");
        accepted("t2", "app_a", now.minusSeconds(50));

        Answer redelivered = admin.call(AdminApi.REDELIVER_TASK, null, Map.of("taskId", "t1"));
        assertEquals(202, redelivered.status(), String.valueOf(redelivered.body()));
        WebhookDelivery webhook = tasks.find("t1").orElseThrow().webhook();
        assertEquals(DeliveryStatus.PENDING, webhook.status());
        assertEquals("msg_t1", webhook.messageId());

        assertEquals(409, admin.call(AdminApi.REDELIVER_TASK, null, Map.of("taskId", "t2")).status());
        assertEquals(404, admin.call(AdminApi.REDELIVER_TASK, null, Map.of("taskId", "t-unknown")).status());
        assertEquals(400, admin.call(AdminApi.REDELIVER_TASK, "{\"now\":true}", Map.of("taskId", "t1")).status());
    }

    @Test
    void reportsCreditsAndTasksPerAppModelAndDay_andRefusesABadRange() {
        Answer created = admin.call(AdminApi.CREATE_APP, "{\"name\":\"billing\"}");
        String appId = created.body().path("id").asText();
        ledger.admit(new UsageLedger.Reservation(appId, "t1", "gen4_image", now, 8, 1000, 10));
        ledger.admit(new UsageLedger.Reservation(appId, "t2", "gen4_image", now, 5, 1000, 10));
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);

        Answer report = admin.call(AdminApi.USAGE, null, Map.of(), Map.of("from", today.minusDays(1).toString(),
                "to", today.toString()));

        assertEquals(200, report.status(), String.valueOf(report.body()));
        assertEquals(13, report.body().path("totals").path("credits").asLong());
        assertEquals(2, report.body().path("totals").path("tasks").asLong());
        assertEquals(13, report.body().path("totals").path("apps").path(appId).path("credits").asLong());
        assertEquals(2, report.body().path("days").get(0).path("models").path("gen4_image").path("tasks").asLong());
        assertEquals(400, admin.call(AdminApi.USAGE, null, Map.of(), Map.of("from", today.toString())).status());
        assertEquals(400, admin.call(AdminApi.USAGE, null, Map.of(), Map.of("from", today.toString(),
                "to", today.minusDays(1).toString())).status());
    }

    @Test
    void reportsStuckTasks_andQueuesItCannotReadAsNotAvailable() {
        accepted("old", "app_a", now.minus(Duration.ofHours(3)));
        accepted("young", "app_a", now.minus(Duration.ofMinutes(1)));
        archived("ended", "app_a", now.minus(Duration.ofHours(4)), "archive/app_a/ended/0.png");

        Answer health = admin.call(AdminApi.HEALTH, null, Map.of(), Map.of("stuckAfterMinutes", "60"));

        assertEquals(200, health.status(), String.valueOf(health.body()));
        assertEquals(1, health.body().path("stuckTasks").path("count").asLong());
        assertEquals("old", health.body().path("stuckTasks").path("oldest").get(0).path("id").asText());
        assertTrue(health.body().path("queues").path("pollerDeadLetters").isNull());
        assertFalse(health.body().path("queues").path("notAvailable").path("streamFailures").asText().isEmpty());
        assertEquals("[\"queues.pollerDeadLetters\",\"queues.streamFailures\"]", health.body().path("failedChecks").toString(),
                "a deployed stack without its queue URLs could not check them");
        assertEquals(400, admin.call(AdminApi.HEALTH, null, Map.of(), Map.of("stuckAfterMinutes", "-1")).status());
    }
}
