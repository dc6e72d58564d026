package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.domain.app.ApiKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class LocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final StackLog log = new StackLog(new PrintStream(logged, true, StandardCharsets.UTF_8), StackLog.Level.VERBOSE);

    @TempDir
    Path temp;

    private StackOptions options() {
        return StackOptions.ephemeral().withDataDir(temp.resolve("data")).withPollInterval(Duration.ofMillis(500));
    }

    private HttpResponse<String> get(URI uri, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key).header("X-Runway-Version", "2024-11-06").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Set<Thread> threads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    @Test
    void start_servesRequestsWritesStackJson_andCloseReleasesPortsAndThreads() throws Exception {
        Set<Thread> before = threads();
        LocalStack stack = LocalStack.start(options(), log);
        URI api = stack.apiUrl();
        int apiPort = api.getPort();
        var aws = stack.aws().environment();
        int dynamoPort = URI.create(aws.get("AWS_ENDPOINT_URL_DYNAMODB")).getPort();
        int s3Port = URI.create(aws.get("AWS_ENDPOINT_URL_S3")).getPort();
        int simulatorPort = stack.runwayBaseUrl().getPort();
        Path stackFile = stack.stackFile().orElseThrow();
        try {
            assertTrue(stack.startTime().compareTo(Duration.ofSeconds(60)) < 0, "started in " + stack.startTime());

            HttpResponse<String> routed = get(api.resolve("/v1/organization"), stack.devApp().key());
            assertNotEquals(404, routed.statusCode(), "GET /v1/organization reaches StatusFunction: " + routed.body());
            HttpResponse<String> unknown = get(api.resolve("/v1/nothing_here"), stack.devApp().key());
            assertEquals(404, unknown.statusCode(), "the template's ANY /v1/{proxy+} reaches StatusFunction");
            assertEquals("application/problem+json", unknown.headers().firstValue("content-type").orElse(""));
            assertEquals("urn:runway-relay:problem:no-such-route", JSON.readTree(unknown.body()).path("type").asText());
            HttpResponse<String> outside = get(api.resolve("/v2/nothing_here"), stack.devApp().key());
            assertEquals(404, outside.statusCode());
            assertEquals("{\"message\":\"Not Found\"}", outside.body(), "outside /v1/ no route matches, as in API Gateway");

            JsonNode file = JSON.readTree(stackFile.toFile());
            assertEquals(api.toString(), file.path("apiUrl").asText());
            assertEquals(stack.devApp().key(), file.path("devApp").path("key").asText());
            assertEquals(stack.devApp().appId(), file.path("devApp").path("appId").asText());
            assertEquals("simulator", file.path("runway").path("mode").asText());
            assertEquals(stack.runwayBaseUrl().toString(), file.path("simulator").path("url").asText());
            assertEquals(stack.simulator().orElseThrow().apiKey(), file.path("simulator").path("apiKey").asText());
            assertEquals(aws.get("AWS_ENDPOINT_URL_DYNAMODB"), file.path("dynamodb").path("endpoint").asText());
            assertEquals(aws.get("AWS_ENDPOINT_URL_S3"), file.path("s3").path("endpoint").asText());
            assertEquals(aws.get("RELAY_TABLE"), file.path("dynamodb").path("table").asText());
            assertEquals(aws.get("RELAY_BUCKET"), file.path("s3").path("bucket").asText());
            assertEquals(aws.get("AWS_ACCESS_KEY_ID"), file.path("aws").path("accessKeyId").asText());
            assertEquals(aws.get("AWS_SECRET_ACCESS_KEY"), file.path("aws").path("secretAccessKey").asText());
            assertEquals("us-east-1", file.path("aws").path("region").asText());
            assertEquals("true", file.path("environment").path("AWS_EC2_METADATA_DISABLED").asText());
            assertEquals(ProcessHandle.current().pid(), file.path("pid").asLong());
            assertEquals(new StackFile.Running(api, stack.devApp().key(), StackFile.read(stackFile).orElseThrow().environment(),
                    ProcessHandle.current().pid()), StackFile.read(stackFile).orElseThrow());
            assertEquals(Set.of(), RelayCli.runningStack(temp.resolve("data")).map(r -> Set.of()).orElseThrow());
        } finally {
            stack.close();
        }

        assertFalse(Files.exists(stackFile), "stack.json goes with the stack");
        assertTrue(RelayCli.runningStack(temp.resolve("data")).isEmpty());
        for (int port : List.of(apiPort, dynamoPort, s3Port, simulatorPort)) {
            try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(port, again.getLocalPort());
            }
        }
        awaitTrue("the stack's threads to end", () -> leftovers(before).isEmpty(), () -> describe(leftovers(before)));
    }

    /**
     * Threads started since {@code before} that are still alive, except the JDK's shared ones: the virtual-thread
     * scheduler and its pollers (started once per JVM, whoever first uses a virtual thread), the common pool, and the
     * internals of JDK HTTP clients the functions built (they end when the client is garbage collected or idle); and
     * except new threads of thread groups that existed before (other than this test's): they belong to servers other
     * tests share in this JVM, such as the shared emulators' DynamoDB Local, whose pools start threads lazily.
     */
    private static Set<String> leftovers(Set<Thread> before) {
        System.gc();
        Set<ThreadGroup> otherGroups = before.stream().map(Thread::getThreadGroup).filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet());
        otherGroups.remove(Thread.currentThread().getThreadGroup());
        return threads().stream().filter(t -> !before.contains(t) && t.isAlive())
                .filter(t -> !otherGroups.contains(t.getThreadGroup()))
                .filter(t -> !t.getClass().getName().equals("jdk.internal.misc.CarrierThread"))
                .map(Thread::getName)
                .filter(name -> !name.matches("HttpClient-\\d+-(SelectorManager|Worker-\\d+)|VirtualThread-unblocker|MasterPoller"
                        + "|Read-Poller|Write-Poller|ForkJoinPool-\\d+-delayScheduler|ForkJoinPool\\.commonPool-worker-\\d+|Common-Cleaner"))
                .collect(Collectors.toSet());
    }

    @Test
    void restart_keepsTheDataAndTheDevKey() throws Exception {
        String key;
        String appId;
        try (LocalStack first = LocalStack.start(options(), log)) {
            key = first.devApp().key();
            appId = first.devApp().appId();
        }
        try (LocalStack second = LocalStack.start(options(), log)) {
            assertEquals(key, second.devApp().key());
            var apps = new DynamoDbAppRepository(second.aws().dynamoDb(), second.aws().tableName());
            assertEquals(appId, apps.findByKeyHash(ApiKeys.hash(key)).orElseThrow().id(), "the app survived in DynamoDB Local");
            assertEquals(1, apps.list().size());
        }
        try (LocalStack reset = LocalStack.start(options().withReset(true), log)) {
            assertNotEquals(key, reset.devApp().key(), "--reset starts from nothing");
        }
    }

    @Test
    void start_namesABusyPortAndItsOption_andLeavesNothingRunning() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            Map<String, StackOptions> cases = Map.of(
                    "The API cannot listen on 127.0.0.1:" + port + ": the port is already in use. Stop whatever holds it, or choose another port with --port.",
                    options().withPorts(port, 0, 0, 0),
                    "The Runway simulator cannot listen on 127.0.0.1:" + port, options().withPorts(0, port, 0, 0),
                    "DynamoDB Local cannot listen on 127.0.0.1:" + port, options().withPorts(0, 0, port, 0),
                    "S3 (s3proxy) cannot listen on 127.0.0.1:" + port, options().withPorts(0, 0, 0, port));
            for (var entry : cases.entrySet()) {
                var error = assertThrows(StackStartException.class, () -> LocalStack.start(entry.getValue(), log));
                assertTrue(error.getMessage().startsWith(entry.getKey()), error.getMessage());
                assertFalse(DataDirectory.inUse(temp.resolve("data")), "the data folder is released after a failed start");
            }
            assertTrue(threads().stream().noneMatch(t -> t.getName().startsWith("relay-")), "no stack thread left behind");
        }
    }

    @Test
    void aSecondStackOnTheSameDataFolder_isRefused() {
        try (LocalStack first = LocalStack.start(options(), log)) {
            var error = assertThrows(StackStartException.class, () -> LocalStack.start(options(), log));
            assertTrue(error.getMessage().contains("in use by another ./relay process"), error.getMessage());
            assertTrue(first.apiUrl().getPort() > 0);
        }
    }

    @Test
    void functions_getTheTemplateEnvironmentResolvedForThisMachine() {
        try (LocalStack stack = LocalStack.start(options(), log)) {
            String simulator = stack.runwayBaseUrl().toString();
            String simulatorKey = stack.simulator().orElseThrow().apiKey();
            Map<String, Map<String, String>> environments = stack.environments();
            assertEquals(StackTemplate.fromClasspath().functions().stream().map(FunctionSpec::logicalId).collect(Collectors.toSet()),
                    environments.keySet());
            for (var entry : environments.entrySet()) {
                Map<String, String> env = entry.getValue();
                assertEquals(stack.aws().tableName(), env.get("RELAY_TABLE"), entry.getKey());
                assertEquals(stack.aws().environment().get("AWS_ENDPOINT_URL_DYNAMODB"), env.get("AWS_ENDPOINT_URL_DYNAMODB"), entry.getKey());
                assertEquals("true", env.get("RELAY_ALLOW_LOOPBACK_HTTP"), entry.getKey());
                assertTrue(env.containsKey("RELAY_STREAM_FAILURE_FILE"), "where health finds the stream failures: " + entry.getKey());
                assertFalse(env.containsKey("RUNWAY_API_KEY_SECRET_ARN"), entry.getKey());
                if (env.containsKey("RUNWAY_API_BASE_URL")) {
                    assertEquals(simulator, env.get("RUNWAY_API_BASE_URL"), entry.getKey());
                    assertEquals(simulatorKey, env.get("RUNWAYML_API_SECRET"), entry.getKey());
                }
            }
            assertEquals(StackTemplate.fromClasspath().parameterDefault("OutputHostAllowlist").orElseThrow(),
                    environments.get("ArchiverFunction").get("RELAY_OUTPUT_HOST_ALLOWLIST"), "as deployed; loopback passes by RELAY_ALLOW_LOOPBACK_HTTP");
            assertEquals(LocalStack.LOCAL_POLLER_RUN_SECONDS, environments.get("PollerFunction").get("RELAY_POLLER_RUN_SECONDS"));
        }
    }

    @Test
    void theScheduleInvokesThePoller_andTheStreamReaderFeedsTheArchiver() throws Exception {
        try (LocalStack stack = LocalStack.start(options(), log)) {
            awaitTrue("a poller run", () -> logged().contains("PollerFunction (EveryMinute) ->"), this::logged);

            String pk = "task#" + UUID.randomUUID();
            var dynamo = stack.aws().dynamoDb();
            dynamo.putItem(r -> r.tableName(stack.aws().tableName()).item(Map.of("pk", AttributeValue.fromS(pk),
                    "state", AttributeValue.fromS("SUBMITTED"))));
            dynamo.updateItem(r -> r.tableName(stack.aws().tableName()).key(Map.of("pk", AttributeValue.fromS(pk)))
                    .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "state"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("OUTPUT_READY"))));
            awaitTrue("the archiver to get the change into OUTPUT_READY",
                    () -> logged().lines().anyMatch(line -> line.contains("ArchiverFunction") && line.contains("stream record(s)")), this::logged);
        }
    }

    private static String describe(Set<String> names) {
        return threads().stream().filter(t -> names.contains(t.getName()))
                .map(t -> t.getName() + " group=" + (t.getThreadGroup() == null ? "-" : t.getThreadGroup().getName()) + " daemon=" + t.isDaemon()
                        + " at " + java.util.Arrays.stream(t.getStackTrace()).limit(6).map(Object::toString).toList())
                .collect(Collectors.joining("\n"));
    }

    private String logged() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    private static void awaitTrue(String what, Supplier<Boolean> condition, Supplier<String> detail) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ": " + detail.get());
            }
            Thread.sleep(100);
        }
    }
}
