package com.runwayrelay.notifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.gateway.DynamoDbUsageLedger;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.WebhookDelivery.DeliveryAttempt;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import com.runwayrelay.domain.webhook.WebhookEventType;
import com.runwayrelay.domain.webhook.WebhookSecrets;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The notifier handler end to end: DynamoDB Local and s3proxy for the table and the bucket, a
 * webhook receiver on loopback (allowed by the local-only switch), and every signature checked by
 * the official Standard Webhooks library rather than our own code.
 */
@WithAwsEmulators
class NotifierHandlerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AwsEmulators aws;
    /** Stands still except when the sleeper moves it: a wait is recorded, never measured. */
    private final ManualClock clock = new ManualClock(Instant.now());
    private final List<Duration> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final NotifierHandler handler;
    private final DynamoDbTaskRepository tasks;
    private final DynamoDbAppRepository apps;
    private final Receiver receiver;
    private final String appId = "app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 26);
    private final String secret = WebhookSecrets.mint(RANDOM);

    NotifierHandlerIT(AwsEmulators aws) throws Exception {
        this.aws = aws;
        Map<String, String> env = new HashMap<>(aws.environment());
        env.put("RELAY_ALLOW_LOOPBACK_HTTP", "true");
        handler = new NotifierHandler(NotifierFunction.fromEnvironment(env, clock, d -> {
            waits.add(d);
            clock.advance(d);
        }, (SSLSocketFactory) SSLSocketFactory.getDefault()));
        tasks = new DynamoDbTaskRepository(aws.dynamoDb(), aws.tableName(), com.runwayrelay.domain.DueShards.DEFAULT);
        apps = new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName());
        receiver = Receiver.http();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private void givenApp(App.WebhookSecret... secrets) {
        apps.create(App.builder(appId, "it", Instant.now().minusSeconds(86_400)).dailyCreditBudget(1000)
                .maxActiveTasks(10).webhookSecrets(List.of(secrets)).build(), "hash-" + appId);
    }

    private void givenApp() {
        givenApp(new App.WebhookSecret(secret, Instant.now().minusSeconds(3600), null));
    }

    private Task givenTask(TaskState state, java.util.function.UnaryOperator<Task.Builder> more) {
        String id = UUID.randomUUID().toString();
        Instant created = clock.instant().minusSeconds(120);
        Task task = more.apply(Task.accepted(id, appId, "text_to_image", "gen4_image", "{}", 5, created)
                .state(state).version(5).dueAt(null).updatedAt(clock.instant())
                .callbackUrl(receiver.url("/hooks/" + id).toString())).build();
        tasks.insert(task);
        return task;
    }

    private StreamsEventResponse streamRecordOf(Task task) {
        return handler.handleRequest(StreamDeliveriesTest.event(
                StreamDeliveriesTest.record("task#" + task.id(), Long.toString(System.nanoTime()))), null);
    }

    private Task stored(Task task) {
        return tasks.find(task.id()).orElseThrow();
    }

    private static Map<String, List<String>> headersOf(Receiver.Request request) {
        return Map.of("webhook-id", List.of(request.header("webhook-id")),
                "webhook-timestamp", List.of(request.header("webhook-timestamp")),
                "webhook-signature", List.of(request.header("webhook-signature")));
    }

    private static void verify(String secret, Receiver.Request request) throws WebhookVerificationException {
        new Webhook(secret).verify(request.bodyText(), headersOf(request));
    }

    @Test
    void succeededTask_isDeliveredSignedWithAWorkingLinkToEachArchivedOutput() throws Exception {
        givenApp();
        byte[] image = "not really a png, but bytes all the same".getBytes();
        String key = "outputs/" + appId + "/" + UUID.randomUUID() + "/0.png";
        aws.s3().putObject(PutObjectRequest.builder().bucket(aws.bucketName()).key(key).contentType("image/png").build(),
                RequestBody.fromBytes(image));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
        Task task = givenTask(TaskState.ARCHIVED, b -> b.actualCredits(5L)
                .archive(List.of(new ArchiveRecord(key, image.length, sha, "image/png"))));

        StreamsEventResponse response = streamRecordOf(task);

        assertTrue(response.getBatchItemFailures().isEmpty());
        Receiver.Request request = receiver.requests().getFirst();
        verify(secret, request);
        assertEquals("application/json", request.header("content-type"));
        JsonNode body = JSON.readTree(request.body());
        assertEquals("task.succeeded", body.get("type").asText());
        JsonNode data = body.get("data");
        assertEquals(task.id(), data.get("id").asText());
        assertEquals("SUCCEEDED", data.get("status").asText());
        assertEquals(1, data.get("sequence").asLong());
        assertEquals(sha, data.get("outputs").get(0).get("sha256").asText());
        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(data.get("outputs").get(0).get("url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(image, download.body());

        WebhookDelivery webhook = stored(task).webhook();
        assertEquals(DeliveryStatus.DELIVERED, webhook.status());
        assertEquals(request.header("webhook-id"), webhook.messageId());
        assertEquals(1, webhook.attempts().size());
        assertEquals(200, webhook.attempts().getFirst().httpStatus());
        assertNull(stored(task).dueAt());

        streamRecordOf(task);
        assertEquals(1, receiver.requests().size(), "a replayed record sends nothing");
    }

    @Test
    void primingWritesNothingAndSendsNothingOut_thenADeliveryWorks_whenWiredAsInALambdaRuntime() throws Exception {
        givenApp();
        Task task = givenTask(TaskState.ARCHIVED, b -> b.actualCredits(5L)
                .archive(List.of(new ArchiveRecord("outputs/" + appId + "/x/0.png", 3, "ab".repeat(32), "image/png"))));
        Map<String, String> env = new HashMap<>(aws.environment());
        env.put("RELAY_ALLOW_LOOPBACK_HTTP", "true");
        env.put(com.runwayrelay.aws.priming.LambdaRuntime.EXECUTION_ENV, "AWS_Lambda_java21");
        var batch = NotifierFunction.fromEnvironment(env, clock, d -> clock.advance(d),
                (SSLSocketFactory) SSLSocketFactory.getDefault());
        NotifierFunction.Primed primed = org.junit.jupiter.api.Assertions.assertInstanceOf(NotifierFunction.Primed.class, batch);
        var itemsBefore = items();
        var objectsBefore = objects();

        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        NotifierPriming.Outcome outcome;
        try {
            // Log lines and EMF metric documents go to standard output (JsonLog, EmfMetrics).
            System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            primed.priming().beforeCheckpoint(null);
            outcome = primed.priming().last().orElseThrow();
        } finally {
            System.setOut(out);
        }

        assertEquals(List.of(), outcome.failures());
        assertTrue(outcome.complete(), outcome.toString());
        assertEquals("", captured.toString(java.nio.charset.StandardCharsets.UTF_8), "no log line, no metric");
        assertEquals(itemsBefore, items(), "priming writes no item");
        assertEquals(objectsBefore, objects(), "priming writes no object");
        assertEquals(List.of(), receiver.requests(), "priming sends no webhook to an app");
        assertNull(stored(task).webhook());

        StreamsEventResponse response = new NotifierHandler(batch).handleRequest(StreamDeliveriesTest.event(
                StreamDeliveriesTest.record("task#" + task.id(), Long.toString(System.nanoTime()))), null);

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(1, receiver.requests().size());
        verify(secret, receiver.requests().getFirst());
        assertEquals(task.id(), JSON.readTree(receiver.requests().getFirst().body()).get("data").get("id").asText());
        assertEquals(DeliveryStatus.DELIVERED, stored(task).webhook().status());
    }

    @Test
    void registersNoPrimingHook_whenWiredWithoutTheLambdaRuntime() {
        Map<String, String> env = new HashMap<>(aws.environment());
        assertTrue(!(NotifierFunction.fromEnvironment(env) instanceof NotifierFunction.Primed));
        env.put(com.runwayrelay.aws.priming.LambdaRuntime.EXECUTION_ENV, "local");
        assertTrue(!(NotifierFunction.fromEnvironment(env) instanceof NotifierFunction.Primed));
    }

    private List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> items() {
        return aws.dynamoDb().scanPaginator(b -> b.tableName(aws.tableName()).consistentRead(true)).items().stream()
                .sorted(java.util.Comparator.comparing(Object::toString)).toList();
    }

    private List<String> objects() {
        return aws.s3().listObjectsV2(b -> b.bucket(aws.bucketName())).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).sorted().toList();
    }

    @Test
    void onlyTheChosenEventsAreSent_andTheirLinksLiveTheTasksOwnLifetime() throws Exception {
        givenApp();
        String key = "outputs/" + appId + "/" + UUID.randomUUID() + "/0.png";
        aws.s3().putObject(PutObjectRequest.builder().bucket(aws.bucketName()).key(key).contentType("image/png").build(),
                RequestBody.fromBytes(new byte[] {1, 2, 3}));
        java.util.Set<WebhookEventType> onlySuccess = java.util.Set.of(WebhookEventType.TASK_SUCCEEDED);
        Task failed = givenTask(TaskState.FAILED, b -> b.failure("moderated").webhookEvents(onlySuccess));
        Task succeeded = givenTask(TaskState.ARCHIVED, b -> b.actualCredits(5L).webhookEvents(onlySuccess)
                .linkTtl(Duration.ofSeconds(300)).archive(List.of(new ArchiveRecord(key, 3, "ab".repeat(32), "image/png"))));

        assertTrue(streamRecordOf(failed).getBatchItemFailures().isEmpty());
        assertTrue(streamRecordOf(succeeded).getBatchItemFailures().isEmpty());

        assertEquals(1, receiver.requests().size());
        JsonNode body = JSON.readTree(receiver.requests().getFirst().body());
        assertEquals("task.succeeded", body.get("type").asText());
        assertEquals(succeeded.id(), body.get("data").get("id").asText());
        assertEquals(clock.instant().plusSeconds(300).toString(),
                body.get("data").get("outputs").get(0).get("expiresAt").asText());
        assertTrue(body.get("data").get("outputs").get(0).get("url").asText().contains("X-Amz-Expires=300"));
        assertNull(stored(failed).webhook(), "a left-out event is never pending");
        assertNull(stored(failed).dueAt());
    }

    @Test
    void failedTask_isDeliveredAsTaskFailed_withFailureAndCode() throws Exception {
        givenApp();
        Task task = givenTask(TaskState.FAILED, b -> b.failure("The prompt was rejected by content moderation.")
                .failureCode("SAFETY.INPUT.TEXT"));

        streamRecordOf(task);

        Receiver.Request request = receiver.requests().getFirst();
        verify(secret, request);
        JsonNode body = JSON.readTree(request.body());
        assertEquals("task.failed", body.get("type").asText());
        assertEquals("FAILED", body.get("data").get("status").asText());
        assertEquals("SAFETY.INPUT.TEXT", body.get("data").get("failureCode").asText());
        assertEquals(DeliveryStatus.DELIVERED, stored(task).webhook().status());
    }

    @Test
    void cancelledAndExpiredTasks_areDeliveredAsTaskCancelled() throws Exception {
        givenApp();
        Task cancelled = givenTask(TaskState.CANCELLED, b -> b);
        Task expired = givenTask(TaskState.EXPIRED, b -> b.failure("The task's deadline passed."));

        streamRecordOf(cancelled);
        streamRecordOf(expired);

        assertEquals(2, receiver.requests().size());
        for (Receiver.Request request : receiver.requests()) {
            verify(secret, request);
            JsonNode body = JSON.readTree(request.body());
            assertEquals("task.cancelled", body.get("type").asText());
            assertEquals("CANCELLED", body.get("data").get("status").asText());
        }
        assertEquals(DeliveryStatus.DELIVERED, stored(cancelled).webhook().status());
        assertEquals(DeliveryStatus.DELIVERED, stored(expired).webhook().status());
    }

    @Test
    void answer500ThenA200_isRetriedWithTheSameWebhookId_andOneSuccessIsRecorded() throws Exception {
        givenApp();
        receiver.reply(500);
        Task task = givenTask(TaskState.ARCHIVED, b -> b);

        streamRecordOf(task);
        Task pending = stored(task);
        assertEquals(DeliveryStatus.PENDING, pending.webhook().status());
        assertEquals(pending.webhook().nextAt(), pending.dueAt(), "the retry is in the due index");
        // The stream delivers the record of that write at once; the 5 s retry is waited for in place.
        streamRecordOf(pending);

        List<Receiver.Request> requests = receiver.requests();
        assertEquals(2, requests.size());
        assertEquals(requests.get(0).header("webhook-id"), requests.get(1).header("webhook-id"));
        verify(secret, requests.get(0));
        verify(secret, requests.get(1));
        // The clock moved only by the wait, so the wait is exactly the scheduled delay: 5 s ± 20 %.
        Duration scheduled = Duration.between(pending.updatedAt(), pending.webhook().nextAt());
        assertEquals(List.of(scheduled), waits);
        assertTrue(scheduled.compareTo(Duration.ofSeconds(4)) >= 0 && scheduled.compareTo(Duration.ofSeconds(6)) <= 0,
                scheduled.toString());
        WebhookDelivery webhook = stored(task).webhook();
        assertEquals(DeliveryStatus.DELIVERED, webhook.status());
        assertEquals(List.of(500, 200), webhook.attempts().stream().map(DeliveryAttempt::httpStatus).toList());
        assertEquals(1, webhook.attempts().stream().filter(a -> a.httpStatus() / 100 == 2).count());
        assertNull(stored(task).dueAt());
    }

    @Test
    void answer410_disablesTheAppsEndpoint_andLaterDeliveriesAreSkipped() {
        givenApp();
        receiver.reply(410);
        Task first = givenTask(TaskState.ARCHIVED, b -> b);
        Task second = givenTask(TaskState.FAILED, b -> b);

        streamRecordOf(first);
        streamRecordOf(second);

        assertTrue(apps.find(appId).orElseThrow().webhookDisabled(), "visible on the app");
        assertEquals(DeliveryStatus.DISABLED, stored(first).webhook().status());
        assertEquals(410, stored(first).webhook().attempts().getFirst().httpStatus());
        assertEquals(DeliveryStatus.DISABLED, stored(second).webhook().status());
        assertEquals(1, receiver.requests().size(), "nothing is sent once the endpoint is disabled");
    }

    @Test
    void redirect_isNotFollowed_andCountsAsAFailedAttempt() {
        givenApp();
        receiver.reply(301, "Location", receiver.url("/redirect-target").toString());
        Task task = givenTask(TaskState.ARCHIVED, b -> b);

        streamRecordOf(task);

        assertEquals(List.of("/hooks/" + task.id()), receiver.requests().stream().map(Receiver.Request::uri).toList());
        WebhookDelivery webhook = stored(task).webhook();
        assertEquals(DeliveryStatus.PENDING, webhook.status());
        assertEquals(new DeliveryAttempt(webhook.attempts().getFirst().at(), 301, "HTTP 301: redirects are not followed"),
                webhook.attempts().getFirst());
    }

    @Test
    void duringASecretRotation_bothSecretsSign_andEachVerifiesOnItsOwn() throws Exception {
        String old = WebhookSecrets.mint(RANDOM);
        givenApp(new App.WebhookSecret(secret, Instant.now().minusSeconds(60), null),
                new App.WebhookSecret(old, Instant.now().minusSeconds(86_400), Instant.now().plusSeconds(3600)));
        Task task = givenTask(TaskState.ARCHIVED, b -> b);

        streamRecordOf(task);

        Receiver.Request request = receiver.requests().getFirst();
        assertEquals(2, request.header("webhook-signature").split(" ").length);
        verify(secret, request);
        verify(old, request);
        assertThrows(WebhookVerificationException.class, () -> verify(WebhookSecrets.mint(RANDOM), request));
    }

    @Test
    void callbackToAPrivateOrMetadataAddress_isNeverContacted_andFailsAtOnce() {
        givenApp();
        Task internal = givenTask(TaskState.ARCHIVED, b -> b.callbackUrl("https://10.1.2.3/hook"));
        Task metadata = givenTask(TaskState.FAILED, b -> b.callbackUrl("http://169.254.169.254/latest/meta-data/"));

        streamRecordOf(internal);
        streamRecordOf(metadata);

        for (Task task : List.of(internal, metadata)) {
            WebhookDelivery webhook = stored(task).webhook();
            assertEquals(DeliveryStatus.FAILED, webhook.status());
            assertEquals(0, webhook.attempts().getFirst().httpStatus());
            assertTrue(webhook.attempts().getFirst().error().startsWith("not sent: "), webhook.attempts().toString());
        }
        assertTrue(receiver.requests().isEmpty());
    }

    @Test
    void endedTasksWhoseWritersStoppedBeforeSettling_areSettledOnce_withOrWithoutACallback() {
        givenApp();
        DynamoDbUsageLedger ledger = new DynamoDbUsageLedger(aws.dynamoDb(), aws.tableName());
        // Refused by Runway (no Runway task, nothing charged), and stored without a callback.
        Task refused = givenTask(TaskState.FAILED, b -> b.callbackUrl(null).failureCode("INPUT.INVALID")
                .attempts(List.of(new Attempt(1, null, clock.instant(), AttemptOutcome.FAILED, "INPUT.INVALID", "refused"))));
        Task archived = givenTask(TaskState.ARCHIVED, b -> b.actualCredits(3L)
                .attempts(List.of(new Attempt(1, "rw-1", clock.instant(), AttemptOutcome.SUCCEEDED, null, null))));
        for (Task task : List.of(refused, archived)) {
            assertEquals(new UsageLedger.Admission.Admitted(), ledger.admit(new UsageLedger.Reservation(appId, task.id(),
                    task.request().model(), task.createdAt(), task.request().estimatedCredits(), 1000, 10)));
        }
        var day = UsageLedger.Settlement.of(refused).day();
        assertEquals(10, ledger.usage(appId, day).usedCredits());

        for (int replay = 0; replay < 2; replay++) {
            assertTrue(streamRecordOf(refused).getBatchItemFailures().isEmpty());
            assertTrue(streamRecordOf(archived).getBatchItemFailures().isEmpty());

            assertEquals(0 + 3, ledger.usage(appId, day).usedCredits(), "replay " + replay);
            assertTrue(ledger.activeSlots(appId).isEmpty(), "replay " + replay);
        }
        assertEquals(1, receiver.requests().size(), "only the task with a callback gets a webhook");
    }

    @Test
    void fixtureRecordsOfTasksThatDoNotExist_areAcknowledgedWithoutSending() {
        for (String fixture : List.of("dynamodb-task-archived.json", "dynamodb-task-failed.json",
                "dynamodb-task-cancelled.json", "dynamodb-webhook-retry-due.json")) {
            DynamodbEvent event = EventLoader.loadEvent(StreamDeliveriesTest.EVENTS.resolve(fixture).toString(),
                    DynamodbEvent.class);

            assertTrue(handler.handleRequest(event, null).getBatchItemFailures().isEmpty(), fixture);
        }
        assertTrue(receiver.requests().isEmpty());
    }
}
