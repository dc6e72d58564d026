package com.runwayrelay.notifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.dynamodb.DynamoDbAppRepository;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.OutputDelivery;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.delivery.DeliverTo;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.webhook.WebhookSecrets;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;

/**
 * {@code relay.deliverTo} end to end through the notifier handler: archived outputs in s3proxy,
 * the app's storage a second s3proxy bucket reached through pre-signed PUT URLs (s3proxy checks
 * their signatures and expiry), the webhook received on loopback (allowed by the local-only switch).
 */
@WithAwsEmulators
class OutputDeliveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsEmulators aws;
    private final ManualClock clock = new ManualClock(Instant.now());
    private final NotifierHandler handler;
    private final DynamoDbTaskRepository tasks;
    private final Receiver receiver;
    private final String appId = "app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 26);
    private final String appBucket = "app-storage-" + UUID.randomUUID().toString().substring(0, 8);

    OutputDeliveryIT(AwsEmulators aws) throws Exception {
        this.aws = aws;
        this.receiver = Receiver.http();
        Map<String, String> env = new HashMap<>(aws.environment());
        env.put("RELAY_ALLOW_LOOPBACK_HTTP", "true");
        handler = new NotifierHandler(NotifierFunction.fromEnvironment(env, clock, clock::advance,
                (SSLSocketFactory) SSLSocketFactory.getDefault()));
        tasks = new DynamoDbTaskRepository(aws.dynamoDb(), aws.tableName(), com.runwayrelay.domain.DueShards.DEFAULT);
        new DynamoDbAppRepository(aws.dynamoDb(), aws.tableName()).create(App.builder(appId, "it",
                        Instant.now().minusSeconds(86_400)).dailyCreditBudget(1000).maxActiveTasks(10)
                .webhookSecrets(List.of(new App.WebhookSecret(WebhookSecrets.mint(new SecureRandom()),
                        Instant.now().minusSeconds(3600), null))).build(), "hash-" + appId);
        aws.s3().createBucket(CreateBucketRequest.builder().bucket(appBucket).build());
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    /** An archived output of {@code size} random bytes; its record. */
    private ArchiveRecord archived(String taskId, int index, int size, String contentType, String extension)
            throws Exception {
        byte[] bytes = new byte[size];
        new Random(index * 31L + size).nextBytes(bytes);
        String key = "outputs/" + appId + "/" + taskId + "/" + index + "." + extension;
        aws.s3().putObject(PutObjectRequest.builder().bucket(aws.bucketName()).key(key).contentType(contentType).build(),
                RequestBody.fromBytes(bytes));
        return new ArchiveRecord(key, size, sha256(bytes), contentType);
    }

    private Task givenArchivedTask(String id, List<ArchiveRecord> records, UnaryOperator<Task.Builder> more) {
        Task task = more.apply(Task.accepted(id, appId, "text_to_image", "gpt_image_2", "{}", 5,
                        clock.instant().minusSeconds(120))
                .state(TaskState.ARCHIVED).version(5).dueAt(null).updatedAt(clock.instant()).actualCredits(5L)
                .archive(records).callbackUrl(receiver.url("/hooks/" + id).toString())).build();
        tasks.insert(task);
        return task;
    }

    private String presignedPut(String key, String contentType) {
        return aws.s3Presigner().presignPutObject(PutObjectPresignRequest.builder()
                .signatureDuration(Duration.ofMinutes(10))
                .putObjectRequest(PutObjectRequest.builder().bucket(appBucket).key(key).contentType(contentType).build())
                .build()).url().toString();
    }

    /** A pre-signed PUT URL signed two hours ago for ten minutes: expired, as an app's old URL would be. */
    private String expiredPut(String key) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT)
                .uri(aws.s3Endpoint().resolve("/" + appBucket + "/" + key)).build();
        var credentials = aws.credentials().resolveCredentials();
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                .request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, aws.region().id())
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(10))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC)));
        return signed.request().getUri().toString();
    }

    private ResponseBytes<GetObjectResponse> appObject(String key) {
        return aws.s3().getObjectAsBytes(GetObjectRequest.builder().bucket(appBucket).key(key).build());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private void streamRecordOf(Task task) {
        var response = handler.handleRequest(StreamDeliveriesTest.event(
                StreamDeliveriesTest.record("task#" + task.id(), Long.toString(System.nanoTime()))), null);
        assertTrue(response.getBatchItemFailures().isEmpty(), response.getBatchItemFailures()::toString);
    }

    @Test
    void putsEveryOutputByteExactToItsPresignedUrl_andTheWebhookAndStatusSayHow() throws Exception {
        String id = UUID.randomUUID().toString();
        ArchiveRecord first = archived(id, 0, 3 * 1024 * 1024 + 17, "image/png", "png");
        ArchiveRecord second = archived(id, 1, 4097, "image/png", "png");
        Task task = givenArchivedTask(id, List.of(first, second), b -> b.deliverTo(DeliverTo.of(List.of(
                presignedPut("renders/" + id + "/a.png", "image/png"), presignedPut("renders/" + id + "/b.png", "image/png")))));

        streamRecordOf(task);

        ResponseBytes<GetObjectResponse> a = appObject("renders/" + id + "/a.png");
        ResponseBytes<GetObjectResponse> b = appObject("renders/" + id + "/b.png");
        assertEquals(first.sha256(), sha256(a.asByteArray()), "byte-exact");
        assertEquals(first.size(), a.asByteArray().length);
        assertEquals("image/png", a.response().contentType());
        assertEquals(second.sha256(), sha256(b.asByteArray()));
        List<OutputDelivery> outcomes = tasks.find(id).orElseThrow().deliveries();
        assertEquals(2, outcomes.size());
        for (int i = 0; i < 2; i++) {
            OutputDelivery outcome = outcomes.get(i);
            ArchiveRecord record = i == 0 ? first : second;
            assertEquals(OutputDelivery.Outcome.DELIVERED, outcome.outcome());
            assertEquals(200, outcome.httpStatus());
            assertEquals(record.size(), outcome.bytes());
            assertEquals(record.sha256(), outcome.sha256());
            assertEquals(1, outcome.attempts());
        }
        JsonNode webhook = JSON.readTree(receiver.requests().getFirst().body());
        assertEquals("task.succeeded", webhook.get("type").asText());
        JsonNode reported = webhook.get("data").get("deliveries");
        assertEquals(2, reported.size());
        assertEquals("delivered", reported.get(0).get("outcome").asText());
        assertEquals(first.sha256(), reported.get(0).get("sha256").asText());
        assertTrue(!webhook.toString().contains("renders/"), "the webhook never repeats a delivery URL");

        streamRecordOf(task);
        assertEquals(1, receiver.requests().size(), "a replayed record neither delivers nor notifies again");
        assertEquals(outcomes, tasks.find(id).orElseThrow().deliveries());
    }

    @Test
    void expandsATemplateIntoOneUrlPerOutput_andPutsTheBytesThere() throws Exception {
        String id = UUID.randomUUID().toString();
        ArchiveRecord video = archived(id, 0, 70_000, "video/mp4", "mp4");
        Task task = givenArchivedTask(id, List.of(video), b -> b.deliverTo(DeliverTo.template(
                receiver.url("/").toString() + "store/" + id + "/out-{index}.{ext}?sig=s")));

        streamRecordOf(task);

        Receiver.Request put = receiver.requests().stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow();
        assertEquals("/store/" + id + "/out-0.mp4?sig=s", put.uri());
        assertEquals("video/mp4", put.header("content-type"));
        assertEquals(video.sha256(), sha256(put.body()));
        assertEquals(OutputDelivery.Outcome.DELIVERED, tasks.find(id).orElseThrow().deliveries().getFirst().outcome());
    }

    private boolean assertThrowsNoSuchKey(String key) {
        try {
            appObject(key);
            return false;
        } catch (NoSuchKeyException e) {
            return true;
        }
    }

    @Test
    void recordsAnExpiredUrlAs403WithoutRetrying_andTheWebhookSaysSo() throws Exception {
        String id = UUID.randomUUID().toString();
        ArchiveRecord first = archived(id, 0, 2048, "image/png", "png");
        ArchiveRecord second = archived(id, 1, 1024, "image/png", "png");
        Instant before = clock.instant();
        Task task = givenArchivedTask(id, List.of(first, second), b -> b.deliverTo(DeliverTo.of(List.of(
                expiredPut("renders/" + id + "/late.png"), presignedPut("renders/" + id + "/fine.png", "image/png")))));

        streamRecordOf(task);

        OutputDelivery expired = tasks.find(id).orElseThrow().deliveries().get(0);
        assertEquals(OutputDelivery.Outcome.REJECTED, expired.outcome());
        assertEquals(403, expired.httpStatus());
        assertEquals(1, expired.attempts(), "a 4xx is not retried");
        assertTrue(expired.error().contains("403"), expired.error());
        assertEquals(before, clock.instant(), "no wait for a retry was taken");
        assertTrue(assertThrowsNoSuchKey("renders/" + id + "/late.png"));
        assertEquals(second.sha256(), sha256(appObject("renders/" + id + "/fine.png").asByteArray()),
                "the other output is delivered all the same");

        JsonNode webhook = JSON.readTree(receiver.requests().getFirst().body());
        JsonNode reported = webhook.get("data").get("deliveries");
        assertEquals(1, receiver.requests().size());
        assertEquals("rejected", reported.get(0).get("outcome").asText());
        assertEquals(403, reported.get(0).get("httpStatus").asInt());
        assertTrue(reported.get(0).get("error").asText().contains("expired"), reported.toString());
        assertEquals("delivered", reported.get(1).get("outcome").asText());
    }
}
