package com.runwayrelay.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Starting, stopping, restarting and port handling; each test runs its own emulators. */
class AwsEmulatorsLifecycleIT {

    @Test
    void persistentData_survivesRestart(@TempDir Path data) {
        try (AwsEmulators first = AwsEmulators.start(EmulatorOptions.persistentIn(data))) {
            first.dynamoDb().putItem(r -> r.tableName(first.tableName()).item(Map.of("pk", AttributeValue.fromS("kept"))));
            first.s3().putObject(r -> r.bucket(first.bucketName()).key("kept.txt"), RequestBody.fromString("still here"));
        }

        try (AwsEmulators second = AwsEmulators.start(EmulatorOptions.persistentIn(data))) {
            assertTrue(second.dynamoDb().getItem(r -> r.tableName(second.tableName()).key(Map.of("pk", AttributeValue.fromS("kept"))))
                    .hasItem());
            assertEquals("still here", second.s3().getObjectAsBytes(r -> r.bucket(second.bucketName()).key("kept.txt")).asUtf8String());
        }
    }

    @Test
    void inMemoryData_isGone_afterRestart() {
        try (AwsEmulators first = AwsEmulators.start()) {
            first.dynamoDb().putItem(r -> r.tableName(first.tableName()).item(Map.of("pk", AttributeValue.fromS("lost"))));
        }
        try (AwsEmulators second = AwsEmulators.start()) {
            assertEquals(0, second.dynamoDb().scan(r -> r.tableName(second.tableName())).count());
        }
    }

    @Test
    void start_failsNamingTheDataFolder_whenKeptTableNoLongerMatchesTemplate(@TempDir Path data) {
        try (AwsEmulators first = AwsEmulators.start(EmulatorOptions.persistentIn(data))) {
            first.dynamoDb().deleteTable(r -> r.tableName(first.tableName()));
            first.dynamoDb().createTable(r -> r.tableName(first.tableName()).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.N).build())
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        }

        EmulatorStartException e = assertThrows(EmulatorStartException.class, () -> AwsEmulators.start(EmulatorOptions.persistentIn(data)));
        assertTrue(e.getMessage().contains("no longer matches template.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains(data.resolve("dynamodb").toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void start_addsTheIndexesTheTemplateGained_toAKeptTable_keepingItsItems(@TempDir Path data) {
        try (AwsEmulators first = AwsEmulators.start(EmulatorOptions.persistentIn(data))) {
            // The table as an older template made it: only the due index.
            CreateTableRequest current = TaskTableDefinition.fromClasspathTemplate().createTableRequest(first.tableName());
            first.dynamoDb().deleteTable(r -> r.tableName(first.tableName()));
            first.dynamoDb().createTable(current.toBuilder()
                    .globalSecondaryIndexes(current.globalSecondaryIndexes().getFirst())
                    .attributeDefinitions(current.attributeDefinitions().stream()
                            .filter(a -> List.of("pk", "dueShard", "dueAt").contains(a.attributeName())).toList())
                    .build());
            first.dynamoDb().putItem(r -> r.tableName(first.tableName()).item(Map.of("pk", AttributeValue.fromS("task#kept"),
                    "appId", AttributeValue.fromS("app1"), "createdKey", AttributeValue.fromS("2026-12-03T08:00:00.000000000Z#kept"))));
        }

        try (AwsEmulators second = AwsEmulators.start(EmulatorOptions.persistentIn(data))) {
            assertEquals(current().globalSecondaryIndexes().size(), second.dynamoDb()
                    .describeTable(r -> r.tableName(second.tableName())).table().globalSecondaryIndexes().size());
            assertEquals(1, second.dynamoDb().query(r -> r.tableName(second.tableName()).indexName("app-index")
                    .keyConditionExpression("appId = :a").expressionAttributeValues(Map.of(":a", AttributeValue.fromS("app1"))))
                    .count(), "the kept item is in the added index");
        }
    }

    private static CreateTableRequest current() {
        return TaskTableDefinition.fromClasspathTemplate().createTableRequest("t");
    }

    @Test
    void start_listensOnFixedPorts_whenFree() throws IOException {
        int dynamoPort = freePort();
        int s3Port = freePort();
        try (AwsEmulators emulators = AwsEmulators.start(EmulatorOptions.inMemory().withDynamoPort(dynamoPort).withS3Port(s3Port))) {
            assertEquals(URI.create("http://127.0.0.1:" + dynamoPort), emulators.dynamoEndpoint());
            assertEquals(URI.create("http://127.0.0.1:" + s3Port), emulators.s3Endpoint());
            assertTrue(emulators.dynamoDb().listTables().tableNames().contains(emulators.tableName()));
        }
    }

    @Test
    void start_failsNamingPort_whenDynamoPortBusy_andReleasesS3Port() throws IOException {
        int s3Port = freePort();
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            EmulatorStartException e = assertThrows(EmulatorStartException.class, () -> AwsEmulators.start(
                    EmulatorOptions.inMemory().withDynamoPort(busy.getLocalPort()).withS3Port(s3Port)));
            assertEquals("DynamoDB Local cannot listen on 127.0.0.1:" + busy.getLocalPort()
                    + ": the port is already in use. Stop whatever holds it, or choose another port with"
                    + " EmulatorOptions.withDynamoPort(...) (0 picks a free one).", e.getMessage());
        }
        // s3proxy had started in parallel; it must have been stopped, or this second start could not bind.
        try (AwsEmulators emulators = AwsEmulators.start(EmulatorOptions.inMemory().withS3Port(s3Port))) {
            assertEquals(s3Port, emulators.s3Endpoint().getPort());
        }
    }

    @Test
    void start_failsNamingPort_whenS3PortBusy() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            EmulatorStartException e = assertThrows(EmulatorStartException.class,
                    () -> AwsEmulators.start(EmulatorOptions.inMemory().withS3Port(busy.getLocalPort())));
            assertTrue(e.getMessage().startsWith("s3proxy cannot listen on 127.0.0.1:" + busy.getLocalPort() + ": the port is already in use"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("withS3Port"), e.getMessage());
        }
    }

    @Test
    void close_stopsBothServers_andIsIdempotent() {
        AwsEmulators emulators = AwsEmulators.start();
        URI dynamo = emulators.dynamoEndpoint();
        URI s3 = emulators.s3Endpoint();

        emulators.close();
        emulators.close();

        assertThrows(ConnectException.class, () -> connect(dynamo));
        assertThrows(ConnectException.class, () -> connect(s3));
        assertThrows(IllegalStateException.class, emulators::resetData);
    }

    @Test
    void dynamoDbLocalClose_endsItsBackgroundThreads() throws Exception {
        DynamoDbLocalServer server = DynamoDbLocalServer.start(Optional.empty(), 0);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any"));
        URI endpoint = URI.create("http://127.0.0.1:" + server.port());
        try (var http = UrlConnectionHttpClient.create();
                DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(http).region(Region.US_EAST_1)
                        .credentialsProvider(credentials).endpointOverride(endpoint).build();
                DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().httpClient(http).region(Region.US_EAST_1)
                        .credentialsProvider(credentials).endpointOverride(endpoint).build()) {
            dynamoDb.createTable(TaskTableDefinition.fromClasspathTemplate().createTableRequest("threads"));
            String stream = dynamoDb.describeTable(r -> r.tableName("threads")).table().latestStreamArn();
            streams.describeStream(r -> r.streamArn(stream));
        }
        assertTrue(server.liveThreads() > 0);

        server.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (server.liveThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, server.liveThreads(), "DynamoDB Local threads left running after close");
    }

    @Test
    void dynamoDbLocalClose_returnsAfterItsThreadsEnded_soTheNextServerOnTheFolderIsNotLocked(@TempDir Path folder) {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any"));
        DynamoDbLocalServer first = DynamoDbLocalServer.start(Optional.of(folder), 0);
        try (var http = UrlConnectionHttpClient.create();
                DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(http).region(Region.US_EAST_1)
                        .credentialsProvider(credentials)
                        .endpointOverride(URI.create("http://127.0.0.1:" + first.port())).build()) {
            dynamoDb.createTable(TaskTableDefinition.fromClasspathTemplate().createTableRequest("kept"));
        }

        first.close();

        // Not awaited: close itself waits for the SQLite queue, which reopened the file seconds later
        // when it was interrupted mid-stop, and locked out the next server on the same folder.
        assertEquals(0, first.liveThreads(), "DynamoDB Local threads still running when close returned");
        DynamoDbLocalServer second = DynamoDbLocalServer.start(Optional.of(folder), 0);
        try (var http = UrlConnectionHttpClient.create();
                DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(http).region(Region.US_EAST_1)
                        .credentialsProvider(credentials)
                        .endpointOverride(URI.create("http://127.0.0.1:" + second.port())).build()) {
            assertEquals("kept", dynamoDb.describeTable(r -> r.tableName("kept")).table().tableName());
        } finally {
            second.close();
        }
    }

    @Test
    void extension_sharesOneInstance_andClosesItWhenTheRunEnds() {
        SampleUsingExtension.seen.clear();

        EngineTestKit.engine("junit-jupiter").selectors(selectClass(SampleUsingExtension.class)).execute()
                .testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

        assertEquals(1, SampleUsingExtension.seen.size(), "both tests must get the same instance");
        AwsEmulators used = SampleUsingExtension.seen.iterator().next();
        assertThrows(ConnectException.class, () -> connect(used.dynamoEndpoint()));
        assertThrows(ConnectException.class, () -> connect(used.s3Endpoint()));
    }

    /** Run only through {@link EngineTestKit} above; failsafe skips nested classes. */
    @WithAwsEmulators
    static class SampleUsingExtension {

        /** AwsEmulators keeps identity equality, so this holds each distinct instance once. */
        static final Set<AwsEmulators> seen = ConcurrentHashMap.newKeySet();

        @Test
        void first(AwsEmulators emulators) {
            record(emulators);
        }

        @Test
        void second(AwsEmulators emulators) {
            record(emulators);
        }

        private static void record(AwsEmulators emulators) {
            emulators.s3().headBucket(r -> r.bucket(emulators.bucketName()));
            seen.add(emulators);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void connect(URI endpoint) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 2_000);
        }
    }
}
