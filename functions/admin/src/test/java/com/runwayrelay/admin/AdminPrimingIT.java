package com.runwayrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.HttpApiJson;
import com.runwayrelay.aws.priming.LambdaRuntime;
import com.runwayrelay.aws.priming.PrimedApi;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.CloudWatchEmulator;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The SnapStart priming hook ({@link AdminPriming}) of the admin function as Lambda wires it, against DynamoDB
 * Local, s3proxy, the CloudWatch stand-in and the Runway simulator: registered only on the Lambda path, read-only
 * and silent, never failing, and the first real request after it still served.
 */
@WithAwsEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminPrimingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The app id the sample list event of events/ filters on, replaced by a live one. */
    private static final String SAMPLE_APP = "app_0123456789abcdefghjkmnpqrs";

    private final AwsEmulators aws;
    private RunwaySimulator sim;
    private CloudWatchEmulator cloudWatch;
    private Map<String, String> env;

    AdminPrimingIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeAll
    void start() {
        aws.resetData();
        sim = RunwaySimulator.start(SimulatorConfig.builder().build());
        cloudWatch = CloudWatchEmulator.start();
        env = new HashMap<>(AdminCalls.environment(aws, sim.baseUri().toString()));
        env.put("RUNWAYML_API_SECRET", sim.apiKey());
        env.put("AWS_ENDPOINT_URL_CLOUDWATCH", cloudWatch.endpoint().toString());
    }

    @AfterAll
    void stop() {
        cloudWatch.close();
        sim.close();
    }

    private Map<String, String> lambda(Map<String, String> base) {
        Map<String, String> lambda = new HashMap<>(base);
        lambda.put(LambdaRuntime.EXECUTION_ENV, "AWS_Lambda_java21");
        return lambda;
    }

    private static AdminPriming priming(Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api) {
        PrimedApi<?> primed = assertInstanceOf(PrimedApi.class, api, "no priming hook registered");
        return assertInstanceOf(AdminPriming.class, primed.priming());
    }

    @Test
    void registersThePrimingHook_whenWiredInALambdaRuntime() {
        Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api = AdminFunction.fromEnvironment(lambda(env));

        AdminPriming priming = priming(api);
        assertSame(priming, ((PrimedApi<?>) api).priming(), "the handler's API holds the hook strongly");
    }

    @Test
    void registersNoHook_whenWiredFromAMapWithoutTheLambdaRuntime() {
        assertFalse(AdminFunction.fromEnvironment(env) instanceof PrimedApi);
        Map<String, String> other = new HashMap<>(env);
        other.put(LambdaRuntime.EXECUTION_ENV, "local");
        assertFalse(AdminFunction.fromEnvironment(other) instanceof PrimedApi);
    }

    @Test
    void primingAnswersTheOverviewReads_writesNothing_callsNoRunway_andPrintsNothing_whenTheHookRuns() {
        AdminPriming priming = priming(AdminFunction.fromEnvironment(lambda(env)));
        // Something in the table and the bucket to compare, so "unchanged" is not "empty before and after".
        storedTask(storedApp());
        aws.s3().putObject(b -> b.bucket(aws.bucketName()).key("marker"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
        List<Map<String, AttributeValue>> itemsBefore = items();
        List<String> objectsBefore = objects();
        int runwayBefore = sim.requestLog().size();

        Printed<AdminPriming.Outcome> printed = printedWhile(priming::prime);

        AdminPriming.Outcome outcome = printed.result();
        assertEquals(List.of(), outcome.failures());
        assertEquals(Map.of(AdminApi.LIST_TASKS, 200, AdminApi.LIST_APPS, 200, AdminApi.HEALTH, 200,
                AdminApi.METRICS, 200), outcome.statuses(), "every overview read answered");
        assertEquals(itemsBefore, items(), "no DynamoDB write");
        assertEquals(objectsBefore, objects(), "no S3 write");
        assertEquals(runwayBefore, sim.requestLog().size(), "no Runway call");
        assertEquals("", printed.out(), "no log line and no metric on standard output");
        assertEquals("", printed.err(), "nothing on standard error");
    }

    @Test
    void primingRecordsNoMetricForTheNextFlush_whenTheHookRan() throws Exception {
        Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api = AdminFunction.fromEnvironment(lambda(env));
        priming(api).beforeCheckpoint(null);

        // A read that records no metric of its own: its flush prints only what was pending.
        APIGatewayV2HTTPEvent list = listTasks("app_" + "x".repeat(26));
        Printed<APIGatewayV2HTTPResponse> printed = printedWhile(() -> api.apply(list));

        assertEquals(200, printed.result().getStatusCode(), printed.result().getBody());
        assertEquals("", printed.out(), "nothing was pending from priming: no metric document flushed");
    }

    @Test
    void keepsTheFailures_unlogged_andSendsEveryRequest_whenDynamoDbIsUnreachable() throws Exception {
        Map<String, String> broken = lambda(env);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        broken.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + closedPort);
        AdminPriming priming = priming(AdminFunction.fromEnvironment(broken));

        priming.beforeCheckpoint(null); // must not throw: a failing hook would cost the version its snapshot
        Printed<AdminPriming.Outcome> printed = printedWhile(priming::prime);

        AdminPriming.Outcome outcome = printed.result();
        assertEquals(500, outcome.statuses().get(AdminApi.LIST_TASKS), outcome.toString());
        assertEquals(500, outcome.statuses().get(AdminApi.LIST_APPS), outcome.toString());
        assertEquals(200, outcome.statuses().get(AdminApi.METRICS), "the request after the failures was still sent");
        assertEquals(500, outcome.statuses().get(AdminApi.HEALTH), outcome.toString());
        assertEquals(3, outcome.failures().size(), outcome.failures().toString());
        assertTrue(outcome.failures().getFirst().contains("GET /admin/v1/tasks")
                && outcome.failures().getFirst().contains(" failed: "), outcome.failures().toString());
        assertEquals("", printed.out(), "the failures are not logged");
        assertEquals("", printed.err());
    }

    @Test
    void servesTheFirstRealRequest_afterPriming() throws Exception {
        App app = storedApp();
        Task task = storedTask(app);
        Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api = AdminFunction.fromEnvironment(lambda(env));
        AdminPriming priming = priming(api);
        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        APIGatewayV2HTTPResponse response = api.apply(listTasks(app.id()));

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = JSON.readTree(response.getBody());
        assertEquals(1, body.path("data").size(), response.getBody());
        assertEquals(task.id(), body.path("data").get(0).path("id").asText());
    }

    private App storedApp() {
        App app = App.builder("app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 26), "p",
                Instant.now()).build();
        new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName()).create(app, ApiKeys.hash(ApiKeys.mint()));
        return app;
    }

    private Task storedTask(App app) {
        Task task = Task.accepted(UUID.randomUUID().toString(), app.id(), "text_to_image", "gen4_image", "{}", 8,
                Instant.now()).build();
        new DynamoDbTaskRepository(aws.dynamoDb(), aws.tableName(), 1).insert(task);
        return task;
    }

    /** The sample {@code GET /admin/v1/tasks} event of events/ (the benchmark's first event), filtered on {@code appId}. */
    private static APIGatewayV2HTTPEvent listTasks(String appId) throws Exception {
        String json = Files.readString(Path.of("..", "..", "events", "admin", "apigw-list-tasks.json"))
                .replace(SAMPLE_APP, appId);
        return HttpApiJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private List<Map<String, AttributeValue>> items() {
        return aws.dynamoDb().scan(b -> b.tableName(aws.tableName()).consistentRead(true)).items().stream()
                .sorted(java.util.Comparator.comparing(item -> item.get("pk").s() + "|" + item.getOrDefault("sk",
                        AttributeValue.fromS("")).s())).toList();
    }

    private List<String> objects() {
        return aws.s3().listObjectsV2(b -> b.bucket(aws.bucketName())).contents().stream().map(S3Object::key).sorted()
                .toList();
    }

    private record Printed<T>(T result, String out, String err) {
    }

    /** Runs {@code action} with standard output and error captured (tests here run one at a time). */
    private static <T> Printed<T> printedWhile(Supplier<T> action) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        T result;
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            result = action.get();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Printed<>(result, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
    }
}
