package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.local.SdkStackFixture.Delivery;
import com.runwayrelay.local.SdkStackFixture.WebhookReceiver;
import com.runwayrelay.simulator.RunwaySimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;

/**
 * {@code relay.deliverTo} through the local stack as it runs (submit, poller, archiver, notifier on the
 * table's stream), with the app's storage a bucket of the stack's s3proxy and its pre-signed PUT URLs, over
 * plain HTTP as an app would call the API: the outputs land byte for byte as the simulator made them, each
 * outcome is on the task and in the {@code task.succeeded} and {@code task.delivered} webhooks; an expired
 * pre-signed URL is recorded as 403 once and reported, not retried; a private-address URL and a URL that
 * answers the submit-time probe with a redirect are refused with 400 before Runway is called.
 */
class DeliverToLocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration RUNNING = Duration.ofMillis(800);
    /** Each awaited webhook's hang guard. */
    private static final Duration WEBHOOK_GUARD = Duration.ofMinutes(3);

    @TempDir
    Path temp;

    @Test
    void deliversByteExactObjects_reportsTheExpiredUrl_andRefusesPrivateAndRedirectingUrlsAtSubmit() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start();
             LocalStack stack = LocalStack.start(SdkStackFixture.quickTasks(temp, RUNNING), SdkStackFixture.consoleLog());
             AwsClientsHolder aws = new AwsClientsHolder(stack)) {
            String hook = receiver.url();
            RunwaySimulator simulator = stack.simulator().orElseThrow();
            String bucket = "app-storage-" + UUID.randomUUID().toString().substring(0, 8);
            aws.s3().createBucket(CreateBucketRequest.builder().bucket(bucket).build());

            // Refused at submit: a private address, and a URL whose storage answers with a redirect. Nothing reaches Runway.
            int createsBefore = simulator.createdTaskCount();
            HttpResponse<String> privateUrl = create(stack, "[{\"url\":\"https://10.1.2.3/" + bucket + "/0.png?X-Amz-Signature=x\"}]",
                    hook, false);
            HttpResponse<String> redirecting = create(stack, "[{\"url\":\"" + receiver.redirectingUrl("0.png?X-Amz-Signature=x")
                    + "\"}]", hook, false);
            assertEquals(400, privateUrl.statusCode(), privateUrl.body());
            assertEquals("private_address", issue(privateUrl).path("code").asText(), privateUrl.body());
            assertEquals("[\"relay\",\"deliverTo\",0,\"url\"]", issue(privateUrl).path("path").toString());
            assertEquals(400, redirecting.statusCode(), redirecting.body());
            assertEquals("redirecting_url", issue(redirecting).path("code").asText(), redirecting.body());
            assertEquals(createsBefore, simulator.createdTaskCount(), "no Runway create for a refused request");

            // Delivered: a pre-signed PUT URL of the app's bucket, with task.succeeded and task.delivered asked for.
            String okKey = "renders/ok-0.png";
            HttpResponse<String> ok = create(stack, "[{\"url\":\"" + presignedPut(aws.presigner(), bucket, okKey) + "\"}]",
                    hook, true);
            assertEquals(200, ok.statusCode(), ok.body());
            String okId = JSON.readTree(ok.body()).get("id").asText();
            List<JsonNode> okEvents = eventsUntilDelivered(receiver, okId, stack.devApp().webhookSecret());

            JsonNode task = read(stack, okId);
            assertEquals("SUCCEEDED", task.path("status").asText(), task.toString());
            String runwayTaskId = task.path("relay").path("runwayTaskId").asText();
            byte[] object = aws.s3().getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(okKey).build()).asByteArray();
            assertEquals(simulator.outputSha256(runwayTaskId, 0), sha256(object), "the object is the simulator's output");
            byte[] archived = HTTP.send(HttpRequest.newBuilder(URI.create(task.path("output").get(0).asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            assertArrayEquals(archived, object, "byte for byte the archived output");
            JsonNode recorded = task.path("relay").path("deliveries").get(0);
            assertEquals("delivered", recorded.path("outcome").asText(), task.toString());
            assertEquals(200, recorded.path("httpStatus").asInt());
            assertEquals(object.length, recorded.path("bytes").asLong());
            assertEquals(sha256(object), recorded.path("sha256").asText());
            assertEquals(List.of("task.succeeded#1", "task.delivered#2"), types(okEvents));
            for (JsonNode event : okEvents) {
                assertEquals("delivered", event.path("data").path("deliveries").get(0).path("outcome").asText(), event.toString());
                assertEquals(sha256(object), event.path("data").path("deliveries").get(0).path("sha256").asText());
            }

            // Expired: the storage answers 403 once; recorded, reported, not retried.
            String lateKey = "renders/late-0.png";
            String expiredUrl = expiredPut(stack, aws, bucket, lateKey);
            String expiredSignature = URI.create(expiredUrl).getQuery().replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
            HttpResponse<String> late = create(stack, "[{\"url\":\"" + expiredUrl + "\"}]", hook, true);
            assertEquals(200, late.statusCode(), late.body());
            String lateId = JSON.readTree(late.body()).get("id").asText();
            List<JsonNode> lateEvents = eventsUntilDelivered(receiver, lateId, stack.devApp().webhookSecret());

            JsonNode lateTask = read(stack, lateId);
            JsonNode refused = lateTask.path("relay").path("deliveries").get(0);
            assertEquals("rejected", refused.path("outcome").asText(), lateTask.toString());
            assertEquals(403, refused.path("httpStatus").asInt());
            assertEquals(1, refused.path("attempts").asInt(), "a 403 is not retried");
            assertTrue(refused.path("error").asText().contains("expired"), refused.toString());
            JsonNode reported = lateEvents.getLast().path("data").path("deliveries").get(0);
            assertEquals("task.delivered", lateEvents.getLast().path("type").asText());
            assertEquals("rejected", reported.path("outcome").asText());
            assertEquals(403, reported.path("httpStatus").asInt());
            assertEquals(403, lateEvents.getFirst().path("data").path("deliveries").get(0).path("httpStatus").asInt(),
                    "task.succeeded says so too");
            assertFalse(aws.s3().listObjectsV2(r -> r.bucket(bucket).prefix(lateKey)).hasContents(), "nothing stored");
            assertEquals(64, expiredSignature.length(), expiredUrl);
            assertFalse(lateTask.toString().contains(expiredSignature), "the URL's credential is never shown back");
            assertFalse(lateEvents.toString().contains(expiredSignature), "nor sent in a webhook");
        }
    }

    /** A text_to_image create with {@code relay.deliverTo}; with {@code delivered}, task.succeeded and task.delivered asked for. */
    private static HttpResponse<String> create(LocalStack stack, String deliverTo, String hook, boolean delivered)
            throws Exception {
        String events = delivered ? ",\"webhookEvents\":[\"task.succeeded\",\"task.delivered\"]" : "";
        String body = "{\"model\":\"gen4_image\",\"promptText\":\"a lighthouse\",\"ratio\":\"1024:1024\",\"relay\":{"
                + "\"callbackUrl\":\"" + hook + "\"" + events + ",\"deliverTo\":" + deliverTo + "}}";
        return HTTP.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/text_to_image"))
                .header("Authorization", "Bearer " + stack.devApp().key()).header("X-Runway-Version", "2024-11-06")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode read(LocalStack stack, String id) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/tasks/" + id))
                .header("Authorization", "Bearer " + stack.devApp().key()).header("X-Runway-Version", "2024-11-06")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode issue(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("issues").get(0);
    }

    /**
     * The task's webhooks in arrival order (repeats of one sequence dropped), up to its task.delivered, each signed
     * with the app's secret.
     */
    private static List<JsonNode> eventsUntilDelivered(WebhookReceiver receiver, String taskId, String secret) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        while (events.isEmpty() || !"task.delivered".equals(events.getLast().path("type").asText())) {
            // The guard only stops a hang.
            Delivery delivery = receiver.next("the webhooks so far: " + types(events), WEBHOOK_GUARD);
            delivery.assertSignedWith(secret);
            JsonNode next = delivery.json();
            if (!taskId.equals(next.path("data").path("id").asText())) {
                continue;
            }
            long sequence = next.path("data").path("sequence").asLong();
            if (events.stream().noneMatch(e -> e.path("data").path("sequence").asLong() == sequence)) {
                events.add(next);
            }
        }
        return events;
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText() + "#" + e.path("data").path("sequence").asLong()).toList();
    }

    private static String presignedPut(S3Presigner presigner, String bucket, String key) {
        return presigner.presignPutObject(PutObjectPresignRequest.builder().signatureDuration(Duration.ofMinutes(10))
                .putObjectRequest(PutObjectRequest.builder().bucket(bucket).key(key).build())
                .build()).url().toString();
    }

    /** A pre-signed PUT URL signed two hours ago for ten minutes: expired, as an app's old URL would be. */
    private static String expiredPut(LocalStack stack, AwsClientsHolder aws, String bucket, String key) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT)
                .uri(stack.aws().s3Endpoint().resolve("/" + bucket + "/" + key)).build();
        AwsCredentials credentials = aws.clients().credentials().resolveCredentials();
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                .request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, aws.region())
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(10))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC)));
        return signed.request().getUri().toString();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The stack's S3 as the app's own storage: clients built from the environment the functions get. */
    private static final class AwsClientsHolder implements AutoCloseable {
        private final AwsSettings settings;
        private final AwsClients clients;
        private final S3Client s3;
        private final S3Presigner presigner;

        AwsClientsHolder(LocalStack stack) {
            settings = AwsSettings.from(stack.aws().environment());
            clients = new AwsClients(settings);
            s3 = clients.s3();
            presigner = clients.s3Presigner();
        }

        AwsClients clients() {
            return clients;
        }

        S3Client s3() {
            return s3;
        }

        S3Presigner presigner() {
            return presigner;
        }

        String region() {
            return settings.region();
        }

        @Override
        public void close() {
            s3.close();
            presigner.close();
        }
    }
}
