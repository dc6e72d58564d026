package com.runwayrelay.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.gateway.WireTask;
import com.runwayrelay.aws.log.JsonLog;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.ArchiveAccess;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.media.MediaPolicySettings;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.domain.owned.Documents;
import com.runwayrelay.domain.owned.OwnedResources;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.owned.memory.InMemoryOwnershipStore;
import com.runwayrelay.domain.owned.memory.InMemoryRunwayDocuments;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.domain.runway.TaskCreation;
import com.runwayrelay.domain.workflow.AppWorkflows;
import com.runwayrelay.domain.workflow.PublishedWorkflows;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The workflow routes of the status function: the app's workflows, and its invocations in Runway's shape. */
class StatusWorkflowsTest {
    private static final String KEY = "rr_0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-21T06:30:00.123Z");

    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(8);
    private final List<String> askedRunway = new ArrayList<>();
    private final Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);

    StatusWorkflowsTest() {
        apps.create(App.builder("app_fixture", "fixture", T0).dailyCreditBudget(500).maxActiveTasks(3)
                .allowedWorkflows(Set.of("wf-2")).workflowCeilings(Map.of("wf-2", 60L)).build(), ApiKeys.hash(KEY));
    }

    private final PublishedWorkflows runway = new PublishedWorkflows() {
        @Override
        public Listing list() {
            askedRunway.add("list");
            return new Listing.Listed(List.of(
                    new Group("Product shots", List.of(new Version("wf-2", "2026-05-02T10:00:00.000Z", 2),
                            new Version("wf-1", "2026-04-01T10:00:00.000Z", 1))),
                    new Group("Voice-over", List.of(new Version("wf-v", "2026-04-15T09:30:00.000Z", 1)))));
        }

        @Override
        public Lookup get(String workflowId) {
            askedRunway.add("get " + workflowId);
            return new Lookup.Found("{\"id\":\"" + workflowId + "\",\"graph\":{\"nodes\":[],\"edges\":[],\"version\":1}}");
        }
    };

    private final ArchiveAccess archive = new ArchiveAccess() {
        @Override
        public Link link(String key, Duration lifetime) {
            return new Link(URI.create("https://archive.example.com/" + key + "?sig=1"), T0.plusSeconds(3600));
        }

        @Override
        public void delete(List<String> keys) {
            throw new AssertionError("nothing is deleted here");
        }
    };

    private APIGatewayV2HTTPResponse call(String routeKey, String id) {
        APIGatewayV2HTTPEvent event = EventLoader.loadEvent(Path.of("..", "..", "events", "status",
                "apigw-get-task.json").toString(), APIGatewayV2HTTPEvent.class);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("authorization", "Bearer " + KEY);
        event.setHeaders(headers);
        event.setRouteKey(routeKey);
        event.getRequestContext().setRouteKey(routeKey);
        event.getRequestContext().getHttp().setMethod(routeKey.substring(0, routeKey.indexOf(' ')));
        event.setPathParameters(id == null ? null : Map.of("id", id));
        RunwayGateway noRunway = new RunwayGateway() {
            @Override
            public CreateOutcome create(String endpoint, String requestJson) {
                throw new AssertionError();
            }

            @Override
            public ReadOutcome get(String runwayTaskId) {
                throw new AssertionError();
            }

            @Override
            public CancelOutcome cancel(String runwayTaskId) {
                throw new AssertionError("nothing is cancelled here");
            }
        };
        WireTask wire = new WireTask(archive);
        InMemoryOwnershipStore ownership = new InMemoryOwnershipStore();
        FakeRunwayResources avatars = new FakeRunwayResources("aaaaaaaa");
        FakeRunwayResources voices = new FakeRunwayResources("vvvvvvvv");
        // No media host is allowed: these tests send no avatar or voice body.
        MediaUriPolicy media = new MediaUriPolicy(MediaPolicySettings.of(List.of()), host -> List.of());
        InMemoryUsageLedger ledger = new InMemoryUsageLedger();
        PossibleOrphans orphans = new PossibleOrphans(JsonLog.STDOUT, Metrics.none());
        StatusApi api = new StatusApi(new AppAuthenticator(apps, clock, Duration.ZERO, 10),
                new TaskReads(tasks, clock, d -> { throw new AssertionError("no wait"); }), wire,
                new TaskDeletion(tasks, noRunway, archive, ledger, clock), new OrganizationReport(ledger, clock),
                new DocumentRoutes(new Documents(ownership, new InMemoryRunwayDocuments(clock), clock), orphans),
                new AvatarRoutes(new OwnedResources<>(ResourceKind.AVATARS, ownership, avatars, clock), media, orphans),
                new VoiceRoutes(new OwnedResources<>(ResourceKind.VOICES, ownership, voices, clock), voices::preview,
                        media, orphans),
                new WorkflowRoutes(new AppWorkflows(runway)), new WireInvocation(wire));
        return api.apply(event);
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    private Task run(String id, TaskState state) {
        Task task = Task.accepted(id, "app_fixture", "workflows/wf-2", "workflow", "{}", 60, T0).build().toBuilder()
                .state(state).runwayTaskId("inv-" + id).runwayStatus(RunwayStatus.RUNNING).progress(0.4).build();
        tasks.insert(task);
        return task;
    }

    @Test
    void listsOnlyTheAppsWorkflowVersions() throws Exception {
        APIGatewayV2HTTPResponse response = call("GET /v1/workflows", null);

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("{\"data\":[{\"name\":\"Product shots\",\"versions\":[{\"id\":\"wf-2\","
                + "\"createdAt\":\"2026-05-02T10:00:00.000Z\",\"version\":2}]}]}", response.getBody());
    }

    @Test
    void retrievesAnAllowedWorkflow_andAnswers404WithoutAskingRunway_forAnyOther() throws Exception {
        assertEquals("wf-2", body(call("GET /v1/workflows/{id}", "wf-2")).path("id").asText());
        APIGatewayV2HTTPResponse hidden = call("GET /v1/workflows/{id}", "wf-1");

        assertEquals(404, hidden.getStatusCode());
        assertTrue(body(hidden).path("type").asText().endsWith(":workflow-not-found"), hidden.getBody());
        assertEquals(List.of("get wf-2"), askedRunway);
    }

    @Test
    void showsASucceededInvocation_withLinksByNode_andNodeErrorsAsRunwaySentThem() throws Exception {
        Task task = run("t-ok", TaskState.ARCHIVED).next(T0).runwayStatus(RunwayStatus.SUCCEEDED)
                .nodeErrorsJson("{\"node-c\":{\"message\":\"moderated\",\"failureCode\":\"SAFETY.OUTPUT.IMAGE\"}}")
                .archive(List.of(
                        new ArchiveRecord("outputs/app_fixture/t-ok/node-a/0.png", 10, "ab".repeat(32), "image/png", "node-a"),
                        new ArchiveRecord("outputs/app_fixture/t-ok/node-a/1.png", 10, "cd".repeat(32), "image/png", "node-a"),
                        new ArchiveRecord("outputs/app_fixture/t-ok/node-b/0.mp4", 10, "ef".repeat(32), "video/mp4", "node-b")))
                .build();
        tasks.replace(tasks.find("t-ok").orElseThrow(), task);

        JsonNode wire = body(call("GET /v1/workflow_invocations/{id}", "t-ok"));

        assertEquals("SUCCEEDED", wire.path("status").asText());
        assertEquals("t-ok", wire.path("id").asText());
        assertEquals("2026-11-21T06:30:00.123Z", wire.path("createdAt").asText());
        assertEquals(List.of("https://archive.example.com/outputs/app_fixture/t-ok/node-a/0.png?sig=1",
                        "https://archive.example.com/outputs/app_fixture/t-ok/node-a/1.png?sig=1"),
                JSON.convertValue(wire.path("output").path("node-a"), List.class));
        assertEquals(1, wire.path("output").path("node-b").size());
        assertEquals("SAFETY.OUTPUT.IMAGE", wire.path("nodeErrors").path("node-c").path("failureCode").asText());
        assertEquals("wf-2", wire.path("relay").path("workflowId").asText());
        assertFalse(wire.has("cost"), "Runway's invocation has no cost member");
    }

    @Test
    void showsARunningInvocation_withProgressAndAnEmptyOutput_andAFailedOneWithItsFailure() throws Exception {
        run("t-run", TaskState.SUBMITTED);
        Task failed = run("t-fail", TaskState.SUBMITTED);
        tasks.replace(failed, failed.next(T0).state(TaskState.FAILED).failure("every node failed")
                .failureCode("INTERNAL").nodeErrorsJson("{\"n\":{\"message\":\"x\"}}").build());

        JsonNode running = body(call("GET /v1/workflow_invocations/{id}", "t-run"));
        JsonNode down = body(call("GET /v1/workflow_invocations/{id}", "t-fail"));

        assertEquals("RUNNING", running.path("status").asText());
        assertEquals(0.4, running.path("progress").asDouble());
        assertEquals("{}", running.path("output").toString());
        assertEquals("FAILED", down.path("status").asText());
        assertEquals("every node failed", down.path("failure").asText());
        assertEquals("INTERNAL", down.path("failureCode").asText());
        assertEquals("x", down.path("nodeErrors").path("n").path("message").asText());
    }

    /** Runway's members of an invocation, sorted: everything but the gateway's {@code relay}. */
    private static Set<String> members(JsonNode wire) {
        Set<String> names = new TreeSet<>();
        wire.fieldNames().forEachRemaining(names::add);
        names.remove("relay");
        return names;
    }

    /** The invocation an app reads for a run stored as {@code shape} makes it. */
    private JsonNode invocationOf(String id, UnaryOperator<Task.Builder> shape) throws Exception {
        tasks.insert(shape.apply(Task.accepted(id, "app_fixture", "workflows/wf-2", "workflow", "{}", 60, T0).build()
                .toBuilder()).build());
        APIGatewayV2HTTPResponse response = call("GET /v1/workflow_invocations/{id}", id);
        assertEquals(200, response.getStatusCode(), response.getBody());
        return body(response);
    }

    /**
     * SDK 4.20.1's {@code WorkflowInvocationRetrieveResponse}: Pending, Throttled and Cancelled carry
     * {@code id, createdAt, status} only; Running also {@code progress} and {@code output} (required:
     * the nodes finished so far, none here since a run's outputs are archived only once it succeeded);
     * Succeeded {@code output}; Failed {@code failure} and an optional {@code failureCode};
     * {@code nodeErrors} is optional on the last three and absent from the first three (tests below).
     */
    @Test
    void showsEveryStatusWithTheMembersOfItsSdkType() throws Exception {
        Set<String> bare = Set.of("createdAt", "id", "status");
        JsonNode queued = invocationOf("t-queued", b -> b);
        JsonNode sent = invocationOf("t-sent", b -> b.state(TaskState.SUBMITTED).runwayTaskId("inv-sent"));
        JsonNode pending = invocationOf("t-pending", b -> b.state(TaskState.SUBMITTED).runwayTaskId("inv-p")
                .runwayStatus(RunwayStatus.PENDING));
        JsonNode throttled = invocationOf("t-throttled", b -> b.state(TaskState.SUBMITTED).runwayTaskId("inv-t")
                .runwayStatus(RunwayStatus.THROTTLED));
        JsonNode running = invocationOf("t-running", b -> b.state(TaskState.SUBMITTED).runwayTaskId("inv-r")
                .runwayStatus(RunwayStatus.RUNNING).progress(0.25));
        JsonNode archiving = invocationOf("t-archiving", b -> b.state(TaskState.OUTPUT_READY).runwayTaskId("inv-a")
                .runwayStatus(RunwayStatus.SUCCEEDED).progress(1.0).outputs(List.of("https://runway.example/a.png"))
                .outputNodes(List.of("node-a")).nodeErrorsJson("{\"node-b\":{\"message\":\"moderated\"}}"));
        JsonNode cancelled = invocationOf("t-cancelled", b -> b.state(TaskState.CANCELLED).runwayTaskId("inv-c")
                .runwayStatus(RunwayStatus.CANCELLED));
        JsonNode expired = invocationOf("t-expired", b -> b.state(TaskState.EXPIRED).runwayTaskId("inv-e")
                .failure("The deadline passed"));
        JsonNode ambiguous = invocationOf("t-ambiguous", b -> b.stateReason(TaskCreation.AMBIGUOUS));
        JsonNode failed = invocationOf("t-failed", b -> b.state(TaskState.FAILED).runwayTaskId("inv-f")
                .runwayStatus(RunwayStatus.FAILED).failure("Runway reported a failure"));
        JsonNode emptySuccess = invocationOf("t-nothing", b -> b.state(TaskState.ARCHIVED).runwayTaskId("inv-n")
                .runwayStatus(RunwayStatus.SUCCEEDED).nodeErrorsJson("{\"node-a\":{\"message\":\"x\"}}"));

        for (JsonNode notStarted : List.of(queued, sent, pending)) {
            assertEquals("PENDING", notStarted.path("status").asText(), notStarted.toString());
            assertEquals(bare, members(notStarted), notStarted.toString());
        }
        assertEquals("THROTTLED", throttled.path("status").asText());
        assertEquals(bare, members(throttled));
        assertEquals("RUNNING", running.path("status").asText());
        assertEquals(Set.of("createdAt", "id", "output", "progress", "status"), members(running));
        assertEquals(0.25, running.path("progress").asDouble());
        assertEquals("{}", running.path("output").toString());
        assertEquals("RUNNING", archiving.path("status").asText(), "Runway succeeded, the outputs are being copied");
        assertEquals(Set.of("createdAt", "id", "nodeErrors", "output", "progress", "status"), members(archiving));
        assertEquals(1.0, archiving.path("progress").asDouble());
        assertEquals("{}", archiving.path("output").toString(), "Runway's own links are never shown");
        for (JsonNode ended : List.of(cancelled, expired)) {
            assertEquals("CANCELLED", ended.path("status").asText(), ended.toString());
            assertEquals(bare, members(ended), "Cancelled has no failure member: " + ended);
        }
        assertEquals("FAILED", ambiguous.path("status").asText());
        assertEquals(Set.of("createdAt", "failure", "failureCode", "id", "status"), members(ambiguous));
        assertEquals(TaskCreation.AMBIGUOUS_FAILURE_CODE, ambiguous.path("failureCode").asText());
        assertEquals(Set.of("createdAt", "failure", "id", "status"), members(failed), "failureCode is optional");
        assertEquals("SUCCEEDED", emptySuccess.path("status").asText());
        assertEquals(Set.of("createdAt", "id", "nodeErrors", "output", "status"), members(emptySuccess));
        assertEquals("{}", emptySuccess.path("output").toString(), "every node failed: a success with no output");
    }

    /** Node errors Runway reported while a run was going, stored with it. */
    private static final String NODE_ERRORS = "{\"node-a\":{\"message\":\"moderated\"}}";

    @Test
    void aPendingInvocationHasNoNodeErrors_asSdk4201sPendingTypeHasNone() throws Exception {
        JsonNode pending = invocationOf("t-pending-errors", b -> b.state(TaskState.SUBMITTED).runwayTaskId("inv-p")
                .runwayStatus(RunwayStatus.PENDING).nodeErrorsJson(NODE_ERRORS));

        assertEquals("PENDING", pending.path("status").asText());
        assertEquals(Set.of("createdAt", "id", "status"), members(pending));
    }

    @Test
    void aThrottledInvocationHasNoNodeErrors_asSdk4201sThrottledTypeHasNone() throws Exception {
        JsonNode throttled = invocationOf("t-throttled-errors", b -> b.state(TaskState.SUBMITTED).runwayTaskId("inv-t")
                .runwayStatus(RunwayStatus.THROTTLED).nodeErrorsJson(NODE_ERRORS));

        assertEquals("THROTTLED", throttled.path("status").asText());
        assertEquals(Set.of("createdAt", "id", "status"), members(throttled));
    }

    @Test
    void aCancelledOrExpiredInvocationHasNoNodeErrors_asSdk4201sCancelledTypeHasNone() throws Exception {
        JsonNode cancelled = invocationOf("t-cancelled-errors", b -> b.state(TaskState.CANCELLED).runwayTaskId("inv-c")
                .runwayStatus(RunwayStatus.CANCELLED).nodeErrorsJson(NODE_ERRORS));
        JsonNode expired = invocationOf("t-expired-errors", b -> b.state(TaskState.EXPIRED).runwayTaskId("inv-e")
                .runwayStatus(RunwayStatus.RUNNING).nodeErrorsJson(NODE_ERRORS).failure("The deadline passed"));

        for (JsonNode ended : List.of(cancelled, expired)) {
            assertEquals("CANCELLED", ended.path("status").asText(), ended.toString());
            assertEquals(Set.of("createdAt", "id", "status"), members(ended), ended.toString());
        }
    }

    @Test
    void aRunningInvocationKeepsItsNodeErrors() throws Exception {
        JsonNode running = invocationOf("t-running-errors", b -> b.state(TaskState.SUBMITTED).runwayTaskId("inv-r")
                .runwayStatus(RunwayStatus.RUNNING).progress(0.5).nodeErrorsJson(NODE_ERRORS));

        assertEquals("RUNNING", running.path("status").asText());
        assertEquals("moderated", running.path("nodeErrors").path("node-a").path("message").asText());
    }

    @Test
    void keepsInvocationsAndTasksApart() throws Exception {
        run("t-inv", TaskState.SUBMITTED);
        Task plain = Task.accepted("t-task", "app_fixture", "text_to_image", "gen4_image", "{}", 8, T0).build();
        tasks.insert(plain);

        assertEquals(404, call("GET /v1/tasks/{id}", "t-inv").getStatusCode());
        assertEquals(404, call("DELETE /v1/tasks/{id}", "t-inv").getStatusCode());
        APIGatewayV2HTTPResponse asInvocation = call("GET /v1/workflow_invocations/{id}", "t-task");
        assertEquals(404, asInvocation.getStatusCode());
        assertTrue(body(asInvocation).path("type").asText().endsWith(":workflow-invocation-not-found"));
        assertEquals(200, call("GET /v1/tasks/{id}", "t-task").getStatusCode());
        assertEquals(TaskState.SUBMITTED, tasks.find("t-inv").orElseThrow().state(), "the refused DELETE changed nothing");
    }
}
