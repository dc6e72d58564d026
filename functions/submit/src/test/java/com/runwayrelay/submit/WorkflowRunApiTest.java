package com.runwayrelay.submit;

import static com.runwayrelay.submit.Fixtures.FIXTURE_KEY;
import static com.runwayrelay.submit.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AdmissionControl;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.Idempotency;
import com.runwayrelay.domain.gateway.memory.InMemoryIdempotencyStore;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.MediaPolicySettings;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.runway.WorkflowRuns;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/workflows/{id}}: who may run what, what a body may hold, and what a run reserves. */
class WorkflowRunApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-21T06:30:00Z");
    private static final LocalDate DAY = LocalDate.parse("2026-11-21");
    /** The workflow of the fixture event. */
    private static final String RUNNABLE = "7c1e4a52-5f0b-4d8e-9a61-2b1f0c3d4e02";
    private static final String NO_CEILING = "7c1e4a52-5f0b-4d8e-9a61-2b1f0c3d4e01";
    private static final String NODE = "b2a4c6d8-0001-4000-8000-000000000001";

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final FakeRunway runway = new FakeRunway();
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(8);
    private final AtomicInteger ids = new AtomicInteger();
    private final InMemoryIdempotencyStore idempotencyStore = new InMemoryIdempotencyStore();

    WorkflowRunApiTest() {
        apps.create(App.builder("app_fixture", "fixture", T0).dailyCreditBudget(1000).maxActiveTasks(5)
                .allowedWorkflows(Set.of(RUNNABLE, NO_CEILING)).workflowCeilings(Map.of(RUNNABLE, 60L)).build(),
                ApiKeys.hash(FIXTURE_KEY));
    }

    private APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        Catalog catalog = Catalog.loadDefault();
        MediaUriPolicy media = new MediaUriPolicy(MediaPolicySettings.of(List.of("media.example.com")), Fixtures.testDns());
        RequestCheck check = new RequestCheck(catalog, UnknownModelPolicy.REJECT, media,
                new CallbackUrlCheck(AddressGuard.strict(Fixtures.testDns())));
        Idempotency idempotency = new Idempotency(idempotencyStore, clock, Duration.ofHours(24),
                Duration.ofSeconds(30), Duration.ZERO, Duration.ofMillis(5));
        SubmitTask submit = new SubmitTask(check, catalog, 100, idempotency, new AdmissionControl(ledger, tasks, clock),
                ledger, tasks, runway, clock, () -> "task-" + ids.incrementAndGet(), SubmitApi::stored);
        return new SubmitApi(new AppAuthenticator(apps, clock, Duration.ZERO, 10), catalog.endpoints(), submit,
                new CreateUpload(filename -> { throw new AssertionError("no upload here"); })).apply(event);
    }

    private static APIGatewayV2HTTPEvent run(String workflowId, String body) {
        APIGatewayV2HTTPEvent event = event("apigw-run-workflow", body, FIXTURE_KEY, null);
        event.setPathParameters(Map.of("id", workflowId));
        event.setRawPath("/v1/workflows/" + workflowId);
        return event;
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    @Test
    void runsAnAllowedWorkflow_asATaskOfItsEndpoint_reservingItsCeiling() throws Exception {
        APIGatewayV2HTTPResponse response = call(event("apigw-run-workflow"));

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = body(response);
        assertEquals(60, body.path("estimatedCost").path("credits").asLong());
        Task task = tasks.find(body.path("id").asText()).orElseThrow();
        assertEquals(WorkflowRuns.endpoint(RUNNABLE), task.request().endpoint());
        assertEquals(WorkflowRuns.MODEL, task.request().model());
        assertEquals(TaskState.SUBMITTED, task.state());
        assertEquals(60, task.request().estimatedCredits());
        assertEquals(60, ledger.usage("app_fixture", DAY).usedCredits());
        assertEquals(List.of("workflows/" + RUNNABLE), runway.createdEndpoints);
        assertTrue(runway.createdBodies.getFirst().contains("A red sneaker"), runway.createdBodies::toString);
    }

    @Test
    void replaysARunWithTheSameIdempotencyKey_andRunsItOnce_butRefusesTheKeyForAnotherWorkflowsRun() throws Exception {
        APIGatewayV2HTTPResponse first = call(event("apigw-run-workflow"));
        APIGatewayV2HTTPResponse again = call(event("apigw-run-workflow"));
        APIGatewayV2HTTPEvent other = event("apigw-run-workflow");
        other.setPathParameters(Map.of("id", NO_CEILING));
        apps.replace(apps.find("app_fixture").orElseThrow(), apps.find("app_fixture").orElseThrow().next()
                .workflowCeilings(Map.of(RUNNABLE, 60L, NO_CEILING, 10L)).build());
        APIGatewayV2HTTPResponse reused = call(other);

        assertEquals(200, again.getStatusCode());
        assertEquals(body(first).path("id"), body(again).path("id"));
        assertEquals("true", again.getHeaders().get("idempotent-replayed"));
        assertEquals(422, reused.getStatusCode(), "the same key and body for another workflow is another request");
        assertEquals(1, runway.createdBodies.size());
        assertEquals(60, ledger.usage("app_fixture", DAY).usedCredits());
    }

    @Test
    void answers404_forAWorkflowTheAppMayNotRunOrAnUnknownOne_andSendsNothing() throws Exception {
        for (String id : List.of("3f9d2b7e-8a14-4c6f-b2d5-6e7a8b9c0d11", "00000000-0000-4000-8000-000000000000",
                "not..an-id")) {
            APIGatewayV2HTTPResponse response = call(run(id, "{}"));

            assertEquals(404, response.getStatusCode(), id);
            assertTrue(body(response).path("type").asText().endsWith(":workflow-not-found"), response.getBody());
        }
        assertTrue(runway.createdBodies.isEmpty());
        assertEquals(0, ledger.usage("app_fixture", DAY).usedCredits());
        assertEquals(0, tasks.all().size());
    }

    @Test
    void answers403_forAnAllowedWorkflowWithoutCeiling_andSendsNothing() throws Exception {
        APIGatewayV2HTTPResponse response = call(run(NO_CEILING, "{}"));

        assertEquals(403, response.getStatusCode());
        JsonNode body = body(response);
        assertTrue(body.path("type").asText().endsWith(":workflow-ceiling-missing"), response.getBody());
        assertTrue(body.path("detail").asText().contains("--workflows " + NO_CEILING + "=<credits>"), body.toString());
        assertTrue(runway.createdBodies.isEmpty());
        assertEquals(0, ledger.usage("app_fixture", DAY).usedCredits());
    }

    @Test
    void listsEveryBadNodeInput_withItsPath_andSendsNothing() throws Exception {
        String body = "{\"extra\":1,\"nodeOutputs\":{\"" + NODE + "\":{"
                + "\"a\":{\"type\":\"primitive\",\"value\":{\"nested\":true}},"
                + "\"b\":{\"type\":\"model\"},"
                + "\"c\":{\"type\":\"image\"},"
                + "\"d\":{\"type\":\"primitive\",\"value\":\"x\",\"uri\":\"y\"},"
                + "\"e\":\"text\"},"
                + "\"bad node\":{}}}";
        APIGatewayV2HTTPResponse response = call(run(RUNNABLE, body));

        assertEquals(400, response.getStatusCode());
        List<String> issues = new ArrayList<>();
        body(response).path("issues").forEach(i -> issues.add(i.path("code").asText() + " " + i.path("path")));
        assertEquals(List.of(
                "unrecognized_keys [\"extra\"]",
                "invalid_type [\"nodeOutputs\",\"" + NODE + "\",\"a\",\"value\"]",
                "invalid_enum_value [\"nodeOutputs\",\"" + NODE + "\",\"b\",\"type\"]",
                "invalid_type [\"nodeOutputs\",\"" + NODE + "\",\"c\",\"uri\"]",
                "unrecognized_keys [\"nodeOutputs\",\"" + NODE + "\",\"d\",\"uri\"]",
                "invalid_type [\"nodeOutputs\",\"" + NODE + "\",\"e\"]",
                "invalid_string [\"nodeOutputs\",\"bad node\"]"), issues);
        assertTrue(runway.createdBodies.isEmpty());
        assertEquals(0, ledger.usage("app_fixture", DAY).usedCredits());
    }

    @Test
    void refusesAMediaUriOutsideThePolicy_forTheNodesMediaType_andSendsNothing() throws Exception {
        String body = "{\"nodeOutputs\":{\"" + NODE + "\":{"
                + "\"img\":{\"type\":\"image\",\"uri\":\"https://evil.example.org/a.png\"},"
                + "\"vid\":{\"type\":\"video\",\"uri\":\"data:image/png;base64,iVBORw0KGgo=\"},"
                + "\"meta\":{\"type\":\"audio\",\"uri\":\"https://169.254.169.254/latest/a.mp3\"}}}}";
        APIGatewayV2HTTPResponse response = call(run(RUNNABLE, body));

        assertEquals(400, response.getStatusCode(), response.getBody());
        List<String> paths = new ArrayList<>();
        body(response).path("issues").forEach(i -> paths.add(i.path("path").toString()));
        for (String key : List.of("img", "vid", "meta")) {
            assertTrue(paths.contains("[\"nodeOutputs\",\"" + NODE + "\",\"" + key + "\",\"uri\"]"), paths.toString());
        }
        assertTrue(runway.createdBodies.isEmpty());
    }

    @Test
    void keepsTheRelayOptionsFromRunway_andAcceptsAnEmptyBody() throws Exception {
        APIGatewayV2HTTPResponse empty = call(run(RUNNABLE, "{}"));
        APIGatewayV2HTTPResponse relayed = call(run(RUNNABLE,
                "{\"relay\":{\"metadata\":{\"order\":7}},\"nodeOutputs\":{}}"));

        assertEquals(200, empty.getStatusCode(), empty.getBody());
        assertEquals(200, relayed.getStatusCode(), relayed.getBody());
        assertEquals(List.of("{}", "{\"nodeOutputs\":{}}"), runway.createdBodies);
        Task task = tasks.find(body(relayed).path("id").asText()).orElseThrow();
        assertEquals("{\"order\":7}", task.request().metadataJson());
    }

    @Test
    void refusesDeliverTo_sinceARunsOutputsAreKnownOnlyWhenItEnds_andSendsNothing() throws Exception {
        APIGatewayV2HTTPResponse response = call(run(RUNNABLE,
                "{\"relay\":{\"deliverTo\":{\"template\":\"https://b.example/{index}.{ext}\"},\"metadata\":7}}"));

        assertEquals(400, response.getStatusCode(), response.getBody());
        List<String> issues = new ArrayList<>();
        body(response).path("issues").forEach(i -> issues.add(i.path("code").asText() + " " + i.path("path")));
        assertEquals(List.of("not_supported [\"relay\",\"deliverTo\"]", "invalid_type [\"relay\",\"metadata\"]"), issues,
                "the other options are still checked");
        assertTrue(runway.createdBodies.isEmpty());
        assertEquals(0, ledger.usage("app_fixture", DAY).usedCredits());
    }
}
