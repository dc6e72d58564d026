package com.runwayrelay.notifier;

import com.runwayrelay.aws.outbound.PinnedHttpClient;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.aws.metrics.EmfMetrics;
import com.runwayrelay.aws.priming.LambdaRuntime;
import com.runwayrelay.aws.s3.LinkSigner;
import com.runwayrelay.aws.archive.S3StoredOutputs;
import com.runwayrelay.domain.delivery.OutputDeliveries;
import com.runwayrelay.domain.gateway.EndedTaskSettlement;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.HostResolver;
import com.runwayrelay.domain.webhook.WebhookDispatch;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.SSLSocketFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Composition root of the notifier: reads the configuration and wires the use case, once. */
public final class NotifierFunction {
    /** Sent as {@code User-Agent} with every webhook. */
    static final String USER_AGENT = "runway-relay-webhooks/1";
    /** Sent as {@code User-Agent} with every output delivered to an app's storage. */
    static final String DELIVERY_USER_AGENT = "runway-relay-delivery/1";

    private NotifierFunction() {
    }

    /**
     * The stream-batch function the handler runs, wired from {@code env} (the process environment in Lambda).
     * In a Lambda runtime ({@link LambdaRuntime#isLambda}) it also registers the SnapStart priming hook
     * ({@link NotifierPriming}) with {@code org.crac}'s global context.
     */
    public static Function<DynamodbEvent, StreamsEventResponse> fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, Clock.systemUTC(), Thread::sleep, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** As {@link #fromEnvironment(Map)}, with the clock, the sleeper and the TLS sockets chosen by a test. */
    static Function<DynamodbEvent, StreamsEventResponse> fromEnvironment(Map<String, String> env, Clock clock,
                                                                        WebhookDispatch.Sleeper sleeper,
                                                                        SSLSocketFactory tls) {
        NotifierConfig config = NotifierConfig.from(new Env(env));
        EmfMetrics metrics = EmfMetrics.fromEnvironment(env);
        AwsClients clients = new AwsClients(AwsSettings.from(env));
        DynamoDbClient dynamo = clients.dynamoDb();
        LinkSigner links = new LinkSigner(clients.s3Presigner(), clients.credentials(), config.bucket(), config.linkTtl(),
                clock);
        GuardedWebhookSender sender = new GuardedWebhookSender(
                new AddressGuard(HostResolver.system(), config.allowLoopbackHttp()),
                new PinnedHttpClient(tls, config.sendTimeout(), USER_AGENT), clock);
        DynamoDbTaskRepository tasks = new DynamoDbTaskRepository(dynamo, config.table(), config.dueShards());
        EndedTaskSettlement settlement = new EndedTaskSettlement(tasks, new DynamoDbUsageLedger(dynamo, config.table()));
        DynamoDbAppRepository apps = new DynamoDbAppRepository(dynamo, config.table());
        JsonEventPayloads payloads = new JsonEventPayloads(new ObjectMapper(), links::sign);
        WebhookDispatch dispatch = new WebhookDispatch(
                tasks,
                apps,
                payloads,
                sender, config.dispatchSettings(), clock, sleeper,
                // Thread-safe (deliveries of one batch run in parallel). A SecureRandom, not a java.util.Random made at
                // init: a SnapStart snapshot would give every restored environment that Random's state, so all of them
                // would draw the same retry jitter. On Linux SecureRandom (NativePRNG) mixes bytes read from the OS into
                // every draw, so restored environments do not repeat one another.
                new SecureRandom());
        OutputDeliveries outputs = new OutputDeliveries(tasks, new S3StoredOutputs(clients.s3(), config.bucket()),
                new GuardedOutputUploader(new AddressGuard(HostResolver.system(), config.allowLoopbackHttp()),
                        new PinnedHttpClient(tls, config.deliveryTimeout(), DELIVERY_USER_AGENT), clock),
                OutputDeliveries.Settings.standard(), clock, sleeper::sleep);
        // The outputs go to the app's storage before the webhook, so the webhook reports how that went.
        Function<String, WebhookDispatch.Result> deliver = taskId -> {
            outputs.deliver(taskId);
            return dispatch.deliver(taskId);
        };
        Function<DynamodbEvent, StreamsEventResponse> batch =
                metrics.flushingAfter(new StreamDeliveries(settlement::settle, deliver, metrics));
        if (!LambdaRuntime.isLambda(env)) {
            return batch;
        }
        // A sender of its own that may reach loopback, for the priming's receiver only; the function's never may.
        GuardedWebhookSender primingSender = new GuardedWebhookSender(
                new AddressGuard(HostResolver.system(), true),
                new PinnedHttpClient(tls, config.sendTimeout(), USER_AGENT), clock);
        NotifierPriming priming = new NotifierPriming(() -> {
            settlement.settle(NotifierPriming.UNKNOWN_TASK);
            deliver.apply(NotifierPriming.UNKNOWN_TASK);
            apps.find(NotifierPriming.UNKNOWN_APP);
        }, payloads, primingSender, clock);
        org.crac.Core.getGlobalContext().register(priming);
        return new Primed(batch, priming);
    }

    /**
     * The batch function of a notifier wired in Lambda, holding its priming hook: {@code org.crac} keeps
     * registered resources only weakly, so the hook lives as long as the handler that holds this.
     */
    record Primed(Function<DynamodbEvent, StreamsEventResponse> batch, NotifierPriming priming)
            implements Function<DynamodbEvent, StreamsEventResponse> {
        @Override
        public StreamsEventResponse apply(DynamodbEvent event) {
            return batch.apply(event);
        }
    }
}
