package com.runwayrelay.submit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.aws.gateway.TaskWait;
import com.runwayrelay.aws.gateway.WireTask;
import com.runwayrelay.aws.s3.QueryLinkSigner;
import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.priming.LambdaRuntime;
import com.runwayrelay.aws.priming.PrimedApi;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.aws.dynamodb.DynamoDbOwnershipStore;
import com.runwayrelay.aws.dynamodb.DynamoDbRouterCaps;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.DynamoDbIdempotencyStore;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.aws.gateway.RunwayClientUploadSlots;
import com.runwayrelay.aws.metrics.EmfMetrics;
import com.runwayrelay.aws.runway.RunwayCallLimits;
import com.runwayrelay.aws.runway.RunwayClients;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.gateway.AdmissionControl;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.Idempotency;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.aws.outbound.GuardedDeliveryProbe;
import com.runwayrelay.aws.outbound.PinnedHttpClient;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.HostResolver;
import com.runwayrelay.domain.media.MediaPolicySettings;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import com.runwayrelay.domain.metrics.MeteredTaskRepository;
import com.runwayrelay.domain.metrics.MeteredUsageLedger;
import com.runwayrelay.domain.owned.OwnedReferences;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.gateway.RunwayClientGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import javax.net.ssl.SSLSocketFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Composition root of the submit function: reads the configuration and wires the use cases, once. */
public final class SubmitFunction {
    /** Loopback hosts media URLs may name when the local stack allows loopback http. */
    static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1");
    /**
     * The bound on one probe of a {@code relay.deliverTo} URL (connection, TLS and answer): short, since
     * the app waits for it, and the probes of one request run at the same time.
     */
    static final Duration DELIVERY_PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** Sent as {@code User-Agent} with the probe; the notifier's deliveries send {@code runway-relay-delivery/1}. */
    static final String DELIVERY_PROBE_USER_AGENT = "runway-relay-delivery-probe/1";

    private SubmitFunction() {
    }

    /**
     * Wires the function from {@code env}. In a Lambda runtime ({@link LambdaRuntime#isLambda}) it also registers the SnapStart
     * priming hook ({@link SubmitPriming}) with {@code org.crac}'s global context.
     */
    public static Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, HostResolver.system());
    }

    /** As {@link #fromEnvironment(Map)}, resolving media and callback hosts with {@code resolver}. */
    public static Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> fromEnvironment(Map<String, String> env,
                                                                                             HostResolver resolver) {
        SubmitConfig config = SubmitConfig.from(new Env(env));
        EmfMetrics metrics = EmfMetrics.fromEnvironment(env);
        AwsSettings awsSettings = AwsSettings.from(env);
        AwsClients aws = new AwsClients(awsSettings);
        DynamoDbClient dynamo = aws.dynamoDb();
        RunwayClient client = RunwayClients.create(config.runway(), aws, RunwayCallLimits.API_REQUEST, metrics);
        Clock clock = Clock.systemUTC();
        TaskRepository tasks = new MeteredTaskRepository(
                new DynamoDbTaskRepository(dynamo, config.table(), config.dueShards()), metrics);
        UsageLedger ledger = new MeteredUsageLedger(new DynamoDbUsageLedger(dynamo, config.table()), metrics);
        Catalog catalog = Catalog.loadDefault();

        MediaPolicySettings media = config.allowLoopbackHttp()
                ? new MediaPolicySettings(config.mediaHostAllowlist(), MediaPolicySettings.DEFAULT_MAX_DATA_URI_CHARS,
                        MediaPolicySettings.DEFAULT_MAX_URL_LENGTH, true, LOCAL_HOSTS)
                : MediaPolicySettings.of(config.mediaHostAllowlist());
        RequestCheck check = new RequestCheck(catalog,
                config.unknownModelPolicy().equals("passthrough") ? UnknownModelPolicy.PASSTHROUGH : UnknownModelPolicy.REJECT,
                new MediaUriPolicy(media, resolver),
                new CallbackUrlCheck(new AddressGuard(resolver, config.allowLoopbackHttp())),
                new OwnedReferences(new DynamoDbOwnershipStore(dynamo, config.table())),
                new RouterCheck(new DynamoDbRouterCaps(dynamo, config.table()), catalog),
                new GuardedDeliveryProbe(new AddressGuard(resolver, config.allowLoopbackHttp()), new PinnedHttpClient(
                        (SSLSocketFactory) SSLSocketFactory.getDefault(), DELIVERY_PROBE_TIMEOUT, DELIVERY_PROBE_USER_AGENT)));
        Idempotency idempotency = new Idempotency(new DynamoDbIdempotencyStore(dynamo, config.table()), clock,
                config.idempotencyTtl(), config.idempotencyLease(), config.idempotencyWait(), Duration.ofMillis(100));
        SubmitTask submit = new SubmitTask(check, catalog, config.unpricedCredits(), idempotency,
                new AdmissionControl(ledger, tasks, clock), ledger, tasks, new RunwayClientGateway(client), clock,
                () -> UUID.randomUUID().toString(), SubmitApi::stored, metrics);
        DynamoDbAppRepository apps = new DynamoDbAppRepository(dynamo, config.table());
        AppAuthenticator authenticator = new AppAuthenticator(apps, clock, config.appCacheTtl(), 10_000);
        // A held create answers with the task's links, signed without the S3 client (not in this package).
        QueryLinkSigner links = new QueryLinkSigner(aws.credentials(), awsSettings.region(), awsSettings.s3Endpoint(),
                config.bucket(), config.linkTtl(), clock);
        HeldCreates held = new HeldCreates(new TaskWait(tasks, clock, d -> Thread.sleep(d)), new WireTask(links::sign), clock);
        CreateUpload uploads = new CreateUpload(new RunwayClientUploadSlots(client));
        Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api = metrics.flushingAfter(
                new SubmitApi(authenticator, catalog.endpoints(), submit, uploads, held));
        if (!LambdaRuntime.isLambda(env)) {
            return api;
        }
        // Priming talks to the API through an authenticator of its own and without the metrics flush (SubmitPriming).
        SubmitPriming priming = new SubmitPriming(catalog, check, apps, clock,
                quiet -> new SubmitApi(quiet, catalog.endpoints(), submit, uploads, held));
        org.crac.Core.getGlobalContext().register(priming);
        return new PrimedApi<>(api, priming);
    }
}
