package com.runwayrelay.testkit.aws;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The same contract against LocalStack in Docker, to keep the emulators honest. Runs only with
 * {@code -Plocalstack}; without a reachable Docker engine every test is skipped within seconds.
 * The image can be changed with {@code -Drelay.localstack.image=...}; {@code LOCALSTACK_AUTH_TOKEN}
 * is passed through when set (newer LocalStack images require one).
 */
class AwsEmulatorsLocalStackIT extends AwsBackendContract {

    private static final String IMAGE = System.getProperty("relay.localstack.image", "localstack/localstack:4.4");
    private static final String TABLE = "relay-tasks";
    private static final String BUCKET = "relay-archive";

    private static final Logger LOG = LoggerFactory.getLogger(AwsEmulatorsLocalStackIT.class);

    private static Optional<String> unavailable = Optional.of("LocalStack not started");
    private static LocalStackContainer localStack;
    private static SdkHttpClient http;
    private static AwsBackend backend;

    @BeforeAll
    static void startLocalStack() {
        unavailable = DockerProbe.unavailableReason();
        if (unavailable.isPresent()) {
            LOG.warn("LocalStack ITs skipped: {}", unavailable.get());
            return;
        }

        localStack = new LocalStackContainer(DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("localstack/localstack"))
                .withServices("dynamodb", "s3")
                // LocalStack accepts any pre-signed URL unless told to check signatures and expiry
                .withEnv("S3_SKIP_SIGNATURE_VALIDATION", "0");
        Optional.ofNullable(System.getenv("LOCALSTACK_AUTH_TOKEN")).ifPresent(token -> localStack.withEnv("LOCALSTACK_AUTH_TOKEN", token));
        localStack.start();

        URI endpoint = localStack.getEndpoint();
        Region region = Region.of(localStack.getRegion());
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(localStack.getAccessKey(), localStack.getSecretKey()));
        http = UrlConnectionHttpClient.create();
        DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .endpointOverride(endpoint).build();
        DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .endpointOverride(endpoint).build();
        S3Client s3 = S3Client.builder().httpClient(http).region(region).credentialsProvider(credentials).endpointOverride(endpoint)
                .forcePathStyle(true).build();
        S3Presigner presigner = S3Presigner.builder().region(region).credentialsProvider(credentials).endpointOverride(endpoint)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
        backend = new AwsBackend(dynamoDb, streams, s3, presigner, TABLE, BUCKET);

        TaskTableDefinition table = TaskTableDefinition.fromClasspathTemplate();
        dynamoDb.createTable(table.createTableRequest(TABLE));
        try (DynamoDbWaiter waiter = dynamoDb.waiter()) {
            waiter.waitUntilTableExists(r -> r.tableName(TABLE));
        }
        table.timeToLive().ifPresent(ttl -> dynamoDb.updateTimeToLive(r -> r.tableName(TABLE).timeToLiveSpecification(ttl)));
        s3.createBucket(r -> r.bucket(BUCKET));
    }

    /** Per test rather than in {@code @BeforeAll}, so each test is reported as skipped, not silently absent. */
    @BeforeEach
    void requireLocalStack() {
        assumeTrue(unavailable.isEmpty(), () -> "LocalStack ITs skipped: " + unavailable.orElseThrow());
    }

    @AfterAll
    static void stopLocalStack() {
        if (backend != null) {
            backend.presigner().close();
            backend.s3().close();
            backend.streams().close();
            backend.dynamoDb().close();
        }
        if (http != null) {
            http.close();
        }
        if (localStack != null) {
            localStack.stop();
        }
    }

    @Override
    AwsBackend backend() {
        return backend;
    }
}
