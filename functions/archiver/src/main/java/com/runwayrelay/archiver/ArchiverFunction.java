package com.runwayrelay.archiver;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.archive.GuardedDownloader;
import com.runwayrelay.aws.archive.S3ArchiveStore;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.aws.metrics.EmfMetrics;
import com.runwayrelay.aws.priming.LambdaRuntime;
import com.runwayrelay.aws.runway.RunwayClients;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.domain.archive.ArchiveSettings;
import com.runwayrelay.domain.archive.OutputHosts;
import com.runwayrelay.domain.archive.OutputKinds;
import com.runwayrelay.domain.archive.TaskArchiver;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.HostResolver;
import com.runwayrelay.domain.metrics.MeteredTaskRepository;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.runway.gateway.RunwayClientGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.SSLSocketFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Composition root of the archiver: reads the configuration and wires the use case, once. */
public final class ArchiverFunction {
    /** Sent as {@code User-Agent} with every download. */
    static final String USER_AGENT = "runway-relay-archiver/1";
    /** A link expiring within this margin is replaced before downloading. */
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(1);

    private ArchiverFunction() {
    }

    /**
     * The stream-batch function the handler runs, wired from {@code env} (the process environment in Lambda).
     * In a Lambda runtime ({@link LambdaRuntime#isLambda}) it also registers the SnapStart priming hook
     * ({@link ArchiverPriming}) with {@code org.crac}'s global context.
     */
    public static Function<DynamodbEvent, StreamsEventResponse> fromEnvironment(Map<String, String> env) {
        EmfMetrics metrics = EmfMetrics.fromEnvironment(env);
        Clock clock = Clock.systemUTC();
        TaskArchiver archiver = taskArchiver(env, clock, (SSLSocketFactory) SSLSocketFactory.getDefault(), metrics);
        Function<DynamodbEvent, StreamsEventResponse> batch =
                metrics.flushingAfter(new ArchiveBatch(archiver::archive, metrics, clock));
        if (!LambdaRuntime.isLambda(env)) {
            return batch;
        }
        ArchiverPriming priming = new ArchiverPriming(() -> primingReads(env));
        org.crac.Core.getGlobalContext().register(priming);
        return new Primed(batch, priming);
    }

    /** A task id and an object key that exist nowhere: what the priming reads. */
    static final String PRIMING_TASK_ID = "00000000-0000-4000-8000-000000000000";
    static final String PRIMING_KEY = "priming/absent";

    /**
     * The archive's AWS calls that only read, for the priming hook: a {@code GetItem} of a task that does not
     * exist through the task repository, and a {@code HeadObject} of an object that does not exist in the
     * archive bucket (404, which the archiver's {@code s3:ListBucket} permission makes a 404 rather than a 403).
     * Clients of their own, built when the hook runs, so init builds nothing more; the classes and compiled
     * code they leave are what a restored archiver's first calls need.
     */
    static void primingReads(Map<String, String> env) {
        ArchiverConfig config = ArchiverConfig.from(new Env(env));
        AwsClients clients = new AwsClients(AwsSettings.from(env));
        new DynamoDbTaskRepository(clients.dynamoDb(), config.table(), config.dueShards()).find(PRIMING_TASK_ID);
        try {
            clients.s3().headObject(r -> r.bucket(config.bucket()).key(PRIMING_KEY));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            // Expected: nothing is stored under that key.
        }
    }

    /**
     * The batch function of an archiver wired in Lambda, holding its priming hook: {@code org.crac} keeps
     * registered resources only weakly, so the hook lives as long as the handler that holds this.
     */
    record Primed(Function<DynamodbEvent, StreamsEventResponse> batch, ArchiverPriming priming)
            implements Function<DynamodbEvent, StreamsEventResponse> {
        @Override
        public StreamsEventResponse apply(DynamodbEvent event) {
            return batch.apply(event);
        }
    }

    /** The use case wired from {@code env}, with the clock and the TLS sockets chosen by the caller. */
    static TaskArchiver taskArchiver(Map<String, String> env, Clock clock, SSLSocketFactory tls) {
        return taskArchiver(env, clock, tls, Metrics.none());
    }

    /** As above, recording the archiver's metrics (and its Runway calls and finished tasks) in {@code metrics}. */
    static TaskArchiver taskArchiver(Map<String, String> env, Clock clock, SSLSocketFactory tls, Metrics metrics) {
        ArchiverConfig config = ArchiverConfig.from(new Env(env));
        AwsClients clients = new AwsClients(AwsSettings.from(env));
        DynamoDbClient dynamo = clients.dynamoDb();
        Catalog catalog = Catalog.loadDefault();
        OutputKinds kinds = catalog::outputKind;
        OutputHosts hosts = OutputHosts.of(config.outputHostAllowlist(), config.allowLoopbackHttp());
        GuardedDownloader downloader = new GuardedDownloader(
                new AddressGuard(HostResolver.system(), config.allowLoopbackHttp()), tls,
                config.connectTimeout(), config.readTimeout(), USER_AGENT);
        return new TaskArchiver(
                new MeteredTaskRepository(new DynamoDbTaskRepository(dynamo, config.table(), config.dueShards()), metrics),
                new RunwayClientGateway(RunwayClients.builder(config.runway(), clients).metrics(metrics).build()),
                downloader,
                new S3ArchiveStore(clients.s3(), clients.s3Presigner(), config.bucket(), config.partSize(),
                        config.uploadConcurrency(), config.writeTimeout()),
                new DynamoDbUsageLedger(dynamo, config.table()),
                kinds, hosts,
                new ArchiveSettings(config.keyPrefix(), config.maxBytes(), config.maxAttempts(), REFRESH_MARGIN),
                clock, metrics);
    }
}
