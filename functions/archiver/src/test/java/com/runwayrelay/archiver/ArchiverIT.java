package com.runwayrelay.archiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.dynamodb.DynamoDbTaskRepository;
import com.runwayrelay.aws.s3.LinkSigner;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.archive.ArchiveFailures;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.simulator.Fault;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The archiver end to end: the real handler and composition root, DynamoDB Local and s3proxy
 * (SigV4-checking) from the emulators, Runway outputs served by the simulator over loopback http
 * (allowed only by the local-only {@code RELAY_ALLOW_LOOPBACK_HTTP}).
 */
@WithAwsEmulators
class ArchiverIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Large enough to need multipart uploads with 5 MiB parts. */
    private static final long BIG_VIDEO = 11L * 1024 * 1024 + 12_345;
    private static RunwaySimulator sim;
    private static RunwaySimulator bigSim;

    private final AwsEmulators aws;
    private final DynamoDbTaskRepository tasks;

    ArchiverIT(AwsEmulators aws) {
        this.aws = aws;
        this.tasks = new DynamoDbTaskRepository(aws.dynamoDb(), aws.tableName(), com.runwayrelay.domain.DueShards.DEFAULT);
    }

    @BeforeAll
    static void startSimulators() {
        sim = RunwaySimulator.start(SimulatorConfig.builder()
                .pendingDuration(Duration.ofMillis(20)).runningDuration(Duration.ofMillis(50)).build());
        bigSim = RunwaySimulator.start(SimulatorConfig.builder().outputSizeBytes(BIG_VIDEO)
                .pendingDuration(Duration.ofMillis(20)).runningDuration(Duration.ofMillis(50)).build());
    }

    @AfterAll
    static void stopSimulators() {
        sim.close();
        bigSim.close();
    }

    private Map<String, String> environment(RunwaySimulator runway, boolean loopback) {
        Map<String, String> env = new HashMap<>(aws.environment());
        env.put("RELAY_OUTPUT_HOST_ALLOWLIST", "*.runwayml.com,*.cloudfront.net");
        env.put("RUNWAY_API_BASE_URL", runway.baseUri().toString());
        env.put("RUNWAYML_API_SECRET", runway.apiKey());
        env.put("RELAY_ARCHIVE_PART_MIB", "5");
        if (loopback) {
            env.put("RELAY_ALLOW_LOOPBACK_HTTP", "true");
        }
        return env;
    }

    private ArchiverHandler handler(RunwaySimulator runway) {
        return new ArchiverHandler(ArchiverFunction.fromEnvironment(environment(runway, true)));
    }

    /** A finished Runway task at the simulator: its id and output links. */
    private static RunwayOutputs finishedAtRunway(RunwaySimulator runway, String endpoint, String body) throws Exception {
        try (RunwayClient client = RunwayClient.builder().baseUri(runway.baseUri()).apiKey(runway.apiKey()).build()) {
            String id = client.createTask(endpoint, (ObjectNode) JSON.readTree(body)).id();
            Instant give = Instant.now().plusSeconds(60);
            while (Instant.now().isBefore(give)) {
                if (client.getTask(id) instanceof com.runwayrelay.runway.Task.Succeeded done) {
                    return new RunwayOutputs(id, done.output());
                }
                Thread.sleep(20);
            }
            throw new AssertionError("the simulator did not finish task " + id);
        }
    }

    private static RunwayOutputs image(RunwaySimulator runway) throws Exception {
        return finishedAtRunway(runway, "text_to_image",
                "{\"model\":\"gen4_image\",\"promptText\":\"a lighthouse\",\"ratio\":\"1280:720\"}");
    }

    private static RunwayOutputs video(RunwaySimulator runway) throws Exception {
        return finishedAtRunway(runway, "image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":"
                + "\"https://example.com/a.png\",\"ratio\":\"1280:720\",\"duration\":5}");
    }

    private Task outputReady(String endpoint, String model, RunwayOutputs runway, List<String> links, String callback) {
        Instant now = Instant.now();
        Task task = Task.accepted(UUID.randomUUID().toString(), "app_it", endpoint, model, "{}", 5, now.minusSeconds(30))
                .state(TaskState.OUTPUT_READY).version(4).runwayTaskId(runway.id()).runwayStatus(RunwayStatus.SUCCEEDED)
                .progress(1.0).outputs(links).actualCredits(5L).callbackUrl(callback).dueAt(null).build();
        tasks.insert(task);
        return task;
    }

    private Task reread(Task task) {
        return tasks.find(task.id()).orElseThrow();
    }

    /** The stream batch for these tasks, built from the events/ fixture. */
    private static DynamodbEvent streamEvent(String... taskIds) {
        DynamodbEvent fixture = Fixtures.outputReadyEvent();
        DynamodbEvent.DynamodbStreamRecord template = fixture.getRecords().get(0);
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (String taskId : taskIds) {
            records.add(Fixtures.recordFor(template, taskId, UUID.randomUUID().toString().replace("-", "")));
        }
        fixture.setRecords(records);
        return fixture;
    }

    private static List<String> failedSequenceNumbers(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void archivesImageAndVideoByteExact_withMetadataAndWorkingLinks() throws Exception {
        RunwayOutputs png = image(sim);
        RunwayOutputs mp4 = video(bigSim);
        Task imageTask = outputReady("text_to_image", "gen4_image", png, png.links(), "https://app.example.com/hook");
        Task videoTask = outputReady("image_to_video", "gen4_turbo", mp4, mp4.links(), null);

        StreamsEventResponse imageResponse = handler(sim).handleRequest(streamEvent(imageTask.id()), null);
        StreamsEventResponse videoResponse = handler(bigSim).handleRequest(streamEvent(videoTask.id()), null);

        assertEquals(List.of(), failedSequenceNumbers(imageResponse));
        assertEquals(List.of(), failedSequenceNumbers(videoResponse));
        assertArchivedExactly(reread(imageTask), sim.outputSha256(png.id(), 0), "image/png", "png");
        ArchiveRecord video = assertArchivedExactly(reread(videoTask), bigSim.outputSha256(mp4.id(), 0), "video/mp4", "mp4");
        assertEquals(BIG_VIDEO, video.size());
        assertEquals(DeliveryStatus.PENDING, reread(imageTask).webhook().status(), "the notifier takes it from here");
        assertEquals("task.succeeded", reread(imageTask).webhook().eventType());
        assertNull(reread(videoTask).webhook());
        assertNoUploadsLeft();
    }

    private ArchiveRecord assertArchivedExactly(Task task, String expectedSha, String contentType, String extension)
            throws Exception {
        assertEquals(TaskState.ARCHIVED, task.state(), task.failure());
        assertEquals(1, task.archive().records().size());
        ArchiveRecord record = task.archive().records().get(0);
        assertEquals("outputs/app_it/" + task.id() + "/0." + extension, record.key());
        assertEquals(expectedSha, record.sha256());
        assertEquals(contentType, record.contentType());
        HeadObjectResponse head = aws.s3().headObject(r -> r.bucket(aws.bucketName()).key(record.key()));
        assertEquals(contentType, head.contentType());
        assertEquals(record.size(), head.contentLength());
        assertEquals(expectedSha, head.metadata().get("sha256"));
        assertEquals(task.id(), head.metadata().get("task-id"));
        assertEquals(task.request().model(), head.metadata().get("model"));
        try (InputStream stored = aws.s3().getObject(r -> r.bucket(aws.bucketName()).key(record.key()))) {
            assertEquals(expectedSha, sha256(stored));
        }
        LinkSigner signer = new LinkSigner(aws.s3Presigner(), aws.credentials(), aws.bucketName(), Duration.ofMinutes(5),
                Clock.systemUTC());
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> linked = http.send(HttpRequest.newBuilder(signer.sign(record.key()).url()).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, linked.statusCode());
            assertEquals(expectedSha, sha256(linked.body()));
        }
        return record;
    }

    @Test
    void archivesAfterPriming_whenWiredAsInALambdaRuntime() throws Exception {
        RunwayOutputs mp4 = video(bigSim);
        Task task = outputReady("image_to_video", "gen4_turbo", mp4, mp4.links(), null);
        Map<String, String> env = environment(bigSim, true);
        env.put(com.runwayrelay.aws.priming.LambdaRuntime.EXECUTION_ENV, "AWS_Lambda_java21");
        var batch = ArchiverFunction.fromEnvironment(env);
        ArchiverFunction.Primed primed = assertInstanceOf(ArchiverFunction.Primed.class, batch);
        long downloadsBefore = bigSim.requestCount("GET", "/_outputs/");

        primed.priming().prime();

        assertEquals(java.util.Optional.empty(), primed.priming().awsFailure(), "a task and an object that do not exist");
        assertEquals(java.util.Optional.empty(), primed.priming().failure());
        assertEquals(ArchiverPriming.UPLOAD_OBJECTS * ArchiverPriming.PARTS_PER_OBJECT, primed.priming().partsTaken());
        assertEquals(downloadsBefore, bigSim.requestCount("GET", "/_outputs/"), "priming downloads nothing from Runway");
        assertEquals(TaskState.OUTPUT_READY, reread(task).state(), "priming touches no task");
        StreamsEventResponse response = new ArchiverHandler(batch).handleRequest(streamEvent(task.id()), null);
        assertEquals(List.of(), failedSequenceNumbers(response));
        assertArchivedExactly(reread(task), bigSim.outputSha256(mp4.id(), 0), "video/mp4", "mp4");
    }

    @Test
    void retriesTruncatedDownload_leavingNoPartialObjectAndNoIncompleteUpload() throws Exception {
        RunwayOutputs mp4 = video(bigSim);
        Task task = outputReady("image_to_video", "gen4_turbo", mp4, mp4.links(), null);
        DynamodbEvent event = streamEvent(task.id());
        String sequenceNumber = event.getRecords().get(0).getDynamodb().getSequenceNumber();
        bigSim.injectNext("GET", "/_outputs/" + mp4.id(), Fault.truncate(6L * 1024 * 1024 + 7));

        StreamsEventResponse first = handler(bigSim).handleRequest(event, null);

        assertEquals(List.of(sequenceNumber), failedSequenceNumbers(first), "reported so the stream delivers it again");
        String key = "outputs/app_it/" + task.id() + "/0.mp4";
        assertThrows(NoSuchKeyException.class, () -> aws.s3().headObject(r -> r.bucket(aws.bucketName()).key(key)));
        assertNoUploadsLeft();
        Task waiting = reread(task);
        assertEquals(TaskState.OUTPUT_READY, waiting.state());
        assertTrue(waiting.stateReason().startsWith("archive attempt 1 of 3 failed: output 0: the output download ended after"),
                waiting.stateReason());

        StreamsEventResponse again = handler(bigSim).handleRequest(event, null);

        assertEquals(List.of(), failedSequenceNumbers(again));
        assertArchivedExactly(reread(task), bigSim.outputSha256(mp4.id(), 0), "video/mp4", "mp4");
        assertNoUploadsLeft();
    }

    @Test
    void failsTaskWithReason_andFetchesNothing_whenOutputHostIsNotAllowlisted() throws Exception {
        RunwayOutputs png = image(sim);
        Task task = outputReady("text_to_image", "gen4_image", png, png.links(), null);
        long downloadsBefore = sim.requestCount("GET", "/_outputs/");
        // Without the local-stack setting the simulator's loopback http host is just another host off the list.
        ArchiverHandler strict = new ArchiverHandler(ArchiverFunction.fromEnvironment(environment(sim, false)));

        StreamsEventResponse response = strict.handleRequest(streamEvent(task.id()), null);

        assertEquals(List.of(), failedSequenceNumbers(response), "a permanent failure is handled, not retried");
        Task failed = reread(task);
        assertEquals(TaskState.FAILED, failed.state());
        assertEquals(ArchiveFailures.HOST_NOT_ALLOWED, failed.failureCode());
        assertTrue(failed.failure().contains("127.0.0.1"), failed.failure());
        assertTrue(failed.failure().contains("nothing was downloaded"), failed.failure());
        assertEquals(downloadsBefore, sim.requestCount("GET", "/_outputs/"), "nothing fetched");
        assertEquals(0, aws.s3().listObjectsV2(r -> r.bucket(aws.bucketName()).prefix("outputs/app_it/" + task.id()))
                .keyCount());
    }

    @Test
    void replayedRecordLeavesOneObjectAndOneTransition() throws Exception {
        RunwayOutputs png = image(sim);
        Task task = outputReady("text_to_image", "gen4_image", png, png.links(), null);
        DynamodbEvent event = streamEvent(task.id());
        ArchiverHandler handler = handler(sim);
        handler.handleRequest(event, null);
        Task archived = reread(task);
        long downloads = sim.requestCount("GET", "/_outputs/" + png.id());

        StreamsEventResponse replay = handler.handleRequest(event, null);

        assertEquals(List.of(), failedSequenceNumbers(replay));
        assertEquals(archived, reread(task), "no second transition: same version, same record");
        assertEquals(downloads, sim.requestCount("GET", "/_outputs/" + png.id()), "nothing downloaded again");
        assertEquals(1, aws.s3().listObjectsV2(r -> r.bucket(aws.bucketName()).prefix("outputs/app_it/" + task.id()))
                .keyCount());
    }

    @Test
    void archivesTheOthers_andReportsOnlyThePoisonRecord() throws Exception {
        RunwayOutputs first = image(sim);
        RunwayOutputs second = image(sim);
        Task good1 = outputReady("text_to_image", "gen4_image", first, first.links(), null);
        Task good2 = outputReady("text_to_image", "gen4_image", second, second.links(), null);
        String poisonId = UUID.randomUUID().toString();
        // A task item the archiver cannot even read (no createdAt): it fails on every delivery.
        aws.dynamoDb().putItem(r -> r.tableName(aws.tableName()).item(Map.of(
                "pk", AttributeValue.fromS("task#" + poisonId), "id", AttributeValue.fromS(poisonId),
                "type", AttributeValue.fromS("task"), "state", AttributeValue.fromS("OUTPUT_READY"))));
        DynamodbEvent event = streamEvent(good1.id(), poisonId, good2.id());
        String poisonSequence = event.getRecords().get(1).getDynamodb().getSequenceNumber();

        StreamsEventResponse response = handler(sim).handleRequest(event, null);

        assertEquals(List.of(poisonSequence), failedSequenceNumbers(response));
        assertEquals(TaskState.ARCHIVED, reread(good1).state());
        assertEquals(TaskState.ARCHIVED, reread(good2).state());
    }

    @Test
    void fetchesFreshLinkFromRunway_whenOutputHostRefusesTheStoredOne() throws Exception {
        RunwayOutputs png = image(sim);
        String tampered = png.links().get(0).replaceFirst("sig=[^&]+", "sig=revoked");
        Task task = outputReady("text_to_image", "gen4_image", png, List.of(tampered), null);

        StreamsEventResponse response = handler(sim).handleRequest(streamEvent(task.id()), null);

        assertEquals(List.of(), failedSequenceNumbers(response));
        assertArchivedExactly(reread(task), sim.outputSha256(png.id(), 0), "image/png", "png");
    }

    private void assertNoUploadsLeft() {
        assertEquals(List.of(), aws.s3().listMultipartUploads(r -> r.bucket(aws.bucketName()).prefix("outputs/"))
                .uploads().stream().map(u -> u.key()).toList());
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) != -1) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private record RunwayOutputs(String id, List<String> links) {
        RunwayOutputs {
            links.forEach(URI::create);
        }
    }
}
