package com.runwayrelay.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.aws.dynamodb.DynamoDbOwnershipStore;
import com.runwayrelay.aws.dynamodb.DynamoDbRouterCaps;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.aws.gateway.RunwayClientInventory;
import com.runwayrelay.aws.gateway.S3ArchiveAccess;
import com.runwayrelay.aws.metrics.CloudWatchMetricsReader;
import com.runwayrelay.aws.metrics.EmfMetrics;
import com.runwayrelay.aws.priming.LambdaRuntime;
import com.runwayrelay.aws.priming.PrimedApi;
import com.runwayrelay.aws.runway.RunwayCallLimits;
import com.runwayrelay.aws.runway.RunwayClients;
import com.runwayrelay.aws.s3.LinkSigner;
import com.runwayrelay.aws.queues.QueueDepthsFromEnv;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.domain.admin.AppAdministration;
import com.runwayrelay.domain.admin.HealthReport;
import com.runwayrelay.domain.admin.KnownNames;
import com.runwayrelay.domain.admin.MetricsOverview;
import com.runwayrelay.domain.admin.Orphans;
import com.runwayrelay.domain.admin.TaskAdministration;
import com.runwayrelay.domain.admin.UsageReport;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.app.AppRepository;
import com.runwayrelay.domain.gateway.TaskCancellation;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.HostResolver;
import com.runwayrelay.domain.metrics.MeteredTaskRepository;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.gateway.RunwayClientGateway;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Composition root of the admin function: reads the configuration and wires the use cases, once. */
public final class AdminFunction {
    private AdminFunction() {
    }

    /**
     * Wires the function from {@code env}. In a Lambda runtime ({@link LambdaRuntime#isLambda}) it also registers the
     * SnapStart priming hook ({@link AdminPriming}) with {@code org.crac}'s global context; the function returned then
     * holds it ({@link PrimedApi}).
     */
    public static Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, HostResolver.system());
    }

    /** As {@link #fromEnvironment(Map)}, resolving callback hosts with {@code resolver}. */
    public static Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> fromEnvironment(Map<String, String> env,
                                                                                             HostResolver resolver) {
        AdminConfig config = AdminConfig.from(new Env(env));
        EmfMetrics metrics = EmfMetrics.fromEnvironment(env);
        AwsClients aws = new AwsClients(AwsSettings.from(env));
        DynamoDbClient dynamo = aws.dynamoDb();
        Clock clock = Clock.systemUTC();
        // A cancel must fit in API Gateway's 30 s.
        RunwayClient runway = RunwayClients.create(config.runway(), aws, RunwayCallLimits.API_REQUEST, metrics);
        AppRepository appRepository = new DynamoDbAppRepository(dynamo, config.table());
        DynamoDbTaskRepository tasks = new DynamoDbTaskRepository(dynamo, config.table(), config.dueShards());
        // An operator's cancel ends a task like any other writer: TasksFinished and CreditsCharged count it.
        TaskRepository metered = new MeteredTaskRepository(tasks, metrics);
        UsageLedger ledger = new DynamoDbUsageLedger(dynamo, config.table());
        S3ArchiveAccess archive = new S3ArchiveAccess(
                new LinkSigner(aws.s3Presigner(), aws.credentials(), config.bucket(), config.linkTtl(), clock),
                aws.s3(), config.bucket());
        AppAdministration apps = new AppAdministration(appRepository, knownNames(Catalog.loadDefault()),
                new CallbackUrlCheck(new AddressGuard(resolver, config.allowLoopbackHttp())), clock);
        TaskAdministration taskAdministration = new TaskAdministration(metered, tasks,
                new TaskCancellation(metered, new RunwayClientGateway(runway), archive, ledger, clock), archive, clock);
        // The queue URLs (RELAY_POLLER_DLQ_URL, RELAY_STREAM_FAILURE_QUEUE_URL), or the local stack's failure file.
        HealthReport health = new HealthReport(tasks, QueueDepthsFromEnv.create(new Env(env), aws::sqs), clock);
        // CloudWatch on AWS; locally the stack's CloudWatch stand-in (AWS_ENDPOINT_URL_CLOUDWATCH), fed with the functions' EMF.
        MetricsOverview overview = new MetricsOverview(new CloudWatchMetricsReader(aws.cloudWatch(), config.metrics()),
                clock);
        // Router configurations are forwarded to Runway; each answer updates the cap a routed generation reserves.
        AdminRouters routers = new AdminRouters(runway, new DynamoDbRouterCaps(dynamo, config.table()), clock);
        UsageReport usage = new UsageReport(ledger, appRepository);
        // Reconciliation: Runway's organization-wide lists against the ownership records, one page per call.
        AdminOrphans orphans = new AdminOrphans(new Orphans(new DynamoDbOwnershipStore(dynamo, config.table()),
                new RunwayClientInventory(runway), appRepository, clock));
        Function<Consumer<String>, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> adminApi =
                failures -> new AdminApi(apps, taskAdministration, usage, health, overview, routers, orphans, failures);
        Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api = metrics.flushingAfter(
                adminApi.apply(AdminApi.LOGGED));
        if (!LambdaRuntime.isLambda(env)) {
            return api;
        }
        // Priming talks to an API of its own that keeps failures instead of logging them, without the metrics flush.
        AdminPriming priming = new AdminPriming(adminApi);
        org.crac.Core.getGlobalContext().register(priming);
        return new PrimedApi<>(api, priming);
    }

    /** Every endpoint and model of the catalog (a recipe's versions are not models). */
    static KnownNames knownNames(Catalog catalog) {
        Set<String> models = new TreeSet<>();
        catalog.endpoints().stream().filter(endpoint -> catalog.selector(endpoint).orElseThrow().equals("model"))
                .forEach(endpoint -> models.addAll(catalog.models(endpoint)));
        return new KnownNames(catalog.endpoints(), models);
    }
}
