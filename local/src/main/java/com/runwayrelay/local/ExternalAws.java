package com.runwayrelay.local;

import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.testkit.aws.AwsEmulators;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * DynamoDB and S3 endpoints the user runs instead of the embedded emulators, typically LocalStack
 * ({@code ./relay local --aws-endpoint http://localhost:4566}). The table and bucket are created when
 * missing. The table's definition is never written twice: it is the one the emulators build from
 * {@code template.yaml}, read from a throw-away in-memory emulator and created on the endpoint.
 */
final class ExternalAws implements AwsBackend {

    /**
     * How to reach the endpoints.
     *
     * @param dynamoEndpoint  DynamoDB (and DynamoDB Streams)
     * @param s3Endpoint      S3, addressed path-style
     * @param region          the region to sign for
     * @param accessKeyId     access key (LocalStack accepts any)
     * @param secretAccessKey secret key
     */
    record Settings(URI dynamoEndpoint, URI s3Endpoint, String region, String accessKeyId, String secretAccessKey) {
        Settings {
            Objects.requireNonNull(dynamoEndpoint, "dynamoEndpoint");
            Objects.requireNonNull(s3Endpoint, "s3Endpoint");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String toString() {
            return "Settings[dynamoEndpoint=" + dynamoEndpoint + ", s3Endpoint=" + s3Endpoint + ", region=" + region
                    + ", accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
        }
    }

    /** The indexes the functions query; a table lacking one of them gets the template's added at start. */
    private static final Set<String> INDEXES = Set.of(DynamoDbTaskRepository.DUE_INDEX, DynamoDbTaskRepository.APP_INDEX,
            DynamoDbTaskRepository.LIST_INDEX);

    private final Settings settings;
    private final String table;
    private final String bucket;
    private final SdkHttpClient http;
    private final DynamoDbClient dynamoDb;
    private final DynamoDbStreamsClient streams;
    private final S3Client s3;

    private ExternalAws(Settings settings, String table, String bucket) {
        this.settings = settings;
        this.table = table;
        this.bucket = bucket;
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
        Region region = Region.of(settings.region());
        this.http = UrlConnectionHttpClient.create();
        this.dynamoDb = DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .endpointOverride(settings.dynamoEndpoint()).build();
        this.streams = DynamoDbStreamsClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .endpointOverride(settings.dynamoEndpoint()).build();
        this.s3 = S3Client.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .endpointOverride(settings.s3Endpoint()).forcePathStyle(true).build();
    }

    /**
     * Connects and creates the table (from the template, with its stream and TTL) and the bucket if missing.
     *
     * @throws StackStartException if an endpoint cannot be reached, or the existing table has no stream
     */
    static ExternalAws connect(Settings settings, String table, String bucket) {
        ExternalAws aws = new ExternalAws(settings, table, bucket);
        try {
            aws.ensureTable();
            aws.ensureBucket();
            return aws;
        } catch (SdkClientException e) {
            aws.close();
            throw new StackStartException("cannot reach the AWS endpoints " + settings.dynamoEndpoint() + " / " + settings.s3Endpoint()
                    + ": " + e.getMessage() + " (is LocalStack running?)", e);
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    @Override
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    @Override
    public DynamoDbStreamsClient dynamoDbStreams() {
        return streams;
    }

    @Override
    public String tableName() {
        return table;
    }

    @Override
    public String bucketName() {
        return bucket;
    }

    @Override
    public URI dynamoEndpoint() {
        return settings.dynamoEndpoint();
    }

    @Override
    public URI s3Endpoint() {
        return settings.s3Endpoint();
    }

    @Override
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_REGION", settings.region());
        environment.put("AWS_ACCESS_KEY_ID", settings.accessKeyId());
        environment.put("AWS_SECRET_ACCESS_KEY", settings.secretAccessKey());
        environment.put("AWS_ENDPOINT_URL_DYNAMODB", settings.dynamoEndpoint().toString());
        environment.put("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", settings.dynamoEndpoint().toString());
        environment.put("AWS_ENDPOINT_URL_S3", settings.s3Endpoint().toString());
        environment.put("RELAY_TABLE", table);
        environment.put("RELAY_BUCKET", bucket);
        return Collections.unmodifiableMap(environment);
    }

    @Override
    public String dynamoLabel() {
        return "DynamoDB (external)";
    }

    @Override
    public String s3Label() {
        return "S3 (external)";
    }

    @Override
    public void close() {
        for (AutoCloseable resource : new AutoCloseable[] {s3, streams, dynamoDb, http}) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // closing clients cannot fail in a way the user could act on
            }
        }
    }

    private void ensureTable() {
        TableDescription existing;
        try {
            existing = dynamoDb.describeTable(request -> request.tableName(table)).table();
        } catch (ResourceNotFoundException missing) {
            createTable();
            return;
        }
        if (existing.latestStreamArn() == null) {
            throw new StackStartException("table " + table + " at " + settings.dynamoEndpoint()
                    + " has no stream; the archiver and notifier need NEW_AND_OLD_IMAGES. Delete it and let the stack create it.");
        }
        Set<String> present = existing.globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexName)
                .collect(Collectors.toSet());
        if (!present.containsAll(INDEXES)) {
            addMissingIndexes(present);
        }
    }

    /**
     * A table created before the template gained an index (the admin lists' GSIs) gets it added, one
     * UpdateTable per index as DynamoDB requires, from the template's shape; the endpoint fills it from
     * the items already there.
     */
    private void addMissingIndexes(Set<String> present) {
        try (AwsEmulators template = AwsEmulators.start()) {
            TableDescription model = template.dynamoDb().describeTable(request -> request.tableName(template.tableName())).table();
            for (GlobalSecondaryIndexDescription index : model.globalSecondaryIndexes()) {
                if (present.contains(index.indexName())) {
                    continue;
                }
                dynamoDb.updateTable(request -> request.tableName(table).attributeDefinitions(model.attributeDefinitions())
                        .globalSecondaryIndexUpdates(update -> update.create(create -> create.indexName(index.indexName())
                                .keySchema(index.keySchema()).projection(index.projection()))));
                awaitActive(index.indexName());
            }
        }
    }

    private void awaitActive(String index) {
        for (int poll = 0; poll < 3_000; poll++) {
            TableDescription now = dynamoDb.describeTable(request -> request.tableName(table)).table();
            boolean active = now.tableStatus() == TableStatus.ACTIVE && now.globalSecondaryIndexes().stream()
                    .anyMatch(i -> i.indexName().equals(index) && i.indexStatus() == IndexStatus.ACTIVE);
            if (active) {
                return;
            }
            try {
                // Polling the endpoint's index build, as the AWS CLI's waiters do.
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackStartException("interrupted while adding index " + index + " to table " + table);
            }
        }
        throw new StackStartException("index " + index + " of table " + table + " at " + settings.dynamoEndpoint()
                + " did not become active within 5 minutes");
    }

    private void createTable() {
        try (AwsEmulators template = AwsEmulators.start()) {
            TableDescription model = template.dynamoDb().describeTable(request -> request.tableName(template.tableName())).table();
            var ttl = template.dynamoDb().describeTimeToLive(request -> request.tableName(template.tableName())).timeToLiveDescription();
            dynamoDb.createTable(CreateTableRequest.builder()
                    .tableName(table)
                    .attributeDefinitions(model.attributeDefinitions())
                    .keySchema(model.keySchema())
                    .globalSecondaryIndexes(model.globalSecondaryIndexes().stream().map(index -> GlobalSecondaryIndex.builder()
                            .indexName(index.indexName()).keySchema(index.keySchema()).projection(index.projection()).build()).toList())
                    // DynamoDB Local reports no billing summary for the template's PAY_PER_REQUEST
                    .billingMode(model.billingModeSummary() == null ? BillingMode.PAY_PER_REQUEST : model.billingModeSummary().billingMode())
                    .streamSpecification(model.streamSpecification())
                    .build());
            dynamoDb.waiter().waitUntilTableExists(request -> request.tableName(table));
            if (ttl != null && ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED) {
                dynamoDb.updateTimeToLive(request -> request.tableName(table)
                        .timeToLiveSpecification(spec -> spec.attributeName(ttl.attributeName()).enabled(true)));
            }
        }
    }

    private void ensureBucket() {
        try {
            s3.headBucket(request -> request.bucket(bucket));
        } catch (S3Exception missing) {
            if (missing.statusCode() != 404) {
                throw missing;
            }
            s3.createBucket(request -> request.bucket(bucket));
        }
    }
}
