package com.runwayrelay.status;

import com.runwayrelay.aws.gateway.WireTask;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.dynamodb.DynamoDbOwnershipStore;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.aws.gateway.RunwayClientDocuments;
import com.runwayrelay.aws.gateway.RunwayClientRealtime;
import com.runwayrelay.aws.gateway.RunwayClientResources;
import com.runwayrelay.aws.gateway.RunwayClientWorkflows;
import com.runwayrelay.aws.log.JsonLog;
import com.runwayrelay.aws.priming.LambdaRuntime;
import com.runwayrelay.aws.priming.PrimedApi;
import com.runwayrelay.aws.gateway.S3ArchiveAccess;
import com.runwayrelay.aws.metrics.EmfMetrics;
import com.runwayrelay.aws.runway.RunwayCallLimits;
import com.runwayrelay.aws.runway.RunwayClients;
import com.runwayrelay.aws.s3.LinkSigner;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.metrics.MeteredTaskRepository;
import com.runwayrelay.domain.media.HostResolver;
import com.runwayrelay.domain.media.MediaPolicySettings;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.owned.Documents;
import com.runwayrelay.domain.owned.OwnedResources;
import com.runwayrelay.domain.owned.RealtimePricing;
import com.runwayrelay.domain.owned.RealtimeSessions;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.workflow.AppWorkflows;
import com.runwayrelay.domain.workflow.CachedPublishedWorkflows;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.gateway.RunwayClientGateway;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Composition root of the status function: reads the configuration and wires the use cases, once. */
public final class StatusFunction {
    /** Loopback hosts media URLs may name when the local stack allows loopback http (as the submit function's). */
    static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "::1");
    /** Published workflows one instance keeps (an organization publishes far fewer that apps may read). */
    static final int WORKFLOW_CACHE_ENTRIES = 100;
    /**
     * The largest workflow JSON kept, in characters: a graph may carry inputs of up to 5 MB (data URIs)
     * as its defaults, and 100 of those would not fit the function's memory; larger ones are read anew.
     */
    static final int WORKFLOW_CACHE_MAX_CHARS = 256 * 1024;

    private StatusFunction() {
    }

    /**
     * Wires the function from {@code env}. In a Lambda runtime ({@link LambdaRuntime#isLambda}) it also registers the SnapStart
     * priming hook ({@link StatusPriming}) with {@code org.crac}'s global context; the function returned then holds it
     * ({@link PrimedApi}).
     */
    public static Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> fromEnvironment(Map<String, String> env) {
        StatusConfig config = StatusConfig.from(new Env(env));
        EmfMetrics metrics = EmfMetrics.fromEnvironment(env);
        AwsClients aws = new AwsClients(AwsSettings.from(env));
        DynamoDbClient dynamo = aws.dynamoDb();
        // A cancel must fit in API Gateway's 30 s.
        RunwayClient client = RunwayClients.create(config.runway(), aws, RunwayCallLimits.API_REQUEST, metrics);
        Clock clock = Clock.systemUTC();
        TaskRepository tasks = new MeteredTaskRepository(
                new DynamoDbTaskRepository(dynamo, config.table(), config.dueShards()), metrics);
        UsageLedger ledger = new DynamoDbUsageLedger(dynamo, config.table());
        S3ArchiveAccess archive = new S3ArchiveAccess(
                new LinkSigner(aws.s3Presigner(), aws.credentials(), config.bucket(), config.linkTtl(), clock),
                aws.s3(), config.bucket());
        DynamoDbAppRepository apps = new DynamoDbAppRepository(dynamo, config.table());
        AppAuthenticator authenticator = new AppAuthenticator(apps, clock, config.appCacheTtl(), 10_000);
        TaskReads reads = new TaskReads(tasks, clock, d -> Thread.sleep(d));
        DynamoDbOwnershipStore ownership = new DynamoDbOwnershipStore(dynamo, config.table());
        RealtimeSessions realtime = new RealtimeSessions(ownership, new RunwayClientRealtime(client), ledger,
                new RealtimePricing(config.realtimeCreditsPerSecond()), clock);
        RunwayClientResources voices = new RunwayClientResources(client, ResourceKind.VOICES);
        MediaUriPolicy media = new MediaUriPolicy(config.allowLoopbackHttp()
                ? new MediaPolicySettings(config.mediaHostAllowlist(), MediaPolicySettings.DEFAULT_MAX_DATA_URI_CHARS,
                        MediaPolicySettings.DEFAULT_MAX_URL_LENGTH, true, LOOPBACK_HOSTS)
                : MediaPolicySettings.of(config.mediaHostAllowlist()), HostResolver.system());
        WireTask wire = new WireTask(archive);
        TaskDeletion deletion = new TaskDeletion(tasks, new RunwayClientGateway(client), archive, ledger, clock);
        OrganizationReport organization = new OrganizationReport(ledger, clock);
        // Recorded inside the API below, so flushed after the invocation that recorded it.
        PossibleOrphans orphans = new PossibleOrphans(JsonLog.STDOUT, metrics);
        DocumentRoutes documents = new DocumentRoutes(new Documents(ownership, new RunwayClientDocuments(client), clock),
                orphans);
        AvatarRoutes avatars = new AvatarRoutes(new OwnedResources<>(ResourceKind.AVATARS, ownership,
                new RunwayClientResources(client, ResourceKind.AVATARS), clock), media, orphans);
        VoiceRoutes voiceRoutes = new VoiceRoutes(new OwnedResources<>(ResourceKind.VOICES, ownership, voices, clock),
                body -> voices.action("preview", body), media, orphans);
        WorkflowRoutes workflows = new WorkflowRoutes(new AppWorkflows(new CachedPublishedWorkflows(
                new RunwayClientWorkflows(client), clock, config.workflowCacheTtl(), WORKFLOW_CACHE_ENTRIES,
                WORKFLOW_CACHE_MAX_CHARS)));
        WireInvocation invocations = new WireInvocation(wire);
        RealtimeSessionRoutes sessions = new RealtimeSessionRoutes(realtime, orphans);
        ConversationRoutes conversations = new ConversationRoutes(realtime.conversations());
        Function<AppAuthenticator, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> statusApi =
                auth -> new StatusApi(auth, reads, wire, deletion, organization, documents, avatars, voiceRoutes,
                        workflows, invocations, sessions, conversations);
        Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api = metrics.flushingAfter(statusApi.apply(authenticator));
        if (!LambdaRuntime.isLambda(env)) {
            return api;
        }
        // Priming talks to the API through an authenticator of its own and without the metrics flush (StatusPriming).
        StatusPriming priming = new StatusPriming(apps, wire, clock, statusApi);
        org.crac.Core.getGlobalContext().register(priming);
        return new PrimedApi<>(api, priming);
    }
}
