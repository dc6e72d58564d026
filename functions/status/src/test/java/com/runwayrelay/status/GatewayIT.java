package com.runwayrelay.status;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.TaskVisibility;
import com.runwayrelay.simulator.Fault;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatedWorkflows;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.submit.SubmitFunction;
import com.runwayrelay.submit.SubmitHandler;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import com.runwayrelay.testkit.node.OfficialNodeSdk;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The whole gateway API over HTTP: the real submit and status handlers, wired from an environment
 * map as Lambda wires them, behind a test-only HTTP front, against DynamoDB Local, s3proxy and the
 * Runway simulator. Checks docs/api.md against real answers, re-signed links, deletion, app
 * isolation, and the official Node SDK.
 */
@WithAwsEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String T2I = "{\"model\":\"gen4_image\",\"promptText\":\"A lighthouse\",\"ratio\":\"1920:1080\"}";

    private final AwsEmulators aws;
    private RunwaySimulator sim;
    private GatewayFront front;
    private HttpClient http;
    private DynamoDbAppRepository apps;
    private DynamoDbTaskRepository tasks;
    private String key;
    /** Holds a create the simulator delays until the test releases it (open unless a test closes it). */
    private volatile CountDownLatch heldCreate = new CountDownLatch(0);

    GatewayIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeAll
    void start() throws IOException {
        aws.resetData();
        // A delay fault lasts until the test releases it, whatever the delay named: no race between
        // the delay and the requests the test sends meanwhile.
        sim = RunwaySimulator.start(SimulatorConfig.builder()
                .sleeper(delay -> heldCreate.await(60, TimeUnit.SECONDS)).build());
        Map<String, String> env = new HashMap<>(aws.environment());
        env.put("RUNWAY_API_BASE_URL", sim.baseUri().toString());
        env.put("RUNWAYML_API_SECRET", sim.apiKey());
        env.put("RELAY_IDEMPOTENCY_WAIT_SECONDS", "0");
        front = GatewayFront.start(new SubmitHandler(SubmitFunction.fromEnvironment(env)),
                new StatusHandler(StatusFunction.fromEnvironment(env)));
        http = HttpClient.newHttpClient();
        apps = new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName());
        tasks = new DynamoDbTaskRepository(aws.dynamoDb(), aws.tableName(), 8);
        key = newApp(100_000, 20);
    }

    @AfterAll
    void stop() {
        front.close();
        http.close();
        sim.close();
    }

    private String newApp(long budget, int maxActive) {
        return newApp(budget, maxActive, Map.of());
    }

    /** An app that may use the simulator's "Product shots" versions, with {@code ceilings} as their ceilings. */
    private String newApp(long budget, int maxActive, Map<String, Long> ceilings) {
        String appKey = ApiKeys.mint();
        String id = "app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 26);
        apps.create(App.builder(id, "gateway-it", Instant.now()).dailyCreditBudget(budget).maxActiveTasks(maxActive)
                .allowedWorkflows(ceilings.isEmpty() ? java.util.Set.of() : java.util.Set.of(
                        SimulatedWorkflows.PRODUCT_SHOTS_V2, SimulatedWorkflows.PRODUCT_SHOTS_V1))
                .workflowCeilings(ceilings).build(), ApiKeys.hash(appKey));
        return appKey;
    }

    /** One answer, with the route it was for in docs/api.md's terms. */
    private record Observed(String route, int status, Map<String, String> headers, JsonNode body, boolean example) {
        Observed asExample() {
            return new Observed(route, status, headers, body, true);
        }

        String slug() {
            // Only a problem's type: a document's "type" (text, file) is no slug.
            return body != null && body.path("type").asText().startsWith("urn:runway-relay:problem:")
                    ? body.get("type").asText().replace("urn:runway-relay:problem:", "") : null;
        }
    }

    private Observed send(String method, String path, String appKey, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(front.baseUri().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("X-Runway-Version", "2024-11-06");
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (appKey != null) {
            request.header("Authorization", "Bearer " + appKey);
        }
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> received = new HashMap<>();
        response.headers().map().forEach((name, values) -> received.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
        String route = GatewayFront.routeKey(method, path.split("\\?", 2)[0]);
        if (route != null && route.startsWith("POST /v1/") && !route.equals("POST /v1/uploads")
                && !route.equals("POST /v1/organization/usage") && !route.equals("POST /v1/documents")
                && !route.equals("POST /v1/workflows/{id}")
                && !route.equals("POST /v1/realtime_sessions")
                && !route.equals("POST /v1/avatars") && !route.equals("POST /v1/voices")
                && !route.equals("POST /v1/voices/preview")) {
            route = "POST /v1/{endpoint}";
        }
        JsonNode json = response.body().isEmpty() ? null : JSON.readTree(response.body());
        return new Observed(route, response.statusCode(), received, json, false);
    }

    private Observed post(String path, String appKey, String body) throws Exception {
        return send("POST", path, appKey, body, Map.of());
    }

    private Task archivedTask(String appKey, byte[] content) throws Exception {
        String appId = apps.findByKeyHash(ApiKeys.hash(appKey)).orElseThrow().id();
        String id = UUID.randomUUID().toString();
        String objectKey = "outputs/" + appId + "/" + id + "/0.png";
        aws.s3().putObject(b -> b.bucket(aws.bucketName()).key(objectKey).contentType("image/png"),
                RequestBody.fromBytes(content));
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        Task task = Task.accepted(id, appId, "text_to_image", "gen4_image", T2I, 8, created)
                .state(TaskState.ARCHIVED).version(5).runwayTaskId("rw-" + id).runwayStatus(RunwayStatus.SUCCEEDED)
                .attempts(List.of(new Attempt(1, "rw-" + id, created, AttemptOutcome.CREATED, null, null)))
                .actualCredits(8L).dueAt(null).updatedAt(created.plusSeconds(40))
                .archive(List.of(new ArchiveRecord(objectKey, content.length,
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), "image/png")))
                .build();
        tasks.insert(task);
        return task;
    }

    /** GETs of Runway's workflow list and workflows the simulator received. */
    private long workflowReads() {
        return sim.requestLog().stream().filter(r -> r.method().equals("GET") && r.path().startsWith("/v1/workflows"))
                .count();
    }

    @Test
    void everyDocumentedRouteStatusHeaderAndExampleMatchesARealAnswer() throws Exception {
        List<Observed> seen = new ArrayList<>();
        // POST /v1/{endpoint}
        Observed created = post("/v1/text_to_image", key, T2I);
        seen.add(created.asExample());
        seen.add(post("/v1/text_to_image", key, "{\"model\":\"gen4_image\",\"promptText\":\"x\",\"ratio\":\"7:3\","
                + "\"referenceImages\":[{\"uri\":\"https://127.0.0.1/a.png\",\"tag\":\"ref\"}]}").asExample());
        seen.add(send("POST", "/v1/text_to_image", key, T2I, Map.of("Idempotency-Key", "x".repeat(300))));
        seen.add(post("/v1/image_to_video", key, "{\"model\":\"gen4_turbo\",\"promptImage\":\"runway://ephemeral/"
                + UUID.randomUUID() + "\",\"ratio\":\"1280:720\",\"duration\":5}"));
        seen.add(post("/v1/text_to_image", null, T2I));
        seen.add(post("/v1/text_to_image", newApp(3, 5), T2I).asExample());
        String idempotencyKey = UUID.randomUUID().toString();
        heldCreate = new CountDownLatch(1);
        sim.injectNext("POST", "/v1/text_to_image", Fault.delay(Duration.ofSeconds(2)));
        long createsBefore = sim.requestCount("POST", "/v1/text_to_image");
        CompletableFuture<Observed> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return send("POST", "/v1/text_to_image", key, T2I, Map.of("Idempotency-Key", idempotencyKey));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // The first request holds the key once its create reached the simulator; the duplicate is
        // answered while that create is held, and only then is it released.
        awaitCondition(() -> sim.requestCount("POST", "/v1/text_to_image") > createsBefore);
        seen.add(send("POST", "/v1/text_to_image", key, T2I, Map.of("Idempotency-Key", idempotencyKey)));
        heldCreate.countDown();
        seen.add(slow.get(60, TimeUnit.SECONDS));
        seen.add(send("POST", "/v1/text_to_image", key, T2I.replace("lighthouse", "windmill"),
                Map.of("Idempotency-Key", idempotencyKey)));
        seen.add(send("POST", "/v1/text_to_image", key, T2I, Map.of("Idempotency-Key", idempotencyKey)));
        String limited = newApp(100_000, 1);
        seen.add(post("/v1/text_to_image", limited, T2I));
        seen.add(post("/v1/text_to_image", limited, T2I).asExample());
        sim.injectNext("POST", "/v1/image_to_video", Fault.status(429, Map.of("retry-after", "30")));
        seen.add(post("/v1/image_to_video", key, "{\"model\":\"gen4_turbo\",\"promptImage\":\"data:image/png;base64,"
                + "iVBORw0KGgo" + "A".repeat(399_989) + "\",\"ratio\":\"1280:720\",\"duration\":5}"));
        // POST /v1/uploads
        seen.add(post("/v1/uploads", key, "{\"filename\":\"frame.png\",\"type\":\"ephemeral\"}").asExample());
        seen.add(post("/v1/uploads", key, "{\"filename\":\"x\"}"));
        String sevenMiB = "x".repeat(7 * 1024 * 1024);
        seen.add(post("/v1/uploads", key, "{\"filename\":\"frame.png\",\"type\":\"ephemeral\",\"pad\":\""
                + sevenMiB + "\"}"));
        seen.add(post("/v1/text_to_image", key, "{\"model\":\"gen4_image\",\"ratio\":\"1920:1080\",\"promptText\":\""
                + sevenMiB + "\"}"));
        seen.add(post("/v1/uploads", null, "{\"filename\":\"frame.png\",\"type\":\"ephemeral\"}"));
        sim.injectNext("POST", "/v1/uploads", Fault.status(503));
        sim.injectNext("POST", "/v1/uploads", Fault.status(503));
        seen.add(post("/v1/uploads", key, "{\"filename\":\"frame.png\",\"type\":\"ephemeral\"}"));
        // GET /v1/tasks/{id}
        Task archived = archivedTask(key, "png bytes".getBytes(StandardCharsets.UTF_8));
        seen.add(send("GET", "/v1/tasks/" + archived.id(), key, null, Map.of()).asExample());
        seen.add(send("GET", "/v1/tasks/" + archived.id(), null, null, Map.of()));
        seen.add(send("GET", "/v1/tasks/" + UUID.randomUUID(), key, null, Map.of()));
        // DELETE /v1/tasks/{id}
        String createdId = created.body().get("id").asText();
        seen.add(send("DELETE", "/v1/tasks/" + createdId, null, null, Map.of()));
        seen.add(send("DELETE", "/v1/tasks/" + createdId, key, null, Map.of()));
        seen.add(send("DELETE", "/v1/tasks/" + createdId, key, null, Map.of()));
        String running = post("/v1/text_to_image", key, T2I).body().get("id").asText();
        sim.injectNext("DELETE", "/v1/tasks/", Fault.status(503));
        sim.injectNext("DELETE", "/v1/tasks/", Fault.status(503));
        seen.add(send("DELETE", "/v1/tasks/" + running, key, null, Map.of()));
        // GET /v1/organization
        String reporter = newApp(1000, 5);
        post("/v1/text_to_image", reporter, T2I);
        seen.add(send("GET", "/v1/organization", reporter, null, Map.of()).asExample());
        seen.add(send("GET", "/v1/organization", null, null, Map.of()).asExample());
        // POST /v1/organization/usage
        seen.add(post("/v1/organization/usage", reporter, "{}").asExample());
        seen.add(post("/v1/organization/usage", reporter, "{\"startDate\":\"2026-01-01\",\"beforeDate\":\"2026-06-01\"}"));
        seen.add(post("/v1/organization/usage", null, "{}"));
        // /v1/documents: the app's own, forwarded to the simulator's organization-wide documents
        String other = newApp(1000, 5);
        Observed document = post("/v1/documents", key, "{\"name\":\"Product FAQ\",\"content\":\"# FAQ\"}").asExample();
        seen.add(document);
        String documentId = document.body().get("id").asText();
        post("/v1/documents", key, "{\"name\":\"Returns\",\"content\":\"# Returns\"}");
        seen.add(post("/v1/documents", key, "{\"name\":\"\"}"));
        seen.add(post("/v1/documents", null, "{\"name\":\"x\",\"content\":\"y\"}"));
        seen.add(post("/v1/documents", key, "{\"name\":\"big\",\"content\":\"" + sevenMiB + "\"}"));
        sim.injectNext("POST", "/v1/documents", Fault.status(429, Map.of("retry-after", "1")));
        sim.injectNext("POST", "/v1/documents", Fault.status(429, Map.of("retry-after", "1")));
        seen.add(post("/v1/documents", key, "{\"name\":\"later\",\"content\":\"x\"}"));
        sim.injectNext("POST", "/v1/documents", Fault.status(409));
        seen.add(post("/v1/documents", key, "{\"name\":\"later\",\"content\":\"x\"}"));
        Observed page = send("GET", "/v1/documents?limit=1&order=asc&sort=createdAt", key, null, Map.of()).asExample();
        seen.add(page);
        seen.add(send("GET", "/v1/documents?cursor=" + page.body().get("nextCursor").asText(), other, null, Map.of()));
        seen.add(send("GET", "/v1/documents", null, null, Map.of()));
        sim.injectNext("GET", "/v1/documents/", Fault.status(503));
        sim.injectNext("GET", "/v1/documents/", Fault.status(503));
        seen.add(send("GET", "/v1/documents?limit=1", key, null, Map.of()));
        seen.add(send("GET", "/v1/documents/" + documentId, key, null, Map.of()).asExample());
        seen.add(send("GET", "/v1/documents/" + documentId, other, null, Map.of()));
        seen.add(send("GET", "/v1/documents/" + documentId, null, null, Map.of()));
        sim.injectNext("GET", "/v1/documents/", Fault.status(503));
        sim.injectNext("GET", "/v1/documents/", Fault.status(503));
        seen.add(send("GET", "/v1/documents/" + documentId, key, null, Map.of()));
        seen.add(send("PATCH", "/v1/documents/" + documentId, key, "{\"name\":\"Product FAQ v2\"}", Map.of()));
        seen.add(send("PATCH", "/v1/documents/" + documentId, key, "{}", Map.of()));
        seen.add(send("PATCH", "/v1/documents/" + documentId, other, "{\"name\":\"mine\"}", Map.of()));
        seen.add(send("PATCH", "/v1/documents/" + documentId, null, "{\"name\":\"mine\"}", Map.of()));
        seen.add(send("PATCH", "/v1/documents/" + documentId, key, "{\"content\":\"" + sevenMiB + "\"}", Map.of()));
        sim.injectNext("PATCH", "/v1/documents/", Fault.status(503));
        sim.injectNext("PATCH", "/v1/documents/", Fault.status(503));
        seen.add(send("PATCH", "/v1/documents/" + documentId, key, "{\"name\":\"again\"}", Map.of()));
        sim.injectNext("PATCH", "/v1/documents/", Fault.status(409));
        sim.injectNext("PATCH", "/v1/documents/", Fault.status(409));
        seen.add(send("PATCH", "/v1/documents/" + documentId, key, "{\"name\":\"again\"}", Map.of()));
        seen.add(send("DELETE", "/v1/documents/" + documentId, other, null, Map.of()));
        seen.add(send("DELETE", "/v1/documents/" + documentId, null, null, Map.of()));
        sim.injectNext("DELETE", "/v1/documents/", Fault.status(503));
        sim.injectNext("DELETE", "/v1/documents/", Fault.status(503));
        seen.add(send("DELETE", "/v1/documents/" + documentId, key, null, Map.of()));
        seen.add(send("DELETE", "/v1/documents/" + documentId, key, null, Map.of()));
        seen.add(send("DELETE", "/v1/documents/" + documentId, key, null, Map.of()));
        // Workflows: an app allowed "Product shots" v2 (ceiling 60) and v1 (no ceiling)
        String flows = newApp(100_000, 20, Map.of(SimulatedWorkflows.PRODUCT_SHOTS_V2, 60L));
        String v2 = "/v1/workflows/" + SimulatedWorkflows.PRODUCT_SHOTS_V2;
        // Outages first: a list or workflow Runway answered is reused for RELAY_WORKFLOW_CACHE_SECONDS.
        sim.injectNext("GET", "/v1/workflows", Fault.status(503));
        sim.injectNext("GET", "/v1/workflows", Fault.status(503));
        seen.add(send("GET", "/v1/workflows", flows, null, Map.of()));
        long runwayReads = workflowReads();
        seen.add(send("GET", "/v1/workflows", flows, null, Map.of()));
        seen.add(send("GET", "/v1/workflows", flows, null, Map.of()));
        seen.add(send("GET", "/v1/workflows", null, null, Map.of()));
        assertEquals(runwayReads + 1, workflowReads(), "an outage is not kept; the list then answered is reused");
        sim.injectNext("GET", "/v1/workflows/", Fault.status(503));
        sim.injectNext("GET", "/v1/workflows/", Fault.status(503));
        seen.add(send("GET", v2, flows, null, Map.of()));
        runwayReads = workflowReads();
        seen.add(send("GET", v2, flows, null, Map.of()));
        seen.add(send("GET", v2, flows, null, Map.of()));
        assertEquals(runwayReads + 1, workflowReads(), "an outage is not kept; the workflow then found is reused");
        seen.add(send("GET", v2, null, null, Map.of()));
        seen.add(send("GET", "/v1/workflows/" + SimulatedWorkflows.VOICE_OVER, flows, null, Map.of()));
        Observed run = post(v2, flows, "{}");
        seen.add(run);
        seen.add(post(v2, flows, "{\"nodeOutputs\":{\"n\":{\"k\":{\"type\":\"image\",\"uri\":\"https://127.0.0.1/a.png\"}}}}"));
        seen.add(post(v2, null, "{}"));
        seen.add(post(v2, newApp(10, 5, Map.of(SimulatedWorkflows.PRODUCT_SHOTS_V2, 60L)), "{}"));
        seen.add(post("/v1/workflows/" + SimulatedWorkflows.PRODUCT_SHOTS_V1, flows, "{}"));
        seen.add(post("/v1/workflows/" + SimulatedWorkflows.VOICE_OVER, flows, "{}"));
        String single = newApp(100_000, 1, Map.of(SimulatedWorkflows.PRODUCT_SHOTS_V2, 60L));
        post(v2, single, "{}");
        seen.add(post(v2, single, "{}"));
        sim.injectNext("POST", "/v1/workflows/", Fault.status(429, Map.of("retry-after", "30")));
        seen.add(post(v2, flows, "{\"nodeOutputs\":{\"b2a4c6d8-0001-4000-8000-000000000001\":{\"img\":{\"type\":"
                + "\"image\",\"uri\":\"data:image/png;base64,iVBORw0KGgo" + "A".repeat(399_989) + "\"}}}}"));
        seen.add(send("GET", "/v1/workflow_invocations/" + run.body().get("id").asText(), flows, null, Map.of()));
        seen.add(send("GET", "/v1/workflow_invocations/" + run.body().get("id").asText(), null, null, Map.of()));
        seen.add(send("GET", "/v1/workflow_invocations/" + createdId, key, null, Map.of()));
        // /v1/realtime_sessions and /v1/avatar_conversations: the app's own, budgeted (1 credit/s by default)
        String session = "{\"model\":\"gwm1_avatars\",\"avatar\":{\"type\":\"runway-preset\","
                + "\"presetId\":\"influencer\"},\"maxDuration\":60}";
        String talker = newApp(10_000, 5);
        Observed opened = post("/v1/realtime_sessions", talker, session).asExample();
        seen.add(opened);
        String sessionId = opened.body().get("id").asText();
        seen.add(post("/v1/realtime_sessions", talker, "{\"model\":\"gwm1_avatars\",\"maxDuration\":0}"));
        seen.add(post("/v1/realtime_sessions", null, session));
        seen.add(post("/v1/realtime_sessions", newApp(59, 5), session));
        String oneSlot = newApp(1000, 1);
        post("/v1/realtime_sessions", oneSlot, session);
        seen.add(post("/v1/realtime_sessions", oneSlot, session));
        sim.injectNext("POST", "/v1/realtime_sessions", Fault.status(503));
        seen.add(post("/v1/realtime_sessions", talker, session));
        sim.injectNext("POST", "/v1/realtime_sessions", Fault.status(409));
        seen.add(post("/v1/realtime_sessions", talker, session));
        seen.add(send("GET", "/v1/realtime_sessions/" + sessionId, other, null, Map.of()));
        seen.add(send("GET", "/v1/realtime_sessions/" + sessionId, null, null, Map.of()));
        sim.injectNext("GET", "/v1/realtime_sessions/", Fault.status(503));
        sim.injectNext("GET", "/v1/realtime_sessions/", Fault.status(503));
        seen.add(send("GET", "/v1/realtime_sessions/" + sessionId, talker, null, Map.of()));
        seen.add(send("DELETE", "/v1/realtime_sessions/" + sessionId, other, null, Map.of()));
        seen.add(send("DELETE", "/v1/realtime_sessions/" + sessionId, null, null, Map.of()));
        sim.injectNext("DELETE", "/v1/realtime_sessions/", Fault.status(503));
        sim.injectNext("DELETE", "/v1/realtime_sessions/", Fault.status(503));
        seen.add(send("DELETE", "/v1/realtime_sessions/" + sessionId, talker, null, Map.of()));
        seen.add(send("DELETE", "/v1/realtime_sessions/" + sessionId, talker, null, Map.of()));
        seen.add(send("DELETE", "/v1/realtime_sessions/" + sessionId, talker, null, Map.of()));
        seen.add(send("GET", "/v1/realtime_sessions/" + sessionId, talker, null, Map.of()).asExample());
        post("/v1/realtime_sessions", talker, session);
        Observed conversations = send("GET", "/v1/avatar_conversations?limit=1", talker, null, Map.of());
        seen.add(conversations);
        seen.add(send("GET", "/v1/avatar_conversations?limit=1&cursor="
                + conversations.body().get("nextCursor").asText(), talker, null, Map.of()).asExample());
        Observed badLimit = send("GET", "/v1/avatar_conversations?limit=0", talker, null, Map.of()).asExample();
        seen.add(badLimit);
        assertEquals("Validation of query failed: query parameter 'limit' must be an integer from 1 to 100, got \"0\"",
                badLimit.body().path("detail").asText());
        assertEquals("[\"query\",\"limit\"]", badLimit.body().path("issues").path(0).path("path").toString());
        seen.add(send("GET", "/v1/avatar_conversations", null, null, Map.of()));
        sim.injectNext("GET", "/v1/avatar_conversations/", Fault.status(503));
        sim.injectNext("GET", "/v1/avatar_conversations/", Fault.status(503));
        seen.add(send("GET", "/v1/avatar_conversations?limit=1", talker, null, Map.of()));
        seen.add(send("GET", "/v1/avatar_conversations/" + sessionId, talker, null, Map.of()).asExample());
        seen.add(send("GET", "/v1/avatar_conversations/" + sessionId, other, null, Map.of()));
        seen.add(send("GET", "/v1/avatar_conversations/" + sessionId, null, null, Map.of()));
        sim.injectNext("GET", "/v1/avatar_conversations/", Fault.status(503));
        sim.injectNext("GET", "/v1/avatar_conversations/", Fault.status(503));
        seen.add(send("GET", "/v1/avatar_conversations/" + sessionId, talker, null, Map.of()));
        seen.add(send("DELETE", "/v1/avatar_conversations/" + sessionId, other, null, Map.of()));
        seen.add(send("DELETE", "/v1/avatar_conversations/" + sessionId, null, null, Map.of()));
        sim.injectNext("DELETE", "/v1/avatar_conversations/", Fault.status(503));
        sim.injectNext("DELETE", "/v1/avatar_conversations/", Fault.status(503));
        seen.add(send("DELETE", "/v1/avatar_conversations/" + sessionId, talker, null, Map.of()));
        seen.add(send("DELETE", "/v1/avatar_conversations/" + sessionId, talker, null, Map.of()));
        seen.add(send("DELETE", "/v1/avatar_conversations/" + sessionId, talker, null, Map.of()));
        // GET /v1/avatar_usage: the app's own sessions summed (one unsettled one is read at Runway)
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String range = "?startDate=" + java.time.LocalDate.parse(today).minusDays(1) + "T00:00:00Z&endDate="
                + java.time.LocalDate.parse(today).plusDays(1) + "T00:00:00Z";
        seen.add(send("GET", "/v1/avatar_usage" + range, talker, null, Map.of()).asExample());
        Observed missingEnd = send("GET", "/v1/avatar_usage?startDate=2026-01-01T00:00:00Z", talker, null, Map.of());
        seen.add(missingEnd);
        assertEquals("[\"query\",\"endDate\"]", missingEnd.body().path("issues").path(0).path("path").toString());
        assertTrue(missingEnd.body().path("detail").asText().startsWith("Validation of query failed: query parameter "
                + "'endDate' is required"), missingEnd.body().toString());
        seen.add(send("GET", "/v1/avatar_usage" + range, null, null, Map.of()));
        sim.injectNext("GET", "/v1/avatar_conversations/", Fault.status(503));
        sim.injectNext("GET", "/v1/avatar_conversations/", Fault.status(503));
        seen.add(send("GET", "/v1/avatar_usage" + range, talker, null, Map.of()));
        // /v1/avatars and /v1/voices: the app's own, forwarded to the simulator's organization-wide ones
        String png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
        String designed = "{\"name\":\"Narrator\",\"from\":{\"type\":\"text\",\"model\":\"eleven_ttv_v3\","
                + "\"prompt\":\"A warm, unhurried voice for late-night radio\"}}";
        Observed voice = post("/v1/voices", key, designed).asExample();
        seen.add(voice);
        String voiceId = voice.body().get("id").asText();
        post("/v1/voices", key, designed);
        String avatarBody = "{\"name\":\"Baker\",\"personality\":\"You answer questions about baking.\","
                + "\"referenceImage\":\"" + png + "\",\"voice\":{\"type\":\"runway-live-preset\",\"presetId\":\"clara\"}}";
        Observed avatar = post("/v1/avatars", key, avatarBody).asExample();
        seen.add(avatar);
        String avatarId = avatar.body().get("id").asText();
        post("/v1/avatars", key, avatarBody);
        seen.add(post("/v1/avatars", key, avatarBody.replace("clara\"}", "clara\"},\"documentIds\":[\"" + documentId
                + "\"]").replace("runway-live-preset\",\"presetId\":\"clara", "custom\",\"id\":\"" + voiceId)
                .replace("\"name\":\"Baker\"", "\"name\":\"\"")));
        seen.add(post("/v1/avatars", other, avatarBody.replace("runway-live-preset\",\"presetId\":\"clara",
                "custom\",\"id\":\"" + voiceId)));
        seen.add(post("/v1/voices", key, "{\"name\":\"clone\",\"from\":{\"type\":\"audio\",\"audio\":\"http://10.0.0.1/a.mp3\"}}"));
        for (String collection : List.of("/v1/avatars", "/v1/voices")) {
            String body = collection.equals("/v1/avatars") ? avatarBody : designed;
            String id = collection.equals("/v1/avatars") ? avatarId : voiceId;
            seen.add(post(collection, null, body));
            seen.add(post(collection, key, "{\"name\":\"big\",\"personality\":\"" + sevenMiB + "\"}"));
            sim.injectNext("POST", collection, Fault.status(429, Map.of("retry-after", "1")));
            sim.injectNext("POST", collection, Fault.status(429, Map.of("retry-after", "1")));
            seen.add(post(collection, key, body));
            sim.injectNext("POST", collection, Fault.status(409));
            seen.add(post(collection, key, body));
            seen.add(send("GET", collection + "?limit=1", key, null, Map.of()));
            JsonNode firstPage = send("GET", collection + "?limit=1", key, null, Map.of()).body();
            seen.add(send("GET", collection + "?cursor=" + firstPage.get("nextCursor").asText(), other, null, Map.of()));
            seen.add(send("GET", collection, null, null, Map.of()));
            sim.injectNext("GET", collection + "/", Fault.status(503));
            sim.injectNext("GET", collection + "/", Fault.status(503));
            seen.add(send("GET", collection + "?limit=1", key, null, Map.of()));
            seen.add(send("GET", collection + "/" + id, key, null, Map.of()));
            seen.add(send("GET", collection + "/" + id, other, null, Map.of()));
            seen.add(send("GET", collection + "/" + id, null, null, Map.of()));
            sim.injectNext("GET", collection + "/", Fault.status(503));
            sim.injectNext("GET", collection + "/", Fault.status(503));
            seen.add(send("GET", collection + "/" + id, key, null, Map.of()));
            // Runway refusing a read is passed on (it was a 500); the gateway keeps its record.
            sim.injectNext("GET", collection + "/", Fault.status(400));
            Observed refusedRead = send("GET", collection + "/" + id, key, null, Map.of());
            seen.add(refusedRead);
            assertEquals(400, refusedRead.status(), refusedRead.body().toString());
            assertEquals(200, send("GET", collection + "/" + id, key, null, Map.of()).status());
            seen.add(send("PATCH", collection + "/" + id, key, "{}", Map.of()));
            seen.add(send("PATCH", collection + "/" + id, other, "{\"name\":\"mine\"}", Map.of()));
            seen.add(send("PATCH", collection + "/" + id, null, "{\"name\":\"mine\"}", Map.of()));
            sim.injectNext("PATCH", collection + "/", Fault.status(503));
            sim.injectNext("PATCH", collection + "/", Fault.status(503));
            seen.add(send("PATCH", collection + "/" + id, key, "{\"name\":\"again\"}", Map.of()));
            sim.injectNext("PATCH", collection + "/", Fault.status(409));
            sim.injectNext("PATCH", collection + "/", Fault.status(409));
            seen.add(send("PATCH", collection + "/" + id, key, "{\"name\":\"again\"}", Map.of()));
            // Runway takes no change of an avatar while it is processing: wait until it is done.
            awaitNotProcessing(collection + "/" + id);
            seen.add(send("PATCH", collection + "/" + id, key, "{\"name\":\"Renamed\"}", Map.of()));
            seen.add(send("DELETE", collection + "/" + id, other, null, Map.of()));
            seen.add(send("DELETE", collection + "/" + id, null, null, Map.of()));
            sim.injectNext("DELETE", collection + "/", Fault.status(400));
            Observed refusedDelete = send("DELETE", collection + "/" + id, key, null, Map.of());
            seen.add(refusedDelete);
            assertEquals(400, refusedDelete.status(), refusedDelete.body().toString());
            assertEquals(200, send("GET", collection + "/" + id, key, null, Map.of()).status(), "not deleted, still the app's");
            sim.injectNext("DELETE", collection + "/", Fault.status(503));
            sim.injectNext("DELETE", collection + "/", Fault.status(503));
            seen.add(send("DELETE", collection + "/" + id, key, null, Map.of()));
            seen.add(send("DELETE", collection + "/" + id, key, null, Map.of()));
            seen.add(send("DELETE", collection + "/" + id, key, null, Map.of()));
        }
        String preview = "{\"model\":\"eleven_ttv_v3\",\"prompt\":\"A warm, unhurried voice for late-night radio\"}";
        seen.add(post("/v1/voices/preview", key, preview).asExample());
        seen.add(post("/v1/voices/preview", key, "{\"model\":\"eleven_ttv_v3\",\"prompt\":\"short\"}"));
        seen.add(post("/v1/voices/preview", null, preview));
        sim.injectNext("POST", "/v1/voices/preview", Fault.status(503));
        sim.injectNext("POST", "/v1/voices/preview", Fault.status(503));
        seen.add(post("/v1/voices/preview", key, preview));
        // ANY /v1/{proxy+}: every other path under /v1/, after the key check
        seen.add(send("GET", "/v1/nothing_here", null, null, Map.of()));
        seen.add(send("GET", "/v1/organization/webapp/usage?from=2026-01-01&to=2026-01-02", key, null, Map.of()).asExample());
        seen.add(send("GET", "/v1/nothing_here", key, null, Map.of()).asExample());
        seen.add(send("PUT", "/v1/tasks/" + createdId, key, null, Map.of()).asExample());
        // Any route: an app record the gateway cannot read.
        seen.add(send("GET", "/v1/organization", brokenAppKey(), null, Map.of()));

        List<String> problems = compareWithDocs(seen);
        assertEquals(List.of(), problems);
    }

    @Test
    void runwayConflictOnCreatesAndChangesIs409_nothingIsRecorded_andASessionsReservationIsGivenBack() throws Exception {
        // Budget and one active slot for exactly one 60 s session: a reservation kept by the refused
        // create would make the next create 402 or 429.
        String app = newApp(60, 1);
        String session = "{\"model\":\"gwm1_avatars\",\"avatar\":{\"type\":\"runway-preset\","
                + "\"presetId\":\"influencer\"},\"maxDuration\":60}";
        long sessionCreates = sim.requestCount("POST", "/v1/realtime_sessions");
        sim.injectNext("POST", "/v1/realtime_sessions", Fault.status(409));
        assertConflict(post("/v1/realtime_sessions", app, session));
        assertEquals(sessionCreates + 1, sim.requestCount("POST", "/v1/realtime_sessions"), "a create Runway refused is not repeated");
        assertEquals(200, post("/v1/realtime_sessions", app, session).status());

        sim.injectNext("POST", "/v1/documents", Fault.status(409));
        assertConflict(post("/v1/documents", app, "{\"name\":\"refused\",\"content\":\"x\"}"));
        assertEquals(0, send("GET", "/v1/documents", app, null, Map.of()).body().get("data").size());
        String documentId = post("/v1/documents", app, "{\"name\":\"kept\",\"content\":\"x\"}").body().get("id").asText();
        sim.injectNext("PATCH", "/v1/documents/", Fault.status(409));
        sim.injectNext("PATCH", "/v1/documents/", Fault.status(409));
        assertConflict(send("PATCH", "/v1/documents/" + documentId, app, "{\"name\":\"renamed\"}", Map.of()));
        assertEquals("kept", send("GET", "/v1/documents/" + documentId, app, null, Map.of()).body().get("name").asText());

        String designed = "{\"name\":\"Narrator\",\"from\":{\"type\":\"text\",\"model\":\"eleven_ttv_v3\","
                + "\"prompt\":\"A warm, unhurried voice for late-night radio\"}}";
        sim.injectNext("POST", "/v1/voices", Fault.status(409));
        assertConflict(post("/v1/voices", app, designed));
        assertEquals(0, send("GET", "/v1/voices", app, null, Map.of()).body().get("data").size());
        String voiceId = post("/v1/voices", app, designed).body().get("id").asText();
        sim.injectNext("PATCH", "/v1/voices/", Fault.status(409));
        sim.injectNext("PATCH", "/v1/voices/", Fault.status(409));
        assertConflict(send("PATCH", "/v1/voices/" + voiceId, app, "{\"name\":\"Renamed\"}", Map.of()));
        assertEquals("Narrator", send("GET", "/v1/voices/" + voiceId, app, null, Map.of()).body().get("name").asText());

        // Reads, deletes and the voice preview keep their mapping: a 409 there is Runway being busy.
        sim.injectNext("GET", "/v1/voices/", Fault.status(409));
        sim.injectNext("GET", "/v1/voices/", Fault.status(409));
        assertEquals(503, send("GET", "/v1/voices/" + voiceId, app, null, Map.of()).status());
        sim.injectNext("POST", "/v1/voices/preview", Fault.status(409));
        sim.injectNext("POST", "/v1/voices/preview", Fault.status(409));
        assertEquals(503, post("/v1/voices/preview", app, "{\"model\":\"eleven_ttv_v3\","
                + "\"prompt\":\"A warm, unhurried voice for late-night radio\"}").status());
    }

    @Test
    void runwayConflictOnAnAvatarsCreateOrChangeIs409_andNothingIsRecorded() throws Exception {
        String png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
        String avatarBody = "{\"name\":\"Baker\",\"personality\":\"You answer questions about baking.\","
                + "\"referenceImage\":\"" + png + "\",\"voice\":{\"type\":\"runway-live-preset\",\"presetId\":\"clara\"}}";
        String app = newApp(1000, 5);
        sim.injectNext("POST", "/v1/avatars", Fault.status(409));
        assertConflict(post("/v1/avatars", app, avatarBody));
        assertEquals(0, send("GET", "/v1/avatars", app, null, Map.of()).body().get("data").size());

        String avatarId = post("/v1/avatars", app, avatarBody).body().get("id").asText();
        // What Runway answers a change while the avatar is processing, on the first try and the retry (the
        // simulator's own processing window ends by the clock, so it is not relied on here).
        sim.injectNext("PATCH", "/v1/avatars/", Fault.status(409));
        sim.injectNext("PATCH", "/v1/avatars/", Fault.status(409));
        Observed refused = send("PATCH", "/v1/avatars/" + avatarId, app, "{\"name\":\"Renamed\"}", Map.of());
        assertConflict(refused);
        assertEquals("Baker", send("GET", "/v1/avatars/" + avatarId, app, null, Map.of()).body().get("name").asText());
    }

    private static void assertConflict(Observed answer) {
        assertEquals(409, answer.status(), String.valueOf(answer.body()));
        assertEquals("conflict", answer.slug());
        assertEquals("application/problem+json", answer.headers().get("content-type"));
        String detail = answer.body().get("detail").asText();
        assertTrue(detail.contains("409: Simulated fault: HTTP 409.") && detail.contains("nothing was created or changed"),
                detail);
        assertEquals(detail, answer.body().get("error").asText());
    }

    private List<String> compareWithDocs(List<Observed> seen) throws IOException {
        ApiDoc doc = ApiDoc.load();
        List<String> problems = new ArrayList<>();
        for (Observed o : seen) {
            List<ApiDoc.Row> rows = doc.rows().stream().filter(r -> r.status() == o.status()
                    && (r.route().equals(o.route()) || r.route().equals("*"))).toList();
            if (rows.isEmpty()) {
                problems.add("undocumented: " + o.route() + " " + o.status() + " " + o.body());
                continue;
            }
            ApiDoc.Row row = rows.getFirst();
            String contentType = o.headers().getOrDefault("content-type", "");
            if (!row.contentType().equals(contentType)) {
                problems.add(o.route() + " " + o.status() + ": content-type '" + contentType + "', documented '"
                        + row.contentType() + "'");
            }
            for (String header : row.headers()) {
                if (!o.headers().containsKey(header)) {
                    problems.add(o.route() + " " + o.status() + ": documented header " + header + " is missing");
                }
            }
            if (o.slug() != null && !row.slugs().contains(o.slug())) {
                problems.add(o.route() + " " + o.status() + ": problem type '" + o.slug() + "' is not documented "
                        + row.slugs());
            }
        }
        for (ApiDoc.Row row : doc.rows()) {
            boolean exercised = seen.stream().anyMatch(o -> o.status() == row.status()
                    && (row.route().equals("*") || row.route().equals(o.route())));
            if (!exercised) {
                problems.add("documented but never answered: " + row.route() + " " + row.status());
            }
        }
        doc.examples().forEach((routeAndStatus, example) -> {
            Observed real = seen.stream().filter(o -> o.example() && (o.route() + " " + o.status()).equals(routeAndStatus))
                    .findFirst().orElse(null);
            if (real == null) {
                problems.add("example without a real answer to compare: " + routeAndStatus);
            } else {
                problems.addAll(ApiDoc.shapeDifferences(routeAndStatus, example, real.body()));
            }
        });
        return problems;
    }

    /** Reads an avatar or voice until Runway has processed it (a generous deadline guards against a hang). */
    private void awaitNotProcessing(String path) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (send("GET", path, key, null, Map.of()).body().path("status").asText().equals("PROCESSING")) {
            assertTrue(Instant.now().isBefore(deadline), path + " still processing");
            Thread.onSpinWait();
        }
    }

    private String brokenAppKey() {
        String brokenKey = ApiKeys.mint();
        aws.dynamoDb().putItem(b -> b.tableName(aws.tableName()).item(Map.of(
                "pk", AttributeValue.fromS("key#" + ApiKeys.hash(brokenKey)), "type", AttributeValue.fromS("key"),
                "appId", AttributeValue.fromS("app_broken"))));
        aws.dynamoDb().putItem(b -> b.tableName(aws.tableName()).item(Map.of(
                "pk", AttributeValue.fromS("app#app_broken"), "id", AttributeValue.fromS("app_broken"))));
        return brokenKey;
    }

    @Test
    void outputLinksAreSignedAnewOnEveryRead_andServeTheSameObject() throws Exception {
        byte[] content = "the archived output".getBytes(StandardCharsets.UTF_8);
        Task task = archivedTask(key, content);
        JsonNode first = send("GET", "/v1/tasks/" + task.id(), key, null, Map.of()).body();
        // Signatures carry the signing second: read again once the clock has passed it.
        Instant signedAt = signedAt(URI.create(first.get("output").get(0).asText()));
        awaitCondition(() -> Instant.now().getEpochSecond() > signedAt.getEpochSecond());
        JsonNode second = send("GET", "/v1/tasks/" + task.id(), key, null, Map.of()).body();

        URI a = URI.create(first.get("output").get(0).asText());
        URI b = URI.create(second.get("output").get(0).asText());
        assertNotEquals(a, b);
        assertEquals(a.getPath(), b.getPath());
        assertNotEquals(signature(a), signature(b));
        for (URI link : List.of(a, b)) {
            HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(link).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, download.statusCode());
            assertArrayEquals(content, download.body());
        }
    }

    /** The {@code X-Amz-Date} a pre-signed link was signed at. */
    static Instant signedAt(URI link) {
        for (String part : link.getRawQuery().split("&")) {
            if (part.startsWith("X-Amz-Date=")) {
                return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX")
                        .parse(part.substring("X-Amz-Date=".length()), Instant::from);
            }
        }
        throw new AssertionError("no X-Amz-Date in " + link);
    }

    /** Waits for {@code condition}; the deadline is a hang guard. */
    private static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - guard < 0, "condition not met within the 60 s hang guard");
            Thread.sleep(20);
        }
    }

    private static String signature(URI link) {
        for (String part : link.getRawQuery().split("&")) {
            if (part.startsWith("X-Amz-Signature=")) {
                return part;
            }
        }
        throw new AssertionError("no signature in " + link);
    }

    @Test
    void heldRead_answersTheArchivedTaskWithWorkingLinks_fromTheStoredTaskAlone() throws Exception {
        String id = post("/v1/text_to_image", key, T2I).body().get("id").asText();
        long runwayReadsBefore = sim.requestCount("GET", "/v1/tasks/");
        HttpRequest held = HttpRequest.newBuilder(front.baseUri().resolve("/v1/tasks/" + id)).GET()
                .header("X-Runway-Version", "2024-11-06").header("Authorization", "Bearer " + key)
                .header("Prefer", "wait=25").build();
        var answer = http.sendAsync(held, HttpResponse.BodyHandlers.ofString());
        // What the poller and the archiver would write meanwhile; the held read sees it on a re-read.
        Task submitted = tasks.find(id).orElseThrow();
        byte[] content = "held read output".getBytes(StandardCharsets.UTF_8);
        String objectKey = "outputs/" + submitted.appId() + "/" + id + "/0.png";
        aws.s3().putObject(b -> b.bucket(aws.bucketName()).key(objectKey).contentType("image/png"),
                RequestBody.fromBytes(content));
        assertTrue(tasks.replace(submitted, submitted.next(Instant.now()).state(TaskState.ARCHIVED).actualCredits(8L)
                .archive(List.of(new ArchiveRecord(objectKey, content.length,
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), "image/png")))
                .build()));

        HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("wait=25", response.headers().firstValue("preference-applied").orElse(null));
        JsonNode wire = JSON.readTree(response.body());
        assertEquals("SUCCEEDED", wire.get("status").asText());
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(wire.get("output").get(0).asText()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(content, download.body());
        assertEquals(runwayReadsBefore, sim.requestCount("GET", "/v1/tasks/"), "a held read never asks Runway");
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(front.baseUri().resolve("/v1/tasks/"
                        + UUID.randomUUID())).GET().header("Authorization", "Bearer " + key).header("Prefer", "wait=25")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
    }

    @Test
    void deleteCancelsAtRunway_andTheTaskIsGoneAfterwards() throws Exception {
        String id = post("/v1/text_to_image", key, T2I).body().get("id").asText();
        String runwayId = tasks.find(id).orElseThrow().runway().taskId();

        assertEquals(204, send("DELETE", "/v1/tasks/" + id, key, null, Map.of()).status());
        assertTrue(sim.task(runwayId).orElseThrow().cancelled());
        Task stored = tasks.find(id).orElseThrow();
        assertEquals(TaskState.CANCELLED, stored.state());
        assertTrue(TaskVisibility.deleted(stored));
        assertEquals(404, send("GET", "/v1/tasks/" + id, key, null, Map.of()).status());
        assertEquals(404, send("DELETE", "/v1/tasks/" + id, key, null, Map.of()).status());
    }

    @Test
    void deletingAFinishedTaskRemovesItsArchivedObjects() throws Exception {
        Task task = archivedTask(key, new byte[] {1, 2, 3});
        assertEquals(204, send("DELETE", "/v1/tasks/" + task.id(), key, null, Map.of()).status());
        String objectKey = task.archive().records().getFirst().key();
        try {
            aws.s3().getObject(b -> b.bucket(aws.bucketName()).key(objectKey)).close();
            throw new AssertionError("the archived object still exists");
        } catch (NoSuchKeyException expected) {
            assertEquals(TaskState.ARCHIVED, tasks.find(task.id()).orElseThrow().state());
        }
    }

    @Test
    void anotherAppsTaskIsNotFound() throws Exception {
        String id = post("/v1/text_to_image", key, T2I).body().get("id").asText();
        String stranger = newApp(100, 5);
        assertEquals(404, send("GET", "/v1/tasks/" + id, stranger, null, Map.of()).status());
        assertEquals(404, send("DELETE", "/v1/tasks/" + id, stranger, null, Map.of()).status());
        assertEquals(200, send("GET", "/v1/tasks/" + id, key, null, Map.of()).status());
    }

    @Test
    void officialNodeSdk_createsRetrievesAndDeletesThroughTheGateway() throws Exception {
        OfficialNodeSdk sdk = OfficialNodeSdk.install();
        String sdkKey = newApp(100_000, 20);
        JsonNode checks = JSON.readTree(sdk.run("gateway-sdk.mjs", front.baseUri(), sdkKey)).get("checks");
        String id = checks.get("create").get("id").asText();
        assertEquals(id, checks.get("retrieve").get("id").asText());
        assertTrue(Set.of("PENDING", "THROTTLED", "RUNNING").contains(checks.get("retrieve").get("status").asText()));
        assertEquals("SUBMITTED", checks.get("retrieve").get("relayState").asText());
        assertTrue(sim.task(checks.get("retrieve").get("runwayTaskId").asText()).orElseThrow().cancelled());
        assertEquals("NotFoundError", checks.get("delete").get("retrieveAfterDelete").asText());
        assertEquals(checks.get("idempotent").get("first"), checks.get("idempotent").get("second"));
        assertTrue(checks.get("upload").get("uri").asText().startsWith("runway://"));
        assertTrue(tasks.find(checks.get("upload").get("id").asText()).isPresent());
        assertEquals("BadRequestError", checks.get("badRequest").get("errorClass").asText());
        assertEquals("[\"ratio\"]", checks.get("badRequest").get("issues").get(0).get("path").toString());
        assertEquals("AuthenticationError", checks.get("wrongKey").get("errorClass").asText());
        assertTrue(checks.get("organization").get("creditBalance").asLong() < 100_000);
    }

}
