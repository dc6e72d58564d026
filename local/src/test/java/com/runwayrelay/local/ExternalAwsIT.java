package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The external backend, with the shared emulators standing in for LocalStack (which needs Docker). */
@WithAwsEmulators
class ExternalAwsIT {
    private final AwsEmulators aws;

    @TempDir
    Path temp;

    ExternalAwsIT(AwsEmulators aws) {
        this.aws = aws;
    }

    private ExternalAws.Settings settings() {
        var credentials = aws.credentials().resolveCredentials();
        return new ExternalAws.Settings(aws.dynamoEndpoint(), aws.s3Endpoint(), aws.region().id(), credentials.accessKeyId(),
                credentials.secretAccessKey());
    }

    @Test
    void connect_createsTheTemplatesTableAndTheBucket_whenMissing_andReusesThem() {
        String name = "relay-ext-" + UUID.randomUUID().toString().substring(0, 8);
        try (ExternalAws external = ExternalAws.connect(settings(), name, name)) {
            var created = aws.dynamoDb().describeTable(r -> r.tableName(name)).table();
            var model = aws.dynamoDb().describeTable(r -> r.tableName(aws.tableName())).table();
            assertEquals(model.keySchema(), created.keySchema());
            assertEquals(model.globalSecondaryIndexes().getFirst().keySchema(), created.globalSecondaryIndexes().getFirst().keySchema());
            assertEquals(model.globalSecondaryIndexes().getFirst().projection(), created.globalSecondaryIndexes().getFirst().projection());
            assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, created.streamSpecification().streamViewType());
            assertEquals(TimeToLiveStatus.ENABLED, aws.dynamoDb().describeTimeToLive(r -> r.tableName(name)).timeToLiveDescription().timeToLiveStatus());
            aws.s3().headBucket(r -> r.bucket(name));
            assertEquals(name, external.environment().get("RELAY_TABLE"));
            assertEquals(aws.s3Endpoint().toString(), external.environment().get("AWS_ENDPOINT_URL_S3"));
        }
        try (ExternalAws again = ExternalAws.connect(settings(), name, name)) {
            assertEquals(name, again.tableName());
        }
    }

    @Test
    void connect_addsTheTemplatesNewIndexes_toATableCreatedBeforeThem() {
        String name = "relay-old-" + UUID.randomUUID().toString().substring(0, 8);
        var model = aws.dynamoDb().describeTable(r -> r.tableName(aws.tableName())).table();
        var due = model.globalSecondaryIndexes().stream().filter(i -> i.indexName().equals("due-index")).findFirst().orElseThrow();
        aws.dynamoDb().createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(model.keySchema())
                .attributeDefinitions(model.attributeDefinitions().stream()
                        .filter(a -> List.of("pk", "dueShard", "dueAt").contains(a.attributeName())).toList())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(due.indexName()).keySchema(due.keySchema())
                        .projection(due.projection()).build())
                .streamSpecification(model.streamSpecification()));

        try (ExternalAws external = ExternalAws.connect(settings(), name, name)) {
            var upgraded = aws.dynamoDb().describeTable(r -> r.tableName(name)).table();
            Set<String> templates = model.globalSecondaryIndexes().stream().map(i -> i.indexName())
                    .collect(Collectors.toSet());
            assertTrue(templates.containsAll(Set.of("due-index", "app-index", "list-index", "owned-index")), templates::toString);
            assertEquals(templates,
                    upgraded.globalSecondaryIndexes().stream().map(i -> i.indexName()).collect(Collectors.toSet()));
        }
    }

    @Test
    void localStack_runsOnExternalEndpoints() throws Exception {
        StackOptions options = StackOptions.ephemeral().withDataDir(temp.resolve("data")).withExternalAws(settings());
        try (LocalStack stack = LocalStack.start(options, new StackLog(System.out, StackLog.Level.QUIET))) {
            var apps = new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName());
            assertEquals(stack.devApp().appId(), apps.findByKeyHash(ApiKeys.hash(stack.devApp().key())).orElseThrow().id(),
                    "the dev app lives in the external table");
            assertEquals(aws.dynamoEndpoint().toString(), stack.environments().get("SubmitFunction").get("AWS_ENDPOINT_URL_DYNAMODB"));
            assertEquals("DynamoDB (external)", stack.aws().dynamoLabel());
        }
    }

    @Test
    void localStack_usesASimulatorRunningElsewhere_andNamesItInTheStackFile() throws Exception {
        try (RunwaySimulator simulator = RunwaySimulator.start(SimulatorConfig.defaults())) {
            StackOptions options = StackOptions.ephemeral().withDataDir(temp.resolve("sim")).withExternalAws(settings())
                    .withExternalSimulator(new StackOptions.ExternalSimulator(simulator.baseUri(), simulator.apiKey()));
            try (LocalStack stack = LocalStack.start(options, new StackLog(System.out, StackLog.Level.QUIET))) {
                assertTrue(stack.simulator().isEmpty(), "the stack starts no simulator of its own");
                assertEquals(simulator.apiKey(), stack.simulatorKey().orElseThrow());
                assertEquals(simulator.baseUri(), stack.runwayBaseUrl());
                assertEquals(simulator.apiKey(), stack.environments().get("SubmitFunction").get("RUNWAYML_API_SECRET"));
                var file = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stack.stackFile().orElseThrow().toFile());
                assertEquals("simulator", file.path("runway").path("mode").asText());
                assertEquals(simulator.baseUri().toString(), file.path("simulator").path("url").asText());

                HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/text_to_image"))
                        .header("Authorization", "Bearer " + stack.devApp().key()).header("X-Runway-Version", "2024-11-06")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gen4_image\",\"promptText\":\"x\",\"ratio\":\"1920:1080\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, created.statusCode(), created.body());
                assertEquals(1, simulator.createdTaskCount(), "the create reached the external simulator");
            }
        }
    }

    @Test
    void connect_explainsAnUnreachableEndpoint() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closed);
        var error = assertThrows(StackStartException.class,
                () -> ExternalAws.connect(new ExternalAws.Settings(nowhere, nowhere, "us-east-1", "test", "test"), "t1", "b1"));
        assertTrue(error.getMessage().startsWith("cannot reach the AWS endpoints " + nowhere), error.getMessage());
        assertTrue(error.getMessage().endsWith("(is LocalStack running?)"), error.getMessage());
    }
}
