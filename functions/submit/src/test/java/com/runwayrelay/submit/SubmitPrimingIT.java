package com.runwayrelay.submit;

import static com.runwayrelay.submit.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.aws.priming.LambdaRuntime;
import com.runwayrelay.aws.priming.PrimedApi;
import com.runwayrelay.aws.priming.PrimingApps;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
 * The SnapStart priming hook ({@link SubmitPriming}) of the submit function as Lambda wires it, against DynamoDB
 * Local, s3proxy and the Runway simulator: registered only on the Lambda path, read-only and silent, never
 * failing, and the first real request after it still served.
 */
@WithAwsEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubmitPrimingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String T2I = "{\"model\":\"gen4_image\",\"promptText\":\"A lighthouse\",\"ratio\":\"1920:1080\"}";

    private final AwsEmulators aws;
    private RunwaySimulator sim;
    private Map<String, String> env;

    SubmitPrimingIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeAll
    void start() {
        aws.resetData();
        sim = RunwaySimulator.start(SimulatorConfig.builder().build());
        env = new HashMap<>(aws.environment());
        env.put("RUNWAY_API_BASE_URL", sim.baseUri().toString());
        env.put("RUNWAYML_API_SECRET", sim.apiKey());
    }

    @AfterAll
    void stop() {
        sim.close();
    }

    private Map<String, String> lambda(Map<String, String> base) {
        Map<String, String> lambda = new HashMap<>(base);
        lambda.put(LambdaRuntime.EXECUTION_ENV, "AWS_Lambda_java21");
        return lambda;
    }

    private static SubmitPriming priming(Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api) {
        PrimedApi<?> primed = assertInstanceOf(PrimedApi.class, api, "no priming hook registered");
        return assertInstanceOf(SubmitPriming.class, primed.priming());
    }

    @Test
    void registersThePrimingHook_whenWiredInALambdaRuntime() {
        Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api = SubmitFunction.fromEnvironment(lambda(env));

        SubmitPriming priming = priming(api);
        assertSame(priming, ((PrimedApi<?>) api).priming(), "the handler's API holds the hook strongly");
    }

    @Test
    void registersNoHook_whenWiredFromAMapWithoutTheLambdaRuntime() {
        assertFalse(SubmitFunction.fromEnvironment(env) instanceof PrimedApi);
        Map<String, String> other = new HashMap<>(env);
        other.put(LambdaRuntime.EXECUTION_ENV, "local");
        assertFalse(SubmitFunction.fromEnvironment(other) instanceof PrimedApi);
    }

    @Test
    void primingWritesNothing_callsNoRunway_andPrintsNoLogOrMetric_whenTheHookRuns() throws Exception {
        SubmitPriming priming = priming(SubmitFunction.fromEnvironment(lambda(env)));
        // Something in the table and the bucket to compare, so "unchanged" is not "empty before and after".
        new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName()).create(
                App.builder("app_" + UUID.randomUUID().toString().replace("-", ""), "p", Instant.now()).build(),
                ApiKeys.hash(ApiKeys.mint()));
        aws.s3().putObject(b -> b.bucket(aws.bucketName()).key("marker"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
        List<Map<String, AttributeValue>> itemsBefore = items();
        List<String> objectsBefore = objects();
        int runwayBefore = sim.requestLog().size();

        Printed<SubmitPriming.Outcome> printed = printedWhile(priming::prime);

        SubmitPriming.Outcome outcome = printed.result();
        assertEquals(List.of(), outcome.failures());
        assertTrue(outcome.schemasCompiled());
        assertTrue(outcome.sampleAccepted(), "the sample body passes the check");
        assertEquals(401, outcome.status(), "the unknown key is refused after its lookup");
        assertEquals(itemsBefore, items(), "no DynamoDB write");
        assertEquals(objectsBefore, objects(), "no S3 write");
        assertEquals(runwayBefore, sim.requestLog().size(), "no Runway call");
        assertEquals("", printed.out(), "no log line and no metric on standard output");
        assertEquals("", printed.err(), "nothing on standard error");
    }

    @Test
    void primingRecordsNoMetricForTheNextFlush_whenTheHookRan() throws Exception {
        Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api = SubmitFunction.fromEnvironment(lambda(env));
        priming(api).beforeCheckpoint(null);

        // A request that records no metric of its own (401 at the edge): its flush prints only what was pending.
        Printed<APIGatewayV2HTTPResponse> printed = printedWhile(() -> api.apply(event("apigw-text-to-image", T2I, PrimingApps.UNKNOWN_KEY,
                UUID.randomUUID().toString())));

        assertEquals(401, printed.result().getStatusCode());
        assertEquals("", printed.out(), "nothing was pending from priming: no metric document flushed");
    }

    @Test
    void swallowsTheFailure_andStillAnswers_whenDynamoDbIsUnreachable() throws Exception {
        Map<String, String> broken = lambda(env);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        broken.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + closedPort);
        SubmitPriming priming = priming(SubmitFunction.fromEnvironment(broken));

        priming.beforeCheckpoint(null); // must not throw: a failing hook would cost the version its snapshot
        Printed<SubmitPriming.Outcome> printed = printedWhile(priming::prime);

        SubmitPriming.Outcome outcome = printed.result();
        assertEquals(1, outcome.failures().size(), outcome.failures().toString());
        assertTrue(outcome.failures().getFirst().startsWith("app lookup: "), outcome.failures().toString());
        assertTrue(outcome.schemasCompiled(), "the steps after the failure still ran");
        assertTrue(outcome.sampleAccepted());
        assertEquals(401, outcome.status(), "the failed lookup reads as an unknown key, not a 500 that AppEdge logs");
        assertEquals("", printed.out(), "the failure is not logged");
    }

    @Test
    void servesTheFirstRealRequest_afterPriming() throws Exception {
        String key = ApiKeys.mint();
        new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName()).create(App.builder(
                "app_" + UUID.randomUUID().toString().replace("-", ""), "first", Instant.now())
                .dailyCreditBudget(100_000).maxActiveTasks(50).build(), ApiKeys.hash(key));
        Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api = SubmitFunction.fromEnvironment(lambda(env));
        SubmitPriming priming = priming(api);
        priming.beforeCheckpoint(null);
        priming.afterRestore(null);
        int created = sim.createdTaskCount();

        APIGatewayV2HTTPResponse response = api.apply(event("apigw-text-to-image", T2I, key,
                UUID.randomUUID().toString()));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertTrue(JSON.readTree(response.getBody()).path("id").isTextual());
        assertEquals(created + 1, sim.createdTaskCount());
    }

    private List<Map<String, AttributeValue>> items() {
        return aws.dynamoDb().scan(b -> b.tableName(aws.tableName()).consistentRead(true)).items().stream()
                .sorted(java.util.Comparator.comparing(item -> item.get("pk").s())).toList();
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
