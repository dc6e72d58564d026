package com.runwayrelay.status;

import com.runwayrelay.aws.gateway.RunwayRoutes;
import com.runwayrelay.aws.gateway.WireTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.log.JsonLog;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.ArchiveAccess;
import com.runwayrelay.domain.gateway.TaskVisibility;
import com.runwayrelay.domain.gateway.UsageLedger.OrphanReservation;
import com.runwayrelay.domain.gateway.UsageLedger.Reservation;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.InterceptingTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.metrics.memory.RecordingMetrics;
import com.runwayrelay.domain.owned.Documents;
import com.runwayrelay.domain.owned.RunwayDocuments;
import com.runwayrelay.domain.owned.RunwayResources;
import com.runwayrelay.domain.owned.memory.InMemoryOwnershipStore;
import com.runwayrelay.domain.owned.memory.InMemoryRunwayDocuments;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.domain.runway.TaskCreation;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import com.runwayrelay.domain.media.MediaPolicySettings;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.owned.OwnedResources;
import com.runwayrelay.domain.owned.ResourceKind;
import org.junit.jupiter.api.Test;

class StatusApiTest {
    static final String FIXTURE_KEY = "rr_0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-21T06:30:00.123Z");

    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(8);
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final FakeArchive archive = new FakeArchive();
    private final List<String> cancelled = new ArrayList<>();
    private boolean runwayDown;
    private final InMemoryOwnershipStore ownership = new InMemoryOwnershipStore();
    private final InMemoryRunwayDocuments runwayDocuments = new InMemoryRunwayDocuments(
            Clock.fixed(T0, ZoneOffset.UTC));
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final JsonLog log = new JsonLog(() -> new PrintStream(logged, true, StandardCharsets.UTF_8),
            Clock.fixed(T0, ZoneOffset.UTC), System.Logger.Level.INFO);
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final PossibleOrphans orphans = new PossibleOrphans(log, metrics);
    private final App app = App.builder("app_fixture", "fixture", T0).dailyCreditBudget(500).maxActiveTasks(3)
            .allowedModels(Set.of("gen4_image")).build();

    StatusApiTest() {
        apps.create(app, ApiKeys.hash(FIXTURE_KEY));
    }

    /** Moves only when a held read pauses: a wait is counted, never measured. */
    private final ManualClock waitClock = new ManualClock(T0.plusSeconds(60));
    private final List<Duration> pauses = new ArrayList<>();
    /** What happens in the world while a held read pauses (the poller's and archiver's writes). */
    private Runnable onPause = () -> { };

    private StatusApi api(TaskRepository repository) {
        Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
        RunwayGateway runway = new RunwayGateway() {
            @Override
            public CreateOutcome create(String endpoint, String requestJson) {
                throw new AssertionError("status never creates");
            }

            @Override
            public ReadOutcome get(String runwayTaskId) {
                throw new AssertionError("status never reads Runway");
            }

            @Override
            public CancelOutcome cancel(String runwayTaskId) {
                if (runwayDown) {
                    return new CancelOutcome.Unavailable("Runway unreachable", null);
                }
                cancelled.add(runwayTaskId);
                return new CancelOutcome.Done();
            }
        };
        return new StatusApi(new AppAuthenticator(apps, clock, Duration.ZERO, 10),
                new TaskReads(repository, waitClock, d -> {
                    pauses.add(d);
                    waitClock.advance(d);
                    onPause.run();
                }), new WireTask(archive),
                new TaskDeletion(repository, runway, archive, ledger, clock), new OrganizationReport(ledger, clock),
                new DocumentRoutes(new Documents(ownership, runwayDocuments, clock), orphans),
                new AvatarRoutes(new OwnedResources<>(ResourceKind.AVATARS, ownership, runwayAvatars, clock), MEDIA,
                        orphans),
                new VoiceRoutes(new OwnedResources<>(ResourceKind.VOICES, ownership, runwayVoices, clock),
                        runwayVoices::preview, MEDIA, orphans));
    }

    private final FakeRunwayResources runwayAvatars = new FakeRunwayResources("aaaaaaaa");
    private final FakeRunwayResources runwayVoices = new FakeRunwayResources("vvvvvvvv");
    /** Media hosts: media.example.com is allowed and resolves to a public address. */
    private static final MediaUriPolicy MEDIA = new MediaUriPolicy(MediaPolicySettings.of(List.of("media.example.com")),
            host -> List.of(java.net.InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34})));

    private APIGatewayV2HTTPResponse call(String fixture, String taskId, String key) {
        return call(fixture, taskId, key, null);
    }

    private APIGatewayV2HTTPResponse getPreferring(String taskId, String prefer) {
        return call("apigw-get-task", taskId, FIXTURE_KEY, prefer);
    }

    private static Duration total(List<Duration> waits) {
        return waits.stream().reduce(Duration.ZERO, Duration::plus);
    }

    private APIGatewayV2HTTPResponse call(String fixture, String taskId, String key, String prefer) {
        APIGatewayV2HTTPEvent event = EventLoader.loadEvent(Path.of("..", "..", "events", "status", fixture + ".json")
                .toString(), APIGatewayV2HTTPEvent.class);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        if (key == null) {
            headers.remove("authorization");
        } else {
            headers.put("authorization", "Bearer " + key);
        }
        if (prefer != null) {
            headers.put("prefer", prefer);
        }
        event.setHeaders(headers);
        if (taskId != null) {
            event.setPathParameters(Map.of("id", taskId));
        }
        return api(tasks).apply(event);
    }

    private JsonNode get(String taskId) throws Exception {
        APIGatewayV2HTTPResponse response = call("apigw-get-task", taskId, FIXTURE_KEY);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("application/json", response.getHeaders().get("content-type"));
        return JSON.readTree(response.getBody());
    }

    private Task store(String id, TaskState state, java.util.function.UnaryOperator<Task.Builder> more) {
        Task.Builder builder = Task.accepted(id, "app_fixture", "text_to_image", "gen4_image", "{}", 8, T0).state(state);
        Task task = more.apply(builder).build();
        tasks.insert(task);
        ledger.admit(new Reservation(task.appId(), task.id(), task.request().model(), task.createdAt(), 8, 500, 3));
        return task;
    }

    @Test
    void acceptedTaskIsPending_withItsEstimate() throws Exception {
        store("t-accepted", TaskState.ACCEPTED, b -> b);
        JsonNode wire = get("t-accepted");
        assertEquals("t-accepted", wire.get("id").asText());
        assertEquals("PENDING", wire.get("status").asText());
        assertEquals("2026-11-21T06:30:00.123Z", wire.get("createdAt").asText());
        assertEquals(8, wire.get("estimatedCost").get("credits").asLong());
        assertEquals("ACCEPTED", wire.get("relay").get("state").asText());
    }

    @Test
    void submittedTaskMirrorsRunway_withProgress() throws Exception {
        store("t-running", TaskState.SUBMITTED, b -> b.runwayTaskId("rw-1").runwayStatus(RunwayStatus.RUNNING).progress(0.4));
        store("t-throttled", TaskState.SUBMITTED, b -> b.runwayTaskId("rw-2").runwayStatus(RunwayStatus.THROTTLED));
        JsonNode running = get("t-running");
        assertEquals("RUNNING", running.get("status").asText());
        assertEquals(0.4, running.get("progress").asDouble());
        assertEquals("rw-1", running.get("relay").get("runwayTaskId").asText());
        assertEquals("THROTTLED", get("t-throttled").get("status").asText());
    }

    @Test
    void routedGenerationShowsRunwaysRouting_andOtherTasksNone() throws Exception {
        String routing = "{\"configId\":\"stills\",\"estimatedCost\":{\"credits\":4},\"model\":\"gen4_image_turbo\","
                + "\"provider\":\"runway\",\"resolvedSettings\":{\"optimizeFor\":\"cost\",\"priceCeiling\":null}}";
        store("t-routed", TaskState.SUBMITTED, b -> b.runwayTaskId("rw-7").runwayStatus(RunwayStatus.RUNNING)
                .routingJson(routing));
        store("t-plain", TaskState.SUBMITTED, b -> b.runwayTaskId("rw-8").runwayStatus(RunwayStatus.RUNNING));

        assertEquals(JSON.readTree(routing), get("t-routed").path("routing"), "passed through as Runway sent it");
        assertFalse(get("t-plain").has("routing"));
    }

    @Test
    void submittedTaskInAStatusRunwayAddedLater_showsRunning_andTheStatusAsReceived() throws Exception {
        store("t-new", TaskState.SUBMITTED, b -> b.runwayTaskId("rw-5").runwayStatus(RunwayStatus.fromWire("QUEUED_FOR_REVIEW")));
        JsonNode wire = get("t-new");
        assertEquals("RUNNING", wire.get("status").asText());
        assertEquals("QUEUED_FOR_REVIEW", wire.get("relay").get("runwayStatus").asText());
    }

    @Test
    void outputReadyIsRunningAtFullProgress() throws Exception {
        store("t-ready", TaskState.OUTPUT_READY, b -> b.runwayTaskId("rw-3").runwayStatus(RunwayStatus.SUCCEEDED));
        JsonNode wire = get("t-ready");
        assertEquals("RUNNING", wire.get("status").asText());
        assertEquals(1.0, wire.get("progress").asDouble());
    }

    @Test
    void archivedTaskSucceeds_withLinksSignedAfreshOnEveryRead() throws Exception {
        store("t-done", TaskState.ARCHIVED, b -> b.runwayTaskId("rw-4").actualCredits(6L).archive(List.of(
                new ArchiveRecord("outputs/app_fixture/t-done/0.png", 1234, "ab".repeat(32), "image/png"))));
        JsonNode first = get("t-done");
        JsonNode second = get("t-done");

        assertEquals("SUCCEEDED", first.get("status").asText());
        assertEquals(6, first.get("cost").get("credits").asLong());
        assertFalse(first.has("estimatedCost"));
        assertEquals(1, first.get("output").size());
        assertNotEquals(first.get("output").get(0), second.get("output").get(0));
        JsonNode copy = first.get("relay").get("archive").get(0);
        assertEquals("image/png", copy.get("contentType").asText());
        assertEquals(1234, copy.get("size").asLong());
        assertEquals(first.get("output").get(0), copy.get("url"));
    }

    @Test
    void archivedTaskLinksLiveTheTasksOwnLifetime_whenItAskedForOne() throws Exception {
        store("t-short", TaskState.ARCHIVED, b -> b.runwayTaskId("rw-5").actualCredits(6L).linkTtl(Duration.ofSeconds(300))
                .archive(List.of(new ArchiveRecord("outputs/app_fixture/t-short/0.png", 12, "ab".repeat(32), "image/png"))));
        store("t-default", TaskState.ARCHIVED, b -> b.runwayTaskId("rw-6").actualCredits(6L)
                .archive(List.of(new ArchiveRecord("outputs/app_fixture/t-default/0.png", 12, "ab".repeat(32), "image/png"))));

        JsonNode own = get("t-short");
        JsonNode deployment = get("t-default");

        assertEquals("2026-11-21T06:35:00.123Z", own.get("relay").get("archive").get(0).get("expiresAt").asText());
        assertEquals(300, own.get("relay").get("linkTtlSeconds").asLong());
        assertEquals("2026-11-21T07:30:00.123Z", deployment.get("relay").get("archive").get(0).get("expiresAt").asText());
        assertFalse(deployment.get("relay").has("linkTtlSeconds"));
    }

    @Test
    void showsEachOutputsDeliveryOutcome_withoutTheUrls_whenTheTaskAskedForDelivery() throws Exception {
        store("t-delivered", TaskState.ARCHIVED, b -> b.runwayTaskId("rw-7").actualCredits(6L)
                .archive(List.of(new ArchiveRecord("outputs/app_fixture/t-delivered/0.png", 12, "ab".repeat(32), "image/png")))
                .deliverTo(com.runwayrelay.domain.delivery.DeliverTo.of(List.of("https://bucket.example/0?X-Amz-Signature=secret")))
                .deliveries(List.of(new com.runwayrelay.domain.OutputDelivery(0,
                        com.runwayrelay.domain.OutputDelivery.Outcome.REJECTED, 403, 12, "ab".repeat(32), 1,
                        "HTTP 403: expired", T0.plusSeconds(60)))));
        store("t-pending", TaskState.ARCHIVED, b -> b.runwayTaskId("rw-8").actualCredits(6L)
                .archive(List.of(new ArchiveRecord("outputs/app_fixture/t-pending/0.png", 12, "ab".repeat(32), "image/png")))
                .deliverTo(com.runwayrelay.domain.delivery.DeliverTo.template("https://bucket.example/{index}.{ext}")));
        store("t-plain", TaskState.FAILED, b -> b);

        JsonNode delivered = get("t-delivered");
        JsonNode outcome = delivered.get("relay").get("deliveries").get(0);
        assertEquals("rejected", outcome.get("outcome").asText());
        assertEquals(403, outcome.get("httpStatus").asInt());
        assertEquals(12, outcome.get("bytes").asLong());
        assertEquals("ab".repeat(32), outcome.get("sha256").asText());
        assertEquals(1, outcome.get("attempts").asInt());
        assertEquals("HTTP 403: expired", outcome.get("error").asText());
        assertFalse(delivered.toString().contains("secret"), "the pre-signed URL is never shown");
        assertEquals(0, get("t-pending").get("relay").get("deliveries").size());
        assertFalse(get("t-plain").get("relay").has("deliveries"));
    }

    @Test
    void showsTheChosenWebhookEvents_onlyWhenTheRequestChoseSome() throws Exception {
        store("t-chosen", TaskState.FAILED, b -> b.webhookEvents(java.util.Set.of(
                com.runwayrelay.domain.webhook.WebhookEventType.TASK_SUCCEEDED,
                com.runwayrelay.domain.webhook.WebhookEventType.TASK_FAILED)));
        store("t-every", TaskState.FAILED, b -> b);

        assertEquals("[\"task.succeeded\",\"task.failed\"]", get("t-chosen").get("relay").get("webhookEvents").toString());
        assertFalse(get("t-every").get("relay").has("webhookEvents"));
    }

    @Test
    void heldRead_answersTheTaskWithItsLinks_onceItsOutputsAreArchivedWithinTheWait() throws Exception {
        Task running = store("t-wait", TaskState.SUBMITTED, b -> b.runwayTaskId("rw-w").runwayStatus(RunwayStatus.RUNNING)
                .progress(0.4));
        onPause = () -> {
            Task current = tasks.find("t-wait").orElseThrow();
            if (pauses.size() == 2) {
                tasks.replace(current, current.next(waitClock.instant()).state(TaskState.OUTPUT_READY).build());
            } else if (pauses.size() == 4) {
                tasks.replace(current, current.next(waitClock.instant()).state(TaskState.ARCHIVED).actualCredits(8L)
                        .archive(List.of(new ArchiveRecord("outputs/app_fixture/t-wait/0.png", 5, "ab".repeat(32),
                                "image/png"))).build());
            }
        };

        APIGatewayV2HTTPResponse response = getPreferring(running.id(), "wait=20");

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("wait=20", response.getHeaders().get("preference-applied"));
        JsonNode wire = JSON.readTree(response.getBody());
        assertEquals("SUCCEEDED", wire.get("status").asText());
        assertEquals(1, wire.get("output").size());
        assertEquals(4, pauses.size(), "re-read after each pause until archived (OUTPUT_READY is still RUNNING)");
        assertTrue(total(pauses).compareTo(Duration.ofSeconds(20)) < 0, pauses::toString);
        assertTrue(cancelled.isEmpty());
    }

    @Test
    void heldRead_answersTheTaskAsItStands_whenTheWaitRunsOut_havingPausedExactlyThatLong() throws Exception {
        store("t-slow", TaskState.SUBMITTED, b -> b.runwayTaskId("rw-s").runwayStatus(RunwayStatus.RUNNING).progress(0.1));

        APIGatewayV2HTTPResponse response = getPreferring("t-slow", "respond-async, wait=5");

        assertEquals(200, response.getStatusCode());
        assertEquals("wait=5", response.getHeaders().get("preference-applied"));
        assertEquals("RUNNING", JSON.readTree(response.getBody()).get("status").asText());
        assertEquals(Duration.ofSeconds(5), total(pauses));
        assertEquals(TaskReads.FIRST_PAUSE, pauses.getFirst());
        assertTrue(pauses.stream().allMatch(p -> p.compareTo(TaskReads.MAX_PAUSE) <= 0), pauses::toString);
    }

    @Test
    void heldRead_capsTheWaitAt25Seconds_andSaysSo() throws Exception {
        store("t-long", TaskState.ACCEPTED, b -> b);

        APIGatewayV2HTTPResponse response = getPreferring("t-long", "wait=600");

        assertEquals("wait=25", response.getHeaders().get("preference-applied"));
        assertEquals(Duration.ofSeconds(25), total(pauses));
        assertEquals("PENDING", JSON.readTree(response.getBody()).get("status").asText());
    }

    @Test
    void heldRead_answersAtOnce_forAnUnknownTaskAnEndedOneOrWithoutTheHeader() throws Exception {
        store("t-ended", TaskState.FAILED, b -> b.failure("Moderated"));
        store("t-open", TaskState.SUBMITTED, b -> b.runwayTaskId("rw-o").runwayStatus(RunwayStatus.PENDING));

        APIGatewayV2HTTPResponse unknown = getPreferring("t-nobody", "wait=20");
        APIGatewayV2HTTPResponse ended = getPreferring("t-ended", "wait=20");
        APIGatewayV2HTTPResponse plain = call("apigw-get-task", "t-open", FIXTURE_KEY);
        APIGatewayV2HTTPResponse garbled = getPreferring("t-open", "wait=soon");

        assertEquals(404, unknown.getStatusCode());
        assertNull(unknown.getHeaders().get("preference-applied"));
        assertEquals(200, ended.getStatusCode());
        assertEquals("wait=20", ended.getHeaders().get("preference-applied"));
        assertEquals(200, plain.getStatusCode());
        assertNull(plain.getHeaders().get("preference-applied"));
        assertNull(garbled.getHeaders().get("preference-applied"), "a preference not understood is ignored");
        assertEquals(List.of(), pauses);
    }

    @Test
    void readsTheWaitPreference_amongOthers_andIgnoresWhatItDoesNotUnderstand() {
        assertEquals(Optional.of(Duration.ofSeconds(10)), StatusApi.preferredWait("respond-async, wait=10"));
        assertEquals(Optional.of(Duration.ofSeconds(7)), StatusApi.preferredWait("WAIT = 7"));
        assertEquals(Optional.of(Duration.ofSeconds(3)), StatusApi.preferredWait("wait=\"3\""));
        assertEquals(Optional.of(Duration.ofSeconds(5)), StatusApi.preferredWait("wait=5; foo=bar, wait=9"));
        assertEquals(Optional.of(Duration.ZERO), StatusApi.preferredWait("wait=0"));
        assertEquals(Optional.empty(), StatusApi.preferredWait("wait=-1"));
        assertEquals(Optional.empty(), StatusApi.preferredWait("wait=1.5"));
        assertEquals(Optional.empty(), StatusApi.preferredWait("handling=lenient"));
        assertEquals(Optional.empty(), StatusApi.preferredWait(null));
    }

    @Test
    void failedTaskCarriesFailureAndCode() throws Exception {
        store("t-failed", TaskState.FAILED, b -> b.failure("Moderated").failureCode("SAFETY.INPUT.TEXT").actualCredits(8L));
        JsonNode wire = get("t-failed");
        assertEquals("FAILED", wire.get("status").asText());
        assertEquals("Moderated", wire.get("failure").asText());
        assertEquals("SAFETY.INPUT.TEXT", wire.get("failureCode").asText());
        assertEquals(8, wire.get("cost").get("credits").asLong());
    }

    @Test
    void expiredTaskIsCancelledWithAFailure_andCancelledIsPlain() throws Exception {
        store("t-expired", TaskState.EXPIRED, b -> b);
        store("t-cancelled", TaskState.CANCELLED, b -> b);
        JsonNode expired = get("t-expired");
        assertEquals("CANCELLED", expired.get("status").asText());
        assertEquals("RELAY.DEADLINE_EXPIRED", expired.get("failureCode").asText());
        assertEquals("EXPIRED", expired.get("relay").get("state").asText());
        JsonNode cancelled = get("t-cancelled");
        assertEquals("CANCELLED", cancelled.get("status").asText());
        assertFalse(cancelled.has("failure"));
        assertEquals(0, cancelled.get("cost").get("credits").asLong());
    }

    @Test
    void ambiguousCreateIsShownFailed_withItsReasonInRelay() throws Exception {
        store("t-ambiguous", TaskState.ACCEPTED, b -> b.stateReason(TaskCreation.AMBIGUOUS).failure("may exist")
                .attempts(List.of(new Attempt(1, null, T0, AttemptOutcome.AMBIGUOUS, null, "reset"))));
        JsonNode wire = get("t-ambiguous");
        assertEquals("FAILED", wire.get("status").asText());
        assertEquals("RELAY.AMBIGUOUS_CREATE", wire.get("failureCode").asText());
        assertEquals(TaskCreation.AMBIGUOUS, wire.get("relay").get("stateReason").asText());
        assertEquals("AMBIGUOUS", wire.get("relay").get("attempts").get(0).get("outcome").asText());
        assertEquals("fail", wire.get("relay").get("ambiguousCreates").asText());
    }

    @Test
    void retryOnceTaskAboutToCreateAgainIsPending_andShowsItsPossibleOrphan() throws Exception {
        store("t-retrying", TaskState.ACCEPTED, b -> b.stateReason(TaskCreation.AMBIGUOUS_RETRY)
                .ambiguousCreates(AmbiguousCreatePolicy.RETRY_ONCE).possibleOrphanCredits(8)
                .attempts(List.of(new Attempt(1, null, T0, AttemptOutcome.AMBIGUOUS, null, "HTTP 502"))));

        JsonNode wire = get("t-retrying");

        assertEquals("PENDING", wire.get("status").asText());
        assertEquals("retry-once", wire.get("relay").get("ambiguousCreates").asText());
        assertEquals(8, wire.get("relay").get("possibleOrphanCredits").asLong());
    }

    @Test
    void relayShowsMetadataDeadlineAndWebhook() throws Exception {
        store("t-hook", TaskState.ARCHIVED, b -> b.metadataJson("{\"orderId\":7}").deadline(T0.plusSeconds(3600))
                .webhook(new WebhookDelivery(DeliveryStatus.DELIVERED, "msg_1", "task.succeeded", 1,
                        List.of(new WebhookDelivery.DeliveryAttempt(T0, 200, null)), null)));
        JsonNode relay = get("t-hook").get("relay");
        assertEquals(7, relay.get("metadata").get("orderId").asInt());
        assertEquals("2026-11-21T07:30:00.123Z", relay.get("deadline").asText());
        assertEquals("DELIVERED", relay.get("webhook").get("status").asText());
        assertEquals(200, relay.get("webhook").get("lastHttpStatus").asInt());
    }

    @Test
    void anotherAppsTaskUnknownAndMalformedIdsAre404() {
        String other = ApiKeys.mint();
        apps.create(App.builder("app_other", "other", T0).dailyCreditBudget(10).maxActiveTasks(1).build(),
                ApiKeys.hash(other));
        store("t-mine", TaskState.ACCEPTED, b -> b);
        assertEquals(404, call("apigw-get-task", "t-mine", other).getStatusCode());
        assertEquals(404, call("apigw-delete-task", "t-mine", other).getStatusCode());
        assertEquals(404, call("apigw-get-task", "t-unknown", FIXTURE_KEY).getStatusCode());
        assertEquals(404, call("apigw-get-task", "../../etc", FIXTURE_KEY).getStatusCode());
        assertTrue(call("apigw-get-task", "t-unknown", FIXTURE_KEY).getBody().contains("\"error\":\"Task not found\""));
    }

    @Test
    void missingKeyIs401() {
        assertEquals(401, call("apigw-get-task", "t", null).getStatusCode());
        assertEquals(401, call("apigw-organization", null, ApiKeys.mint()).getStatusCode());
    }

    @Test
    void deletingAnUnfinishedTaskCancelsItAtRunway_thenItIsGone() {
        store("t-del", TaskState.SUBMITTED, b -> b.runwayTaskId("rw-9").runwayStatus(RunwayStatus.RUNNING));
        APIGatewayV2HTTPResponse response = call("apigw-delete-task", "t-del", FIXTURE_KEY);

        assertEquals(204, response.getStatusCode());
        assertEquals("", response.getBody());
        assertEquals(List.of("rw-9"), cancelled);
        Task task = tasks.find("t-del").orElseThrow();
        assertEquals(TaskState.CANCELLED, task.state());
        assertTrue(TaskVisibility.deleted(task));
        assertNull(task.dueAt());
        assertTrue(ledger.activeSlots("app_fixture").isEmpty());
        assertEquals(0, ledger.usage("app_fixture", LocalDate.parse("2026-11-21")).usedCredits());
        assertEquals(404, call("apigw-get-task", "t-del", FIXTURE_KEY).getStatusCode());
        assertEquals(404, call("apigw-delete-task", "t-del", FIXTURE_KEY).getStatusCode());
    }

    @Test
    void deletingAFinishedTaskDeletesItsArchivedObjects_andSettlesAtItsCost() {
        store("t-fin", TaskState.ARCHIVED, b -> b.runwayTaskId("rw-10").actualCredits(5L).archive(List.of(
                new ArchiveRecord("outputs/a/0.png", 1, "00".repeat(32), "image/png"),
                new ArchiveRecord("outputs/a/1.png", 1, "11".repeat(32), "image/png"))));
        assertEquals(204, call("apigw-delete-task", "t-fin", FIXTURE_KEY).getStatusCode());

        assertEquals(List.of("outputs/a/0.png", "outputs/a/1.png"), archive.deleted);
        assertEquals(List.of("rw-10"), cancelled);
        Task task = tasks.find("t-fin").orElseThrow();
        assertEquals(TaskState.ARCHIVED, task.state());
        assertTrue(task.archive().records().isEmpty());
        assertEquals(5, ledger.usage("app_fixture", LocalDate.parse("2026-11-21")).usedCredits());
    }

    @Test
    void deletingATaskNotYetAtRunwayCancelsItWithoutCallingRunway() {
        store("t-acc", TaskState.ACCEPTED, b -> b);
        assertEquals(204, call("apigw-delete-task", "t-acc", FIXTURE_KEY).getStatusCode());
        assertTrue(cancelled.isEmpty());
        assertEquals(TaskState.CANCELLED, tasks.find("t-acc").orElseThrow().state());
    }

    @Test
    void deleteAnswers503AndChangesNothing_whenRunwayIsUnreachable() {
        Task stored = store("t-down", TaskState.SUBMITTED, b -> b.runwayTaskId("rw-11"));
        runwayDown = true;
        APIGatewayV2HTTPResponse response = call("apigw-delete-task", "t-down", FIXTURE_KEY);
        assertEquals(503, response.getStatusCode());
        assertEquals("5", response.getHeaders().get("retry-after"));
        assertEquals(stored, tasks.find("t-down").orElseThrow());
    }

    @Test
    void deleteStartsOver_whenAnotherWriterChangesTheTaskFirst() {
        store("t-race", TaskState.SUBMITTED, b -> b.runwayTaskId("rw-12").runwayStatus(RunwayStatus.PENDING));
        AtomicInteger replaces = new AtomicInteger();
        TaskRepository racing = new InterceptingTaskRepository(tasks).aroundReplace((current, next, proceed) -> {
            if (replaces.getAndIncrement() == 0) {
                // The poller wins the first race: it saw the task start running.
                proceed.replace(current, current.next(T0).runwayStatus(RunwayStatus.RUNNING).build());
            }
            return proceed.replace(current, next);
        });
        APIGatewayV2HTTPEvent event = EventLoader.loadEvent(Path.of("..", "..", "events", "status", "apigw-delete-task.json")
                .toString(), APIGatewayV2HTTPEvent.class);
        event.setHeaders(Map.of("authorization", "Bearer " + FIXTURE_KEY));
        event.setPathParameters(Map.of("id", "t-race"));
        assertEquals(204, api(racing).apply(event).getStatusCode());
        assertEquals(TaskState.CANCELLED, tasks.find("t-race").orElseThrow().state());
        assertEquals(2, replaces.get());
    }

    @Test
    void organizationReportsTheAppsBudgetLimitsAndUsage() throws Exception {
        Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
        ledger.admit(new Reservation("app_fixture", "t-o1", "gen4_image", clock.instant(), 120, 500, 3));
        APIGatewayV2HTTPResponse response = call("apigw-organization", null, FIXTURE_KEY);

        assertEquals(200, response.getStatusCode());
        JsonNode org = JSON.readTree(response.getBody());
        assertEquals(380, org.get("creditBalance").asLong());
        assertEquals(15000, org.get("tier").get("maxMonthlyCreditSpend").asLong());
        assertEquals(3, org.get("tier").get("models").get("gen4_image").get("maxConcurrentGenerations").asInt());
        assertTrue(org.get("tier").get("models").get("gen4_image").get("maxDailyGenerations").isNull());
        assertEquals(1, org.get("usage").get("models").get("gen4_image").get("dailyGenerations").asLong());
        JsonNode relay = org.get("relay");
        assertEquals(120, relay.get("usedCredits").asLong());
        assertEquals(0, relay.get("possibleOrphansToday").asLong());
        assertEquals("fail", relay.get("ambiguousCreates").asText());
        assertEquals(1, relay.get("activeTasks").asInt());
        assertEquals("2026-11-22T00:00:00Z", relay.get("resetsAt").asText());
    }

    @Test
    void organizationCountsTodaysPossibleOrphansInTheUsedCredits() throws Exception {
        Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
        ledger.admit(new Reservation("app_fixture", "t-o2", "gen4_image", clock.instant(), 40, 500, 3));
        ledger.reserveOrphan(new OrphanReservation("app_fixture", "t-o2", 1, clock.instant(), 40, 500L));

        JsonNode relay = JSON.readTree(call("apigw-organization", null, FIXTURE_KEY).getBody()).get("relay");

        assertEquals(80, relay.get("usedCredits").asLong());
        assertEquals(1, relay.get("possibleOrphansToday").asLong());
        assertEquals(40, relay.get("possibleOrphanCreditsToday").asLong());
    }

    private APIGatewayV2HTTPResponse other(String method, String path, String key) {
        APIGatewayV2HTTPEvent event = EventLoader.loadEvent(Path.of("..", "..", "events", "status", "apigw-other-route.json")
                .toString(), APIGatewayV2HTTPEvent.class);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        if (key == null) {
            headers.remove("authorization");
        } else {
            headers.put("authorization", "Bearer " + key);
        }
        event.setHeaders(headers);
        event.setRawPath(path);
        event.getRequestContext().getHttp().setMethod(method);
        event.getRequestContext().getHttp().setPath(path);
        event.setPathParameters(Map.of("proxy", path.substring("/v1/".length())));
        return api(tasks).apply(event);
    }

    private static String slug(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody()).path("type").asText().replace("urn:runway-relay:problem:", "");
    }

    @Test
    void otherRoutesAreAnsweredAfterTheKeyCheck_403RefusedOr404Or405NamingTheRoute() throws Exception {
        for (String path : List.of("/v1/avatars", "/v1/routers", "/v1/nothing_here", "/v1/text_to_image")) {
            APIGatewayV2HTTPResponse anonymous = other("GET", path, null);
            assertEquals(401, anonymous.getStatusCode(), path + ": the key is checked first, as on known routes");
            assertEquals("unauthorized", slug(anonymous));
        }
        APIGatewayV2HTTPResponse refused = other("GET", "/v1/organization/webapp/audit_logs", FIXTURE_KEY);
        assertEquals(403, refused.getStatusCode());
        assertEquals("route-refused", slug(refused));
        assertEquals("application/problem+json", refused.getHeaders().get("content-type"));
        // Whichever Runway routes are still not supported (none once all are served) answer 404 naming the SDK call.
        for (RunwayRoutes.Route route : RunwayRoutes.all()) {
            if (route.answer() == RunwayRoutes.Answer.NOT_SUPPORTED) {
                APIGatewayV2HTTPResponse notSupported = other(route.method(), route.path().replace("{id}", "x1"),
                        FIXTURE_KEY);
                assertEquals(404, notSupported.getStatusCode(), route.routeKey());
                assertEquals("route-not-supported", slug(notSupported));
                assertTrue(JSON.readTree(notSupported.getBody()).path("detail").asText().contains(route.sdkCall()));
            }
        }
        APIGatewayV2HTTPResponse unknown = other("GET", "/v1/nothing_here", FIXTURE_KEY);
        assertEquals(404, unknown.getStatusCode());
        assertEquals("no-such-route", slug(unknown));
        assertTrue(JSON.readTree(unknown.getBody()).path("detail").asText().contains("GET /v1/nothing_here"));
        APIGatewayV2HTTPResponse wrongMethod = other("PATCH", "/v1/tasks/t-1", FIXTURE_KEY);
        assertEquals(405, wrongMethod.getStatusCode());
        assertEquals("GET, DELETE", wrongMethod.getHeaders().get("allow"));
    }

    private APIGatewayV2HTTPResponse usage(String body) {
        APIGatewayV2HTTPEvent event = EventLoader.loadEvent(Path.of("..", "..", "events", "status",
                "apigw-organization-usage.json").toString(), APIGatewayV2HTTPEvent.class);
        event.setBody(body);
        return api(tasks).apply(event);
    }

    @Test
    void organizationUsageReportsTheAppsCreditsPerModelAndDay_andNoOtherApps() throws Exception {
        Instant day1 = Instant.parse("2026-11-02T10:00:00Z");
        Instant day2 = Instant.parse("2026-11-20T10:00:00Z");
        ledger.admit(new Reservation("app_fixture", "u1", "gen4_image", day1, 8, 500, 3));
        ledger.admit(new Reservation("app_fixture", "u2", "gen4_turbo", day1, 25, 500, 3));
        ledger.settle(new com.runwayrelay.domain.gateway.UsageLedger.Settlement("app_fixture", "u2", day1, 25, 20,
                "gen4_turbo"));
        ledger.admit(new Reservation("app_fixture", "u3", "gen4_image", day2, 8, 500, 3));
        ledger.admit(new Reservation("app_other", "u4", "veo3.1", day1, 300, 5000, 3));
        ledger.admit(new Reservation("app_fixture", "u5", "gen4_image", Instant.parse("2026-11-22T00:00:00Z"), 8, 500, 3));

        APIGatewayV2HTTPResponse response = usage("{\"startDate\":\"2026-11-01\",\"beforeDate\":\"2026-11-22\"}");

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode report = JSON.readTree(response.getBody());
        assertEquals("[\"gen4_image\",\"gen4_turbo\"]", report.get("models").toString());
        assertEquals(2, report.get("results").size());
        JsonNode first = report.get("results").get(0);
        assertEquals("2026-11-02", first.get("date").asText());
        assertEquals("[{\"model\":\"gen4_image\",\"amount\":8},{\"model\":\"gen4_turbo\",\"amount\":20}]",
                first.get("usedCredits").toString());
        assertEquals("2026-11-20", report.get("results").get(1).get("date").asText());
        assertEquals(36, report.get("relay").get("usedCredits").asLong(), "beforeDate (2026-11-22) is not included");
        assertEquals(0, report.get("relay").get("unattributedCredits").asLong());
    }

    @Test
    void organizationUsageDefaultsToTheLast30Days() throws Exception {
        // The clock is at 2026-11-21: the default range is 2026-10-22 up to, not including, 2026-11-21.
        ledger.admit(new Reservation("app_fixture", "d1", "gen4_image", Instant.parse("2026-10-22T00:00:00Z"), 8, 500, 3));
        ledger.admit(new Reservation("app_fixture", "d2", "gen4_image", Instant.parse("2026-10-21T23:59:59Z"), 8, 500, 3));
        ledger.admit(new Reservation("app_fixture", "d3", "gen4_image", T0, 8, 500, 3));
        for (String body : new String[] {"{}", "", null}) {
            JsonNode report = JSON.readTree(usage(body).getBody());
            assertEquals("2026-10-22", report.get("relay").get("startDate").asText());
            assertEquals("2026-11-21", report.get("relay").get("beforeDate").asText());
            assertEquals(1, report.get("results").size());
            assertEquals("2026-10-22", report.get("results").get(0).get("date").asText());
        }
        JsonNode onlyStart = JSON.readTree(usage("{\"startDate\":\"2026-11-21\"}").getBody());
        assertEquals("2026-12-21", onlyStart.get("relay").get("beforeDate").asText());
        assertEquals(8, onlyStart.get("relay").get("usedCredits").asLong());
    }

    @Test
    void organizationUsageRefusesBadRangesAndBodies_listingEveryViolation() throws Exception {
        Map<String, String> refused = Map.of(
                "{\"startDate\":\"2026-01-01\",\"beforeDate\":\"2026-04-02\"}", "too_big beforeDate",
                "{\"startDate\":\"2026-01-01\",\"beforeDate\":\"2026-01-01\"}", "custom beforeDate",
                "{\"startDate\":\"2026-02-30\"}", "invalid_string startDate",
                "{\"startDate\":\"2026-1-1\",\"beforeDate\":20260101}", "invalid_string startDate,invalid_type beforeDate",
                "{\"from\":\"2026-01-01\"}", "unrecognized_keys ",
                "[]", "invalid_type ",
                "{\"startDate\":\"2026-01-01\",\"startDate\":\"2026-02-01\"}", "duplicate_key ",
                "{\"startDate\":", "invalid_json ");
        for (var c : refused.entrySet()) {
            APIGatewayV2HTTPResponse response = usage(c.getKey());
            assertEquals(400, response.getStatusCode(), c.getKey());
            JsonNode problem = JSON.readTree(response.getBody());
            assertEquals("urn:runway-relay:problem:invalid-request", problem.get("type").asText());
            List<String> issues = new ArrayList<>();
            problem.get("issues").forEach(i -> issues.add(i.get("code").asText() + " "
                    + (i.get("path").isEmpty() ? "" : i.get("path").get(0).asText())));
            assertEquals(c.getValue(), String.join(",", issues), c.getKey());
        }
        assertEquals(200, usage("{\"startDate\":\"2026-01-01\",\"beforeDate\":\"2026-04-01\"}").getStatusCode(),
                "90 days is the limit, inclusive");
    }

    @Test
    void unknownRouteIs404_andAFailureIs500() {
        APIGatewayV2HTTPEvent event = EventLoader.loadEvent(Path.of("..", "..", "events", "status", "apigw-get-task.json")
                .toString(), APIGatewayV2HTTPEvent.class);
        event.setRouteKey("GET /v1/tasks");
        assertEquals(404, api(tasks).apply(event).getStatusCode());

        TaskRepository broken = new InterceptingTaskRepository(tasks).onFind(id -> {
            throw new IllegalStateException("table gone");
        });
        event.setRouteKey("GET /v1/tasks/{id}");
        APIGatewayV2HTTPResponse response = api(broken).apply(event);
        assertEquals(500, response.getStatusCode());
        assertFalse(response.getBody().contains("table gone"));
    }

    /** Links carry a counter, so each signing differs as real pre-signed links do. */
    private static final class FakeArchive implements ArchiveAccess {
        private final AtomicInteger signatures = new AtomicInteger();
        private final List<String> deleted = new ArrayList<>();

        @Override
        public Link link(String key, Duration lifetime) {
            return new Link(URI.create("https://archive.example.com/" + key + "?sig=" + signatures.incrementAndGet()),
                    T0.plus(lifetime == null ? Duration.ofHours(1) : lifetime));
        }

        @Override
        public void delete(List<String> keys) {
            deleted.addAll(keys);
        }
    }

    private APIGatewayV2HTTPResponse documents(String routeKey, String id, Map<String, String> query, String body,
                                               String key) {
        APIGatewayV2HTTPEvent event = EventLoader.loadEvent(Path.of("..", "..", "events", "status",
                "apigw-organization-usage.json").toString(), APIGatewayV2HTTPEvent.class);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("authorization", "Bearer " + key);
        event.setHeaders(headers);
        event.setRouteKey(routeKey);
        event.getRequestContext().setRouteKey(routeKey);
        event.getRequestContext().getHttp().setMethod(routeKey.substring(0, routeKey.indexOf(' ')));
        event.setPathParameters(id == null ? null : Map.of("id", id));
        event.setQueryStringParameters(query);
        event.setBody(body);
        return api(tasks).apply(event);
    }

    private static final String OTHER_KEY = "rr_fedcba9876543210fedcba9876543210fedcba9876543210";

    private void otherApp() {
        apps.create(App.builder("app_other", "other", T0).dailyCreditBudget(10).maxActiveTasks(1).build(),
                ApiKeys.hash(OTHER_KEY));
    }

    @Test
    void documentCreateRefusesABadBody_listingEveryIssue_andAsksRunwayNothing() throws Exception {
        APIGatewayV2HTTPResponse response = documents(StatusApi.CREATE_DOCUMENT, null, null,
                "{\"name\":7,\"extra\":true}", FIXTURE_KEY);
        assertEquals(400, response.getStatusCode(), response.getBody());
        JsonNode body = JSON.readTree(response.getBody());
        assertEquals("invalid-request", slug(response));
        List<String> codes = new ArrayList<>();
        body.get("issues").forEach(i -> codes.add(i.get("code").asText() + "@" + i.get("path")));
        assertEquals(List.of("unrecognized_keys@[]", "invalid_type@[\"name\"]", "invalid_type@[\"content\"]"), codes);
        assertEquals(List.of(), runwayDocuments.calls());
        APIGatewayV2HTTPResponse emptyUpdate = documents(StatusApi.UPDATE_DOCUMENT, "d-1", null, "{}", FIXTURE_KEY);
        assertEquals(400, emptyUpdate.getStatusCode());
    }

    @Test
    void documentsAreTheCreatingAppsAlone_404ForAnotherApp_andListedPerApp() throws Exception {
        otherApp();
        APIGatewayV2HTTPResponse created = documents(StatusApi.CREATE_DOCUMENT, null, null,
                "{\"name\":\"FAQ\",\"content\":\"# FAQ\"}", FIXTURE_KEY);
        assertEquals(200, created.getStatusCode(), created.getBody());
        JsonNode document = JSON.readTree(created.getBody());
        String id = document.get("id").asText();
        assertEquals("FAQ", document.get("name").asText());
        assertEquals("# FAQ", document.get("content").asText());
        assertEquals("[]", document.get("usedBy").toString());

        for (String route : List.of(StatusApi.GET_DOCUMENT, StatusApi.UPDATE_DOCUMENT, StatusApi.DELETE_DOCUMENT)) {
            APIGatewayV2HTTPResponse foreign = documents(route, id, null, "{\"name\":\"taken\"}", OTHER_KEY);
            assertEquals(404, foreign.getStatusCode(), route);
            assertEquals("not-found", slug(foreign));
        }
        assertEquals("FAQ", runwayDocuments.documents().get(id).name());
        JsonNode otherList = JSON.readTree(documents(StatusApi.LIST_DOCUMENTS, null, null, null, OTHER_KEY).getBody());
        assertEquals(0, otherList.get("data").size());
        assertFalse(otherList.get("hasMore").asBoolean());

        JsonNode mine = JSON.readTree(documents(StatusApi.LIST_DOCUMENTS, null, Map.of("limit", "1", "order", "asc",
                "sort", "createdAt"), null, FIXTURE_KEY).getBody());
        assertEquals(id, mine.get("data").get(0).get("id").asText());
        assertFalse(mine.get("data").get(0).has("content"), "lists leave the content out, as Runway's do");
        assertTrue(mine.get("nextCursor").isNull());

        assertEquals(204, documents(StatusApi.UPDATE_DOCUMENT, id, null, "{\"content\":\"new\"}", FIXTURE_KEY)
                .getStatusCode());
        assertEquals("new", runwayDocuments.documents().get(id).content());
        assertEquals(204, documents(StatusApi.DELETE_DOCUMENT, id, null, null, FIXTURE_KEY).getStatusCode());
        assertEquals(404, documents(StatusApi.GET_DOCUMENT, id, null, null, FIXTURE_KEY).getStatusCode());
    }

    @Test
    void documentListRefusesAnotherAppsCursor_andBadParameters() throws Exception {
        otherApp();
        for (int i = 0; i < 2; i++) {
            documents(StatusApi.CREATE_DOCUMENT, null, null, "{\"name\":\"d" + i + "\",\"content\":\"x\"}",
                    FIXTURE_KEY);
        }
        String cursor = JSON.readTree(documents(StatusApi.LIST_DOCUMENTS, null, Map.of("limit", "1"), null,
                FIXTURE_KEY).getBody()).get("nextCursor").asText();
        APIGatewayV2HTTPResponse foreign = documents(StatusApi.LIST_DOCUMENTS, null, Map.of("cursor", cursor), null,
                OTHER_KEY);
        assertEquals(400, foreign.getStatusCode());
        assertEquals("invalid_cursor", JSON.readTree(foreign.getBody()).get("issues").get(0).get("code").asText());
        assertEquals("[\"query\",\"cursor\"]", JSON.readTree(foreign.getBody()).get("issues").get(0).get("path").toString());
        assertEquals("Validation of query failed: query parameter 'cursor' belongs to another listing: it was issued to "
                + "another app or for another resource", JSON.readTree(foreign.getBody()).get("detail").asText());
        APIGatewayV2HTTPResponse bad = documents(StatusApi.LIST_DOCUMENTS, null, Map.of("limit", "101", "order", "up",
                "sort", "updatedAt"), null, FIXTURE_KEY);
        assertEquals(400, bad.getStatusCode());
        JsonNode problem = JSON.readTree(bad.getBody());
        assertEquals(3, problem.get("issues").size());
        assertEquals("invalid-request", slug(bad));
        assertEquals("Validation of query failed: query parameter 'limit' must be an integer from 1 to 100, got \"101\" "
                + "(and 2 more issues)", problem.get("detail").asText());
        List<String> issues = new ArrayList<>();
        problem.get("issues").forEach(i -> issues.add(i.get("code").asText() + "@" + i.get("path") + " "
                + i.get("message").asText()));
        assertEquals(List.of(
                "invalid_string@[\"query\",\"limit\"] query parameter 'limit' must be an integer from 1 to 100, got \"101\"",
                "invalid_enum_value@[\"query\",\"order\"] query parameter 'order' must be 'asc' or 'desc', got 'up'",
                "invalid_enum_value@[\"query\",\"sort\"] query parameter 'sort' cannot be 'updatedAt': the gateway "
                        + "lists documents by creation time; use 'createdAt'"), issues);
        APIGatewayV2HTTPResponse emptyCursor = documents(StatusApi.LIST_DOCUMENTS, null, Map.of("cursor", "",
                "sort", "name"), null, FIXTURE_KEY);
        assertEquals(List.of("query parameter 'cursor' must be 1-" + com.runwayrelay.domain.owned.ListCursor.MAX_LENGTH
                + " characters (the previous page's nextCursor, unchanged), got 0",
                "query parameter 'sort' must be 'createdAt', got 'name'"), messages(emptyCursor));
        assertEquals(2, runwayDocuments.documents().size(), "a refused list changes nothing");
    }

    @Test
    void listsIgnoreQueryParametersTheyDoNotDefine_asRunwayDocumentsNoRefusalOfThem() throws Exception {
        documents(StatusApi.CREATE_DOCUMENT, null, null, "{\"name\":\"d\",\"content\":\"x\"}", FIXTURE_KEY);
        for (String list : List.of(StatusApi.LIST_DOCUMENTS, StatusApi.LIST_AVATARS, StatusApi.LIST_VOICES,
                StatusApi.LIST_WORKFLOWS)) {
            APIGatewayV2HTTPResponse plain = documents(list, null, Map.of("limit", "5"), null, FIXTURE_KEY);
            APIGatewayV2HTTPResponse extra = documents(list, null, Map.of("limit", "5", "colour", "blue", "page", "2"),
                    null, FIXTURE_KEY);

            assertEquals(200, plain.getStatusCode(), list + " " + plain.getBody());
            assertEquals(200, extra.getStatusCode(), list + " " + extra.getBody());
            assertEquals(JSON.readTree(plain.getBody()), JSON.readTree(extra.getBody()), list);
        }
    }

    private static List<String> messages(APIGatewayV2HTTPResponse response) throws Exception {
        assertEquals(400, response.getStatusCode(), response.getBody());
        List<String> messages = new ArrayList<>();
        JSON.readTree(response.getBody()).get("issues").forEach(i -> messages.add(i.get("message").asText()));
        return messages;
    }

    @Test
    void avatarAndVoiceListsRefuseABadLimitOrAnotherAppsCursor_asQueryParameters() throws Exception {
        otherApp();
        for (String[] kind : new String[][] {{StatusApi.CREATE_AVATAR, StatusApi.LIST_AVATARS, AVATAR},
                {StatusApi.CREATE_VOICE, StatusApi.LIST_VOICES, "{\"name\":\"Narrator\",\"from\":{\"type\":\"text\","
                        + "\"model\":\"eleven_ttv_v3\",\"prompt\":\"A warm, slow voice with a low pitch\"}}"}}) {
            created(kind[0], kind[2], FIXTURE_KEY);
            created(kind[0], kind[2], FIXTURE_KEY);
            int asked = runwayAvatars.calls.size() + runwayVoices.calls.size();
            APIGatewayV2HTTPResponse bad = documents(kind[1], null, Map.of("limit", "many"), null, FIXTURE_KEY);
            assertEquals(List.of("query parameter 'limit' must be an integer from 1 to 100, got \"many\""), messages(bad),
                    kind[1]);
            JsonNode problem = JSON.readTree(bad.getBody());
            assertEquals("[\"query\",\"limit\"]", problem.get("issues").get(0).get("path").toString());
            assertEquals("Validation of query failed: query parameter 'limit' must be an integer from 1 to 100, got "
                    + "\"many\"", problem.get("detail").asText());

            String cursor = JSON.readTree(documents(kind[1], null, Map.of("limit", "1"), null, FIXTURE_KEY).getBody())
                    .get("nextCursor").asText();
            APIGatewayV2HTTPResponse foreign = documents(kind[1], null, Map.of("cursor", cursor), null, OTHER_KEY);
            assertEquals(List.of("query parameter 'cursor' belongs to another listing: it was issued to another app or "
                    + "for another resource"), messages(foreign), kind[1]);
            assertEquals("invalid_cursor", JSON.readTree(foreign.getBody()).get("issues").get(0).get("code").asText());
            assertEquals("[\"query\",\"cursor\"]", JSON.readTree(foreign.getBody()).get("issues").get(0).get("path")
                    .toString());
            assertEquals(asked + 1, runwayAvatars.calls.size() + runwayVoices.calls.size(),
                    "only the good page was read at Runway: " + kind[1]);
        }
    }

    @Test
    void documentCreateLogsAndCountsAPossibleOrphan_whenRunwaysAnswerIsLost() throws Exception {
        runwayDocuments.script(new RunwayDocuments.Answer.Ambiguous("Runway's answer to the create was lost"));
        APIGatewayV2HTTPResponse response = documents(StatusApi.CREATE_DOCUMENT, null, null,
                "{\"name\":\"FAQ\",\"content\":\"x\"}", FIXTURE_KEY);
        assertEquals(503, response.getStatusCode());
        assertEquals(0, ownership.size());
        String line = logged.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains("\"event\":\"documents.possible_orphan\"") && line.contains("app_fixture"), line);
        assertEquals(List.of(new RecordingMetrics.Recorded(RelayMetric.POSSIBLE_ORPHANS, 1, List.of("documents"))),
                metrics.all());
    }

    @Test
    void ownedCreatesAre503WithoutAskingRunway_whenTheCreateIntentCannotBeWritten() throws Exception {
        ownership.failIntents(new IllegalStateException("store unreachable"));
        assertEquals(503, documents(StatusApi.CREATE_DOCUMENT, null, null, "{\"name\":\"FAQ\",\"content\":\"x\"}",
                FIXTURE_KEY).getStatusCode());
        assertEquals(503, documents(StatusApi.CREATE_AVATAR, null, null, AVATAR, FIXTURE_KEY).getStatusCode());

        assertEquals(List.of(), runwayDocuments.calls());
        assertEquals(List.of(), runwayAvatars.calls);
        assertEquals(0, ownership.size());
        assertEquals(List.of(), metrics.all(), "nothing can be orphaned");
    }

    @Test
    void ownedCreatesLeaveNoIntent_andAPossibleOrphanKeepsItsIntentReported() throws Exception {
        created(StatusApi.CREATE_DOCUMENT, "{\"name\":\"FAQ\",\"content\":\"x\"}", FIXTURE_KEY);
        assertEquals(List.of(), ownership.intents());

        runwayDocuments.script(new RunwayDocuments.Answer.Ambiguous("Runway's answer to the create was lost"));
        assertEquals(503, documents(StatusApi.CREATE_DOCUMENT, null, null, "{\"name\":\"Lost\",\"content\":\"x\"}",
                FIXTURE_KEY).getStatusCode());
        assertEquals(1, ownership.intents().size());
        assertEquals("Lost", ownership.intents().getFirst().name());
        assertEquals(T0.plusSeconds(60), ownership.intents().getFirst().reportedAt(), "reported here, so the sweep skips it");
    }

    @Test
    void anOwnedCreateThatThrowsIs500_andLeavesItsIntentUnreportedForTheSweep() throws Exception {
        runwayAvatars.nextCreateThrows = new IllegalStateException("Runway's answer could not be read");

        assertEquals(500, documents(StatusApi.CREATE_AVATAR, null, null, AVATAR, FIXTURE_KEY).getStatusCode());

        assertEquals(0, ownership.size());
        assertEquals(1, ownership.intents().size());
        assertEquals("Ada", ownership.intents().getFirst().name());
        assertNull(ownership.intents().getFirst().reportedAt(), "the outcome is unknown: the poller's sweep reports it");
        assertEquals(List.of(), metrics.all(), "counted once, by the sweep");
        // The next create is answered as usual.
        assertEquals(200, documents(StatusApi.CREATE_AVATAR, null, null, AVATAR, FIXTURE_KEY).getStatusCode());
        assertEquals(1, ownership.intents().size());
    }

    @Test
    void avatarAndVoiceCreatesLogAndCountAPossibleOrphan_byTheirKind() throws Exception {
        runwayAvatars.nextCreate = new RunwayResources.Answer.Ambiguous<>("Runway's answer to the create was lost");
        assertEquals(503, documents(StatusApi.CREATE_AVATAR, null, null, AVATAR, FIXTURE_KEY).getStatusCode());
        // The voice reaches Runway, its record cannot be written and the undo fails: Runway's id is logged.
        ownership.failNextRecord(new IllegalStateException("store unreachable"));
        runwayVoices.failDeletes = true;
        assertEquals(503, documents(StatusApi.CREATE_VOICE, null, null, "{\"name\":\"Narrator\",\"from\":{\"type\":"
                + "\"text\",\"model\":\"eleven_ttv_v3\",\"prompt\":\"A warm, slow voice with a low pitch\"}}",
                FIXTURE_KEY).getStatusCode());

        assertEquals(0, ownership.size());
        String lines = logged.toString(StandardCharsets.UTF_8);
        assertTrue(lines.contains("\"event\":\"avatars.possible_orphan\""), lines);
        assertTrue(lines.contains("\"event\":\"voices.possible_orphan\"")
                && lines.contains("\"runwayId\":\"" + runwayVoices.items.keySet().iterator().next() + "\""), lines);
        assertEquals(List.of(new RecordingMetrics.Recorded(RelayMetric.POSSIBLE_ORPHANS, 1, List.of("avatars")),
                new RecordingMetrics.Recorded(RelayMetric.POSSIBLE_ORPHANS, 1, List.of("voices"))), metrics.all());
    }

    private static final String AVATAR = "{\"name\":\"Ada\",\"personality\":\"helpful\","
            + "\"referenceImage\":\"https://media.example.com/ada.png\","
            + "\"voice\":{\"type\":\"runway-live-preset\",\"presetId\":\"clara\"}}";

    private JsonNode created(String routeKey, String body, String key) throws Exception {
        APIGatewayV2HTTPResponse response = documents(routeKey, null, null, body, key);
        assertEquals(200, response.getStatusCode(), response.getBody());
        return JSON.readTree(response.getBody());
    }

    @Test
    void avatarCreateRefusesABadBody_listingEveryIssue_andAsksRunwayNothing() throws Exception {
        APIGatewayV2HTTPResponse response = documents(StatusApi.CREATE_AVATAR, null, null,
                "{\"name\":\"\",\"referenceImage\":\"http://10.0.0.1/x.png\",\"voice\":{\"type\":\"runway-live-preset\","
                        + "\"presetId\":\"nobody\"},\"documentIds\":[\"d-unknown\"],\"imageProcessing\":\"max\",\"extra\":1}",
                FIXTURE_KEY);
        assertEquals(400, response.getStatusCode(), response.getBody());
        List<String> issues = new ArrayList<>();
        JSON.readTree(response.getBody()).get("issues").forEach(i -> issues.add(i.get("code").asText() + " " + i.get("path")));
        assertEquals(List.of("unrecognized_keys []", "too_small [\"name\"]", "invalid_type [\"personality\"]",
                "scheme_not_allowed [\"referenceImage\"]", "invalid_enum_value [\"imageProcessing\"]",
                "invalid_enum_value [\"voice\",\"presetId\"]"), issues);
        assertEquals(List.of(), runwayAvatars.calls);
    }

    @Test
    void avatarsAndVoicesAreTheCreatingAppsAlone_404ForAnotherApp_listedPerApp_andNotNamedInItsBodies() throws Exception {
        otherApp();
        String voice = created(StatusApi.CREATE_VOICE, "{\"name\":\"Narrator\",\"from\":{\"type\":\"text\","
                + "\"model\":\"eleven_ttv_v3\",\"prompt\":\"A warm, slow voice with a low pitch\"}}", FIXTURE_KEY)
                .get("id").asText();
        String document = created(StatusApi.CREATE_DOCUMENT, "{\"name\":\"FAQ\",\"content\":\"# FAQ\"}", FIXTURE_KEY)
                .get("id").asText();
        String withRefs = AVATAR.replace("{\"type\":\"runway-live-preset\",\"presetId\":\"clara\"}",
                "{\"type\":\"custom\",\"id\":\"" + voice + "\"},\"documentIds\":[\"" + document + "\"]");
        JsonNode avatar = created(StatusApi.CREATE_AVATAR, withRefs, FIXTURE_KEY);
        String id = avatar.get("id").asText();
        assertEquals("PROCESSING", avatar.get("status").asText());

        int asked = runwayAvatars.calls.size() + runwayVoices.calls.size();
        APIGatewayV2HTTPResponse foreignCreate = documents(StatusApi.CREATE_AVATAR, null, null, withRefs, OTHER_KEY);
        assertEquals(400, foreignCreate.getStatusCode(), foreignCreate.getBody());
        List<String> issues = new ArrayList<>();
        JSON.readTree(foreignCreate.getBody()).get("issues").forEach(i -> issues.add(i.get("code").asText() + " " + i.get("path")));
        assertEquals(List.of("resource_not_found [\"voice\",\"id\"]", "resource_not_found [\"documentIds\",0]"), issues);
        for (String[] call : new String[][] {{StatusApi.GET_AVATAR, id}, {StatusApi.UPDATE_AVATAR, id},
                {StatusApi.DELETE_AVATAR, id}, {StatusApi.GET_VOICE, voice}, {StatusApi.UPDATE_VOICE, voice},
                {StatusApi.DELETE_VOICE, voice}}) {
            APIGatewayV2HTTPResponse foreign = documents(call[0], call[1], null, "{\"name\":\"taken\"}", OTHER_KEY);
            assertEquals(404, foreign.getStatusCode(), call[0]);
            assertEquals("not-found", JSON.readTree(foreign.getBody()).get("type").asText().replace(
                    com.runwayrelay.aws.gateway.Problem.TYPE_PREFIX, ""), call[0]);
        }
        assertEquals(asked, runwayAvatars.calls.size() + runwayVoices.calls.size(), "Runway is never asked for B");
        assertEquals("[]", JSON.readTree(documents(StatusApi.LIST_AVATARS, null, null, null, OTHER_KEY).getBody())
                .get("data").toString());
        assertEquals("[]", JSON.readTree(documents(StatusApi.LIST_VOICES, null, null, null, OTHER_KEY).getBody())
                .get("data").toString());

        JsonNode mine = JSON.readTree(documents(StatusApi.LIST_AVATARS, null, Map.of("limit", "1"), null, FIXTURE_KEY)
                .getBody());
        assertEquals(id, mine.get("data").get(0).get("id").asText());
        assertEquals(false, mine.get("hasMore").asBoolean());
        APIGatewayV2HTTPResponse renamed = documents(StatusApi.UPDATE_AVATAR, id, null, "{\"name\":\"Ada 2\",\"startScript\":null}",
                FIXTURE_KEY);
        assertEquals(200, renamed.getStatusCode(), renamed.getBody());
        assertEquals("Ada 2", JSON.readTree(renamed.getBody()).get("name").asText());
        assertEquals(204, documents(StatusApi.DELETE_AVATAR, id, null, null, FIXTURE_KEY).getStatusCode());
        assertEquals(404, documents(StatusApi.GET_AVATAR, id, null, null, FIXTURE_KEY).getStatusCode());
    }

    @Test
    void voicePreviewIsForwarded_afterItsBodyIsChecked() throws Exception {
        APIGatewayV2HTTPResponse bad = documents(StatusApi.PREVIEW_VOICE, null, null,
                "{\"model\":\"eleven_ttv_v9\",\"prompt\":\"too short\"}", FIXTURE_KEY);
        assertEquals(400, bad.getStatusCode(), bad.getBody());
        assertEquals(List.of(), runwayVoices.calls);
        JsonNode preview = created(StatusApi.PREVIEW_VOICE,
                "{\"model\":\"eleven_multilingual_ttv_v2\",\"prompt\":\"A bright, quick voice for adverts\"}", FIXTURE_KEY);
        assertEquals(4.5, preview.get("durationSecs").asDouble());
        APIGatewayV2HTTPResponse audio = documents(StatusApi.CREATE_VOICE, null, null,
                "{\"name\":\"Clone\",\"from\":{\"type\":\"audio\",\"audio\":\"https://elsewhere.example.org/a.mp3\"}}",
                FIXTURE_KEY);
        assertEquals(400, audio.getStatusCode(), audio.getBody());
        assertEquals("host_not_allowed", JSON.readTree(audio.getBody()).get("issues").get(0).get("code").asText());
        assertEquals(List.of("preview"), runwayVoices.calls);
    }
}
