package com.runwayrelay.submit;

import static com.runwayrelay.submit.Fixtures.FIXTURE_KEY;
import static com.runwayrelay.submit.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.DynamoDbIdempotencyStore;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.IdempotencyStore.IdempotencyRecord;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.media.HostResolver;
import com.runwayrelay.domain.runway.TaskCreation;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.UploadSlot;
import com.runwayrelay.simulator.Fault;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real {@link SubmitHandler}, wired from an environment map as Lambda would wire it, against
 * DynamoDB Local, s3proxy and the Runway simulator. Media and callback hosts resolve through the
 * hostile corpus's fake DNS, whose allowlist the handler is configured with.
 */
@WithAwsEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubmitHandlerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String T2I = "{\"model\":\"gen4_image\",\"promptText\":\"A lighthouse\",\"ratio\":\"1920:1080\"}";

    private final AwsEmulators aws;
    private RunwaySimulator sim;
    private HostileCorpus corpus;
    private SubmitHandler handler;
    private DynamoDbAppRepository apps;
    private DynamoDbTaskRepository tasks;

    SubmitHandlerIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeAll
    void start() throws Exception {
        aws.resetData();
        sim = RunwaySimulator.start(SimulatorConfig.builder().build());
        corpus = HostileCorpus.load();
        Map<String, String> env = new HashMap<>(aws.environment());
        env.put("RUNWAY_API_BASE_URL", sim.baseUri().toString());
        env.put("RUNWAYML_API_SECRET", sim.apiKey());
        env.put("RELAY_MEDIA_HOST_ALLOWLIST", String.join(",", corpus.allowlist()));
        // Concurrent duplicates wait for the first request's answer; the longest wait allowed is
        // their hang guard on a loaded machine (the default 10 s would be a bound on the first create).
        env.put("RELAY_IDEMPOTENCY_WAIT_SECONDS", "25");
        HostResolver corpusDns = corpus.resolver();
        HostResolver hooks = Fixtures.testDns();
        HostResolver dns = host -> host.equals("hooks.example.com") ? hooks.resolve(host) : corpusDns.resolve(host);
        handler = new SubmitHandler(SubmitFunction.fromEnvironment(env, dns));
        apps = new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName());
        tasks = new DynamoDbTaskRepository(aws.dynamoDb(), aws.tableName(), 8);
        apps.create(app("app_fixture", 100_000), ApiKeys.hash(FIXTURE_KEY));
    }

    @AfterAll
    void stop() {
        sim.close();
    }

    private static App app(String id, long budget) {
        return App.builder(id, id, Instant.now()).dailyCreditBudget(budget).maxActiveTasks(50).build();
    }

    private String newApp(long budget) {
        String key = ApiKeys.mint();
        apps.create(app("app_" + UUID.randomUUID().toString().replace("-", ""), budget), ApiKeys.hash(key));
        return key;
    }

    private APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, null);
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    private static APIGatewayV2HTTPEvent post(String endpoint, String body, String key, String idempotencyKey) {
        APIGatewayV2HTTPEvent event = event("apigw-text-to-image", body, key, idempotencyKey);
        event.setRouteKey("POST /v1/" + endpoint);
        event.setRawPath("/v1/" + endpoint);
        event.getRequestContext().setRouteKey("POST /v1/" + endpoint);
        return event;
    }

    @Test
    void createsARunwayTask_andRecordsItSubmitted() throws Exception {
        int before = sim.createdTaskCount();
        APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image-relay"));

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = body(response);
        Task task = tasks.find(body.get("id").asText()).orElseThrow();
        assertEquals(TaskState.SUBMITTED, task.state());
        assertEquals(before + 1, sim.createdTaskCount());
        assertTrue(sim.task(task.runway().taskId()).isPresent());
        assertTrue(!sim.task(task.runway().taskId()).orElseThrow().requestBody().contains("relay"));
        assertEquals("https://hooks.example.com/runway", task.request().callbackUrl());
        assertEquals(task.request().estimatedCredits(), body.get("estimatedCost").get("credits").asLong());
    }

    @Test
    void twentyConcurrentDuplicatesCreateExactlyOneRunwayTask() throws Exception {
        String key = newApp(100_000);
        String idempotencyKey = UUID.randomUUID().toString();
        long usageBefore = simulatorDailyGenerations("gen4_image");
        int before = sim.createdTaskCount();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<APIGatewayV2HTTPResponse>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call(post("text_to_image", T2I, key, idempotencyKey));
                }));
            }
            go.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<APIGatewayV2HTTPResponse> f : futures) {
                APIGatewayV2HTTPResponse response = f.get();
                assertEquals(200, response.getStatusCode(), response.getBody());
                ids.add(body(response).get("id").asText());
            }
            assertEquals(1, ids.size());
        }
        assertEquals(before + 1, sim.createdTaskCount());
        assertEquals(usageBefore + 1, simulatorDailyGenerations("gen4_image"));
    }

    @Test
    void refusesOverBudget_with402AndTheNumbers() throws Exception {
        String key = newApp(1);
        APIGatewayV2HTTPResponse response = call(post("text_to_image", T2I, key, null));

        assertEquals(402, response.getStatusCode());
        JsonNode problem = body(response);
        assertEquals(1, problem.get("dailyCreditBudget").asLong());
        assertEquals(0, problem.get("usedCredits").asLong());
        assertTrue(problem.get("requestedCredits").asLong() > 1);
    }

    @Test
    void refusesAnUnknownKey_with401() throws Exception {
        APIGatewayV2HTTPResponse response = call(post("text_to_image", T2I, ApiKeys.mint(), null));
        assertEquals(401, response.getStatusCode());
        assertTrue(body(response).has("error"));
    }

    @Test
    void listsEveryViolation_with400() throws Exception {
        APIGatewayV2HTTPResponse response = call(post("image_to_video",
                "{\"model\":\"gen4_turbo\",\"promptImage\":\"https://127.0.0.1/a.png\",\"ratio\":\"5:4\",\"duration\":7,"
                        + "\"relay\":{\"callbackUrl\":\"https://169.254.169.254/hook\"}}", FIXTURE_KEY, null));
        assertEquals(400, response.getStatusCode());
        JsonNode issues = body(response).get("issues");
        assertTrue(issues.size() >= 4, issues::toString);
    }

    @Test
    void refusesACallbackToAPrivateAddress_with400_andCreatesNothing() throws Exception {
        int before = sim.createdTaskCount();
        APIGatewayV2HTTPResponse response = call(post("text_to_image",
                T2I.replace("}", ",\"relay\":{\"callbackUrl\":\"https://10.0.0.5/hook\"}}"), FIXTURE_KEY, null));

        assertEquals(400, response.getStatusCode());
        JsonNode issue = body(response).get("issues").get(0);
        assertEquals("[\"relay\",\"callbackUrl\"]", issue.get("path").toString());
        assertEquals(before, sim.createdTaskCount());
    }

    @Test
    void refusesAKeyReusedForAnotherBody_with422() {
        String idempotencyKey = UUID.randomUUID().toString();
        assertEquals(200, call(post("text_to_image", T2I, FIXTURE_KEY, idempotencyKey)).getStatusCode());
        assertEquals(422, call(post("text_to_image", T2I.replace("lighthouse", "windmill"), FIXTURE_KEY,
                idempotencyKey)).getStatusCode());
    }

    @Test
    void rejectsEveryHostileMediaUri_withoutCreatingARunwayTask() throws Exception {
        assertTrue(corpus.entries().size() >= 60, "corpus has " + corpus.entries().size() + " entries");
        int before = sim.createdTaskCount();
        List<String> accepted = new ArrayList<>();
        for (HostileCorpus.Entry entry : corpus.entries()) {
            ObjectNode body = JSON.createObjectNode();
            String endpoint;
            String field;
            switch (entry.kind()) {
                case "video" -> {
                    endpoint = "video_to_video";
                    field = "videoUri";
                    body.put("model", "aleph2");
                }
                case "audio" -> {
                    endpoint = "voice_isolation";
                    field = "audioUri";
                    body.put("model", "eleven_voice_isolation");
                }
                default -> {
                    endpoint = "image_to_video";
                    field = "promptImage";
                    body.put("model", "gen4_turbo").put("ratio", "1280:720").put("duration", 5);
                }
            }
            body.put(field, entry.uri());
            APIGatewayV2HTTPResponse response = call(post(endpoint, body.toString(), FIXTURE_KEY, null));
            boolean flagged = response.getStatusCode() == 400 && body(response).get("issues").toString()
                    .contains("[\"" + field + "\"]");
            if (!flagged) {
                accepted.add(entry + " -> " + response.getStatusCode());
            }
        }
        assertEquals(List.of(), accepted);
        assertEquals(before, sim.createdTaskCount());
    }

    @Test
    void uploadSlotPassesThrough_andItsUriWorksInARequest() throws Exception {
        APIGatewayV2HTTPResponse response = call(event("apigw-uploads"));
        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode slot = body(response);
        Map<String, String> fields = new LinkedHashMap<>();
        slot.get("fields").properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
        byte[] png = new byte[1024];
        try (RunwayClient client = RunwayClient.builder().apiKey("not-sent-to-storage").baseUri(sim.baseUri()).build()) {
            client.uploadFile(new UploadSlot(URI.create(slot.get("uploadUrl").asText()), fields,
                    slot.get("runwayUri").asText()), "lighthouse.png", new ByteArrayInputStream(png), png.length);
        }
        String request = "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + slot.get("runwayUri").asText()
                + "\",\"ratio\":\"1280:720\",\"duration\":5}";
        APIGatewayV2HTTPResponse created = call(post("image_to_video", request, FIXTURE_KEY, null));
        assertEquals(200, created.getStatusCode(), created.getBody());
    }

    @Test
    void relaysRunwaysOwn400_andReleasesTheBudget() throws Exception {
        String key = newApp(100_000);
        String request = "{\"model\":\"gen4_turbo\",\"promptImage\":\"runway://ephemeral/" + UUID.randomUUID()
                + "\",\"ratio\":\"1280:720\",\"duration\":5}";
        APIGatewayV2HTTPResponse response = call(post("image_to_video", request, key, null));

        assertEquals(400, response.getStatusCode(), response.getBody());
        JsonNode problem = body(response);
        assertEquals("urn:runway-relay:problem:runway-rejected", problem.get("type").asText());
        assertTrue(problem.get("issues").size() > 0);
        Task task = tasks.find(problem.get("id").asText()).orElseThrow();
        assertEquals(TaskState.FAILED, task.state());
        UsageLedger ledger = new DynamoDbUsageLedger(aws.dynamoDb(), aws.tableName());
        assertEquals(0, ledger.usage(task.appId(), UsageLedger.dayOf(task.createdAt())).usedCredits());
    }

    @Test
    void leavesTheTaskAccepted_whenRunwayAnswers429() throws Exception {
        sim.injectNext("POST", "/v1/text_to_image", Fault.status(429, Map.of("retry-after", "30")));
        APIGatewayV2HTTPResponse response = call(post("text_to_image", T2I, FIXTURE_KEY, null));

        assertEquals(200, response.getStatusCode(), response.getBody());
        Task task = tasks.find(body(response).get("id").asText()).orElseThrow();
        assertEquals(TaskState.ACCEPTED, task.state());
        assertTrue(TaskCreation.mayCreate(task));
        assertTrue(task.dueAt().isAfter(task.createdAt().plusSeconds(25)));
    }

    @Test
    void marksTheTaskAmbiguous_whenTheConnectionDropsAfterTheCreate() throws Exception {
        int before = sim.createdTaskCount();
        sim.injectNext("POST", "/v1/text_to_image", Fault.resetAfterRequest());
        APIGatewayV2HTTPResponse response = call(post("text_to_image", T2I, FIXTURE_KEY, null));

        assertEquals(200, response.getStatusCode(), response.getBody());
        Task task = tasks.find(body(response).get("id").asText()).orElseThrow();
        assertEquals(TaskCreation.AMBIGUOUS, task.stateReason());
        assertNull(task.dueAt());
        assertEquals(before + 1, sim.createdTaskCount());
    }

    @Test
    void acceptsALoopbackCallback_onlyWhenTheLocalStackAllowsIt() throws Exception {
        Map<String, String> env = new HashMap<>(aws.environment());
        env.put("RUNWAY_API_BASE_URL", sim.baseUri().toString());
        env.put("RUNWAYML_API_SECRET", sim.apiKey());
        env.put("RELAY_ALLOW_LOOPBACK_HTTP", "true");
        SubmitHandler local = new SubmitHandler(SubmitFunction.fromEnvironment(env));
        String body = "{\"model\":\"gen4_image\",\"promptText\":\"x\",\"ratio\":\"1920:1080\","
                + "\"relay\":{\"callbackUrl\":\"http://127.0.0.1:8080/hook\"}}";

        APIGatewayV2HTTPResponse accepted = local.handleRequest(post("text_to_image", body, FIXTURE_KEY, null), null);
        assertEquals(200, accepted.getStatusCode(), accepted.getBody());
        assertEquals("http://127.0.0.1:8080/hook",
                tasks.find(body(accepted).get("id").asText()).orElseThrow().request().callbackUrl());
        APIGatewayV2HTTPResponse refused = call(post("text_to_image", body, FIXTURE_KEY, null));
        assertEquals(400, refused.getStatusCode());
    }

    private long simulatorDailyGenerations(String model) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(sim.baseUri().resolve("/v1/organization"))
                    .header("Authorization", "Bearer " + sim.apiKey()).header("X-Runway-Version", "2024-11-06").build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body()).path("usage").path("models").path(model).path("dailyGenerations").asLong();
        }
    }

    /** Leaves in the table what a request killed after its claim (and, with {@code task}, its first write) leaves. */
    private String killedRequest(String appKey, String idempotencyKey, boolean taskWritten) throws Exception {
        App app = apps.findByKeyHash(ApiKeys.hash(appKey)).orElseThrow();
        String taskId = UUID.randomUUID().toString();
        Instant arrived = Instant.now().minusSeconds(120);
        new DynamoDbIdempotencyStore(aws.dynamoDb(), aws.tableName()).claim(new IdempotencyRecord(app.id(),
                idempotencyKey, CanonicalJson.fingerprint("text_to_image", JSON.readTree(T2I)), taskId, null, arrived,
                arrived.plusSeconds(86_400), arrived.plusSeconds(30)), arrived);
        long credits = 8;
        new DynamoDbUsageLedger(aws.dynamoDb(), aws.tableName()).admit(new UsageLedger.Reservation(app.id(), taskId,
                "gen4_image", arrived, credits, app.dailyCreditBudget(), app.maxActiveTasks()));
        if (taskWritten) {
            Task accepted = Task.accepted(taskId, app.id(), "text_to_image", "gen4_image", T2I, credits, arrived)
                    .idempotencyKey(idempotencyKey).ambiguousCreates(app.ambiguousCreates())
                    .admittedBudget(app.dailyCreditBudget()).build();
            tasks.insert(TaskCreation.begin(accepted, arrived).toBuilder().dueAt(arrived.plusSeconds(60)).build());
        }
        return taskId;
    }

    @Test
    void retryAfterAKilledRequestsLease_takesItOverAndCreatesOnce_whenNoTaskWasWritten() throws Exception {
        String key = newApp(10_000);
        String taskId = killedRequest(key, "killed-1", false);
        int before = sim.createdTaskCount();

        APIGatewayV2HTTPResponse response = call(post("text_to_image", T2I, key, "killed-1"));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(taskId, body(response).get("id").asText());
        assertEquals(before + 1, sim.createdTaskCount());
        assertEquals(TaskState.SUBMITTED, tasks.find(taskId).orElseThrow().state());
        App app = apps.findByKeyHash(ApiKeys.hash(key)).orElseThrow();
        assertEquals(1, new DynamoDbUsageLedger(aws.dynamoDb(), aws.tableName())
                .usage(app.id(), UsageLedger.dayOf(tasks.find(taskId).orElseThrow().createdAt())).tasks(),
                "admitted once");
        assertEquals("true", call(post("text_to_image", T2I, key, "killed-1")).getHeaders().get("idempotent-replayed"));
        assertEquals(before + 1, sim.createdTaskCount());
    }

    @Test
    void retryAfterAKilledRequestsLease_neverCreatesAgain_whenItsCreateWasInFlight() throws Exception {
        String key = newApp(10_000);
        String taskId = killedRequest(key, "killed-2", true);
        int before = sim.createdTaskCount();

        APIGatewayV2HTTPResponse response = call(post("text_to_image", T2I, key, "killed-2"));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(taskId, body(response).get("id").asText());
        assertEquals(before, sim.createdTaskCount());
        Task task = tasks.find(taskId).orElseThrow();
        assertEquals(TaskCreation.AMBIGUOUS, task.stateReason());
        assertEquals(8, task.runway().possibleOrphanCredits());
        App app = apps.findByKeyHash(ApiKeys.hash(key)).orElseThrow();
        assertEquals(1, new DynamoDbUsageLedger(aws.dynamoDb(), aws.tableName())
                .usage(app.id(), UsageLedger.dayOf(task.createdAt())).possibleOrphans());
    }
}
