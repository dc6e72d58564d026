package com.runwayrelay.testkit.aws;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * DynamoDB Local and an S3 server that enforces SigV4 (s3proxy), running in this JVM on
 * 127.0.0.1, with the project's task table and archive bucket already created. No Docker, no
 * AWS account.
 *
 * <p>The table is built from the {@code TaskTable} resource of the project's
 * {@code template.yaml} (shipped in this jar), so its keys, due-index, stream and TTL are the
 * deployed ones. Start with {@link #start(EmulatorOptions)}, use the ready-made clients or hand
 * {@link #environment()} to code that builds its own, and {@link #close()} at the end. In JUnit
 * tests, prefer {@link WithAwsEmulators}, which shares one instance per test JVM.
 *
 * <p>Clients built from the endpoints must use the {@link #region()}, the
 * {@link #credentials()} (s3proxy accepts no others) and, for S3, path-style addressing.
 * Instances are safe for concurrent use; {@link #resetData()} should not overlap other calls.
 */
public final class AwsEmulators implements AutoCloseable {

    private static final Region REGION = Region.US_EAST_1;
    // Fixed, local-only credentials: s3proxy checks signatures against exactly this pair.
    private static final String ACCESS_KEY_ID = "relaylocalaccesskey";
    private static final String SECRET_ACCESS_KEY = "relay-local-secret-access-key";

    private final EmulatorOptions options;
    private final TaskTableDefinition table;
    private final DynamoDbLocalServer dynamoServer;
    private final S3ProxyServer s3Server;
    private final URI dynamoEndpoint;
    private final URI s3Endpoint;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient httpClient;
    private final DynamoDbClient dynamoDb;
    private final DynamoDbStreamsClient dynamoDbStreams;
    private final S3Client s3;
    private final S3Presigner s3Presigner;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AwsEmulators(EmulatorOptions options, TaskTableDefinition table, DynamoDbLocalServer dynamoServer, S3ProxyServer s3Server) {
        this.options = options;
        this.table = table;
        this.dynamoServer = dynamoServer;
        this.s3Server = s3Server;
        this.dynamoEndpoint = URI.create("http://127.0.0.1:" + dynamoServer.port());
        this.s3Endpoint = URI.create("http://127.0.0.1:" + s3Server.port());
        this.credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
        this.httpClient = UrlConnectionHttpClient.create();
        this.dynamoDb = DynamoDbClient.builder()
                .httpClient(httpClient).region(REGION).credentialsProvider(credentials).endpointOverride(dynamoEndpoint)
                .build();
        this.dynamoDbStreams = DynamoDbStreamsClient.builder()
                .httpClient(httpClient).region(REGION).credentialsProvider(credentials).endpointOverride(dynamoEndpoint)
                .build();
        this.s3 = S3Client.builder()
                .httpClient(httpClient).region(REGION).credentialsProvider(credentials).endpointOverride(s3Endpoint)
                .forcePathStyle(true)
                // As the functions' client (relay-aws AwsClients, which this module cannot depend on):
                // uploads without Expect: 100-continue, so an upload that meets a kept-alive connection
                // the server has closed fails with an IOException the SDK retries, not at once.
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                                                            ExecutionAttributes attributes) {
                        return context.httpRequest().toBuilder().removeHeader("Expect").build();
                    }
                }))
                .build();
        this.s3Presigner = S3Presigner.builder()
                .region(REGION).credentialsProvider(credentials).endpointOverride(s3Endpoint)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    /** Starts in memory on free ports: {@code start(EmulatorOptions.inMemory())}. */
    public static AwsEmulators start() {
        return start(EmulatorOptions.inMemory());
    }

    /**
     * Starts both emulators (in parallel), then creates the table, enables its TTL and creates
     * the bucket; with persistent options, existing ones are kept.
     *
     * @throws TemplateException if the shipped template's {@code TaskTable} cannot be translated
     * @throws EmulatorStartException if a port is busy (the message names it), the data folder is
     *     unusable, a kept table no longer matches the template, or a server fails
     */
    public static AwsEmulators start(EmulatorOptions options) {
        Objects.requireNonNull(options, "options");
        Optional<Path> dynamoData = options.dataDirectory().map(directory -> createDirectory(directory.resolve("dynamodb")));
        Optional<Path> s3Data = options.dataDirectory().map(directory -> directory.resolve("s3"));

        // Start-up is mostly class loading and JIT warm-up; the three parts share nothing, so overlap them.
        try (ExecutorService starter = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("aws-emulators-start-", 0).daemon().factory())) {
            Future<TaskTableDefinition> table = starter.submit(TaskTableDefinition::fromClasspathTemplate);
            Future<DynamoDbLocalServer> dynamoServer = starter.submit(() -> DynamoDbLocalServer.start(dynamoData, options.dynamoPort()));
            Future<S3ProxyServer> s3Server = starter.submit(
                    () -> S3ProxyServer.start(s3Data, options.s3Port(), ACCESS_KEY_ID, SECRET_ACCESS_KEY));
            StartFailure failure = new StartFailure();
            TaskTableDefinition definition = failure.collect(table);
            DynamoDbLocalServer dynamo = failure.collect(dynamoServer);
            S3ProxyServer s3 = failure.collect(s3Server);
            failure.throwIfAny(dynamo, s3);

            AwsEmulators emulators = new AwsEmulators(options, definition, dynamo, s3);
            try {
                Future<?> bucket = starter.submit(emulators::ensureBucket);
                emulators.ensureTable();
                failure.collect(bucket);
                failure.throwIfAny();
            } catch (RuntimeException e) {
                try {
                    emulators.close();
                } catch (RuntimeException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
                throw e;
            }
            return emulators;
        }
    }

    /** The options this instance was started with. */
    public EmulatorOptions options() {
        return options;
    }

    /** DynamoDB Local's endpoint, {@code http://127.0.0.1:<port>}; also serves DynamoDB Streams. */
    public URI dynamoEndpoint() {
        return dynamoEndpoint;
    }

    /** s3proxy's endpoint, {@code http://127.0.0.1:<port>}; use path-style addressing. */
    public URI s3Endpoint() {
        return s3Endpoint;
    }

    /** The region every client should use: {@link Region#US_EAST_1}. */
    public Region region() {
        return REGION;
    }

    /** Static local credentials; s3proxy rejects any other signature. */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** Name of the task table. */
    public String tableName() {
        return options.tableName();
    }

    /** Name of the archive bucket. */
    public String bucketName() {
        return options.bucketName();
    }

    /** A DynamoDB client for {@link #dynamoEndpoint()}, owned by this instance (closed by {@link #close()}). */
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    /** A DynamoDB Streams client for the task table's stream, owned by this instance. */
    public DynamoDbStreamsClient dynamoDbStreams() {
        return dynamoDbStreams;
    }

    /** A path-style S3 client for {@link #s3Endpoint()}, owned by this instance. */
    public S3Client s3() {
        return s3;
    }

    /** A path-style presigner for {@link #s3Endpoint()}, owned by this instance. */
    public S3Presigner s3Presigner() {
        return s3Presigner;
    }

    /**
     * The variables a handler reads to reach these emulators: {@code AWS_REGION},
     * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_ENDPOINT_URL_DYNAMODB},
     * {@code AWS_ENDPOINT_URL_DYNAMODB_STREAMS}, {@code AWS_ENDPOINT_URL_S3}, {@code RELAY_TABLE},
     * {@code RELAY_BUCKET}. The {@code AWS_ENDPOINT_URL_*} names are the SDK's own
     * service-specific endpoint variables. S3 clients built from them must still enable
     * path-style addressing. Unmodifiable, in that order.
     */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_REGION", REGION.id());
        environment.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        environment.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        environment.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint.toString());
        environment.put("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", dynamoEndpoint.toString());
        environment.put("AWS_ENDPOINT_URL_S3", s3Endpoint.toString());
        environment.put("RELAY_TABLE", tableName());
        environment.put("RELAY_BUCKET", bucketName());
        return Collections.unmodifiableMap(environment);
    }

    /**
     * Deletes and recreates the table (new stream, TTL enabled again) and empties the bucket,
     * including unfinished multipart uploads. For test isolation; takes tens of milliseconds.
     *
     * @throws IllegalStateException if this instance is closed
     */
    public synchronized void resetData() {
        if (closed.get()) {
            throw new IllegalStateException("AwsEmulators already closed");
        }
        try {
            dynamoDb.deleteTable(request -> request.tableName(tableName()));
        } catch (ResourceNotFoundException alreadyGone) {
            // nothing to delete; recreate below
        }
        createTable();
        emptyBucket();
    }

    /** Closes the clients and stops both servers. In-memory data is gone; calling it again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable resource : List.of(s3Presigner, s3, dynamoDbStreams, dynamoDb, httpClient, s3Server, dynamoServer)) {
            try {
                resource.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("AwsEmulators did not stop cleanly");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "AwsEmulators[dynamodb=" + dynamoEndpoint + ", s3=" + s3Endpoint + ", table=" + tableName()
                + ", bucket=" + bucketName() + ", data=" + options.dataDirectory().map(Path::toString).orElse("memory") + "]";
    }

    private void ensureTable() {
        Optional<TableDescription> existing = describeTable();
        if (existing.isEmpty()) {
            createTable();
        } else {
            requireTemplateShape(existing.get());
        }
    }

    private void ensureBucket() {
        try {
            s3.headBucket(request -> request.bucket(bucketName()));
        } catch (NoSuchBucketException missing) {
            s3.createBucket(request -> request.bucket(bucketName()));
        }
    }

    private Optional<TableDescription> describeTable() {
        try {
            return Optional.of(dynamoDb.describeTable(request -> request.tableName(tableName())).table());
        } catch (ResourceNotFoundException missing) {
            return Optional.empty();
        }
    }

    private void createTable() {
        dynamoDb.createTable(table.createTableRequest(tableName()));
        table.timeToLive().ifPresent(ttl -> dynamoDb.updateTimeToLive(request -> request.tableName(tableName()).timeToLiveSpecification(ttl)));
    }

    /**
     * A kept table from an older template would make tests and the local stack lie quietly. A table that
     * only lacks indexes the template added since is upgraded in place (one UpdateTable per index, as
     * DynamoDB requires; the emulator fills them from the items already there), so a kept data folder
     * survives a release that adds an index; any other difference is an error.
     */
    private void requireTemplateShape(TableDescription existing) {
        CreateTableRequest wanted = table.createTableRequest(tableName());
        Map<String, String> existingIndexes = new TreeMap<>();
        existing.globalSecondaryIndexes().forEach(index -> existingIndexes.put(index.indexName(), shape(index.keySchema(), index.projection())));
        Map<String, String> wantedIndexes = new TreeMap<>();
        wanted.globalSecondaryIndexes().forEach(index -> wantedIndexes.put(index.indexName(), shape(index.keySchema(), index.projection())));
        boolean onlyAdditions = shape(existing.keySchema(), null).equals(shape(wanted.keySchema(), null))
                && existingIndexes.entrySet().stream().allMatch(e -> e.getValue().equals(wantedIndexes.get(e.getKey())));
        if (onlyAdditions && !existingIndexes.keySet().equals(wantedIndexes.keySet())) {
            for (GlobalSecondaryIndex index : wanted.globalSecondaryIndexes()) {
                if (!existingIndexes.containsKey(index.indexName())) {
                    addIndex(wanted, index);
                }
            }
            return;
        }
        if (!shape(existing.keySchema(), null).equals(shape(wanted.keySchema(), null)) || !existingIndexes.equals(wantedIndexes)) {
            throw new EmulatorStartException("table " + tableName() + " kept in "
                    + options.dataDirectory().map(directory -> directory.resolve("dynamodb").toAbsolutePath().toString()).orElse("memory")
                    + " no longer matches template.yaml (key schema or global secondary indexes changed); delete that folder to recreate it");
        }
    }

    private void addIndex(CreateTableRequest wanted, GlobalSecondaryIndex index) {
        dynamoDb.updateTable(request -> request.tableName(tableName())
                .attributeDefinitions(wanted.attributeDefinitions())
                .globalSecondaryIndexUpdates(update -> update.create(create -> create.indexName(index.indexName())
                        .keySchema(index.keySchema()).projection(index.projection())
                        .provisionedThroughput(index.provisionedThroughput()))));
        for (int poll = 0; poll < 600; poll++) {
            boolean active = describeTable().orElseThrow().globalSecondaryIndexes().stream()
                    .anyMatch(i -> i.indexName().equals(index.indexName()) && i.indexStatus() == IndexStatus.ACTIVE);
            if (active) {
                return;
            }
            try {
                // Polling the emulator's index build; it answers within milliseconds for a local data folder.
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmulatorStartException("interrupted while adding index " + index.indexName());
            }
        }
        throw new EmulatorStartException("index " + index.indexName() + " of table " + tableName() + " did not become active");
    }

    private static String shape(List<KeySchemaElement> keySchema, Projection projection) {
        StringBuilder shape = new StringBuilder();
        keySchema.forEach(key -> shape.append(key.attributeName()).append(':').append(key.keyTypeAsString()).append(' '));
        if (projection != null) {
            shape.append(projection.projectionTypeAsString()).append(new TreeSet<>(projection.nonKeyAttributes()));
        }
        return shape.toString();
    }

    private void emptyBucket() {
        for (var page : s3.listObjectsV2Paginator(request -> request.bucket(bucketName()))) {
            List<ObjectIdentifier> keys = page.contents().stream().map(S3Object::key)
                    .map(key -> ObjectIdentifier.builder().key(key).build()).toList();
            if (!keys.isEmpty()) {
                s3.deleteObjects(request -> request.bucket(bucketName()).delete(Delete.builder().objects(keys).quiet(true).build()));
            }
        }
        for (MultipartUpload upload : s3.listMultipartUploads(request -> request.bucket(bucketName())).uploads()) {
            s3.abortMultipartUpload(request -> request.bucket(bucketName()).key(upload.key()).uploadId(upload.uploadId()));
        }
    }

    private static Path createDirectory(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new EmulatorStartException("cannot create data folder " + directory.toAbsolutePath() + ": " + e, e);
        }
    }

    /** Collects start-up results; on any failure, stops what did start and reports every failure. */
    private static final class StartFailure {

        private RuntimeException first;

        <T> T collect(Future<T> result) {
            try {
                return result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                record(new EmulatorStartException("interrupted while starting the emulators", e));
            } catch (ExecutionException e) {
                record(e.getCause() instanceof RuntimeException runtime
                        ? runtime
                        : new EmulatorStartException("emulator start failed: " + e.getCause(), e.getCause()));
            }
            return null;
        }

        void throwIfAny(AutoCloseable... started) {
            if (first == null) {
                return;
            }
            for (AutoCloseable server : started) {
                if (server != null) {
                    try {
                        server.close();
                    } catch (Exception e) {
                        first.addSuppressed(e);
                    }
                }
            }
            throw first;
        }

        private void record(RuntimeException failure) {
            if (first == null) {
                first = failure;
            } else {
                first.addSuppressed(failure);
            }
        }
    }
}
