package com.runwayrelay.domain.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.archive.DownloadRefusedException.Reason;
import com.runwayrelay.domain.archive.TaskArchiver.Outcome;
import com.runwayrelay.domain.archive.TaskArchiver.Result;
import com.runwayrelay.domain.archive.memory.InMemoryArchiveStore;
import com.runwayrelay.domain.archive.memory.ScriptedOutputSource;
import com.runwayrelay.domain.archive.memory.ScriptedOutputSource.Answer;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.InterceptingTaskRepository;
import com.runwayrelay.domain.memory.ScriptedRunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway.ReadOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.RunwayTask;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TaskArchiverTest {
    private static final Instant NOW = Instant.parse("2026-11-21T06:30:00Z");
    private static final URI LINK = URI.create("https://cdn.runwayml.com/out/0.png?sig=secret-token");
    private static final URI FRESH = URI.create("https://cdn.runwayml.com/out/0.png?sig=fresh-token");
    private static final byte[] PNG = "\u0089PNG fake image bytes".getBytes(StandardCharsets.ISO_8859_1);

    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(4);
    private final ScriptedRunwayGateway runway = new ScriptedRunwayGateway();
    private final ScriptedOutputSource source = new ScriptedOutputSource();
    private final InMemoryArchiveStore store = new InMemoryArchiveStore();
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final OutputKinds kinds = (endpoint, model) -> switch (endpoint) {
        case "text_to_image" -> Optional.of(MediaKind.IMAGE);
        case "image_to_video" -> Optional.of(MediaKind.VIDEO);
        default -> Optional.empty();
    };
    private final OutputHosts hosts = OutputHosts.of(List.of("*.runwayml.com"), false);
    private final ArchiveSettings settings = new ArchiveSettings("outputs", 1024, 3, Duration.ofSeconds(60));

    private TaskArchiver archiver(TaskRepository repository, UsageLedger usage) {
        return new TaskArchiver(repository, runway, source, store, usage, kinds, hosts, settings,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private TaskArchiver archiver() {
        return archiver(tasks, ledger);
    }

    private Task outputReady(String endpoint, List<String> outputs, String callbackUrl) {
        Task task = Task.accepted(UUID.randomUUID().toString(), "app_1", endpoint, "gen4_image", "{}", 5,
                        NOW.minusSeconds(60)).build().toBuilder()
                .state(TaskState.OUTPUT_READY).version(5).runwayTaskId("rw-1").runwayStatus(RunwayStatus.SUCCEEDED)
                .progress(1.0).outputs(outputs).actualCredits(3L).callbackUrl(callbackUrl).dueAt(null).build();
        tasks.insert(task);
        ledger.admit(new UsageLedger.Reservation("app_1", task.id(), task.request().model(), task.createdAt(), 5, 100, 5));
        return task;
    }

    private Task outputReady() {
        return outputReady("text_to_image", List.of(LINK.toString()), null);
    }

    private Task stored(Task task) {
        return tasks.find(task.id()).orElseThrow();
    }

    @Test
    void archivesEveryOutput_whenTaskIsOutputReady() {
        Task task = outputReady();
        source.on(LINK, Answer.ok("image/png", PNG));

        Outcome outcome = archiver().archive(task.id());

        assertEquals(Result.ARCHIVED, outcome.result());
        Task done = stored(task);
        assertEquals(TaskState.ARCHIVED, done.state());
        String key = "outputs/app_1/" + task.id() + "/0.png";
        assertEquals(List.of(new ArchiveRecord(key, PNG.length, sha256(PNG), "image/png")), done.archive().records());
        assertEquals(List.of(), done.runway().outputs(), "Runway's expiring links are not kept");
        assertNull(done.stateReason());
        assertNull(done.dueAt());
        assertNull(done.webhook());
        InMemoryArchiveStore.StoredObject object = store.object(key).orElseThrow();
        assertEquals("image/png", object.contentType());
        assertEquals(sha256(PNG), object.metadata().get("sha256"));
        assertEquals(task.id(), object.metadata().get("task-id"));
        assertEquals("gen4_image", object.metadata().get("model"));
        assertEquals(3, ledger.usage("app_1", UsageLedger.dayOf(task.createdAt())).usedCredits(),
                "the 5 reserved credits are settled at the 3 Runway charged");
        assertEquals(List.of(), ledger.activeSlots("app_1"));
    }

    @Test
    void setsPendingWebhookDueNow_whenTaskHasCallback() {
        Task task = outputReady("text_to_image", List.of(LINK.toString()), "https://app.example.com/hook");
        source.on(LINK, Answer.ok("image/png", PNG));

        archiver().archive(task.id());

        Task done = stored(task);
        assertEquals(DeliveryStatus.PENDING, done.webhook().status());
        assertEquals("task.succeeded", done.webhook().eventType());
        assertEquals(1, done.webhook().sequence());
        assertEquals("msg_" + task.id().replace("-", "") + "_1", done.webhook().messageId());
        assertEquals(NOW, done.webhook().nextAt());
        assertEquals(NOW, done.dueAt(), "in the due index, so a lost notifier run is retried");
    }

    @Test
    void leavesNoWebhookPendingAndLeavesTheDueIndex_whenTheRequestLeftTheSuccessEventOut() {
        Task task = outputReady("text_to_image", List.of(LINK.toString()), "https://app.example.com/hook");
        tasks.replace(task, task.toBuilder().version(6)
                .webhookEvents(java.util.Set.of(com.runwayrelay.domain.webhook.WebhookEventType.TASK_FAILED)).build());
        source.on(LINK, Answer.ok("image/png", PNG));

        archiver().archive(task.id());

        Task done = stored(task);
        assertEquals(TaskState.ARCHIVED, done.state());
        assertNull(done.webhook());
        assertNull(done.dueAt());
    }

    @Test
    void doesNothing_whenTaskIsNotOutputReady() {
        Task task = outputReady();
        tasks.replace(task, task.next(NOW).state(TaskState.SUBMITTED).build());

        Outcome outcome = archiver().archive(task.id());

        assertEquals(Result.SKIPPED, outcome.result());
        assertEquals(List.of(), source.opened());
    }

    @Test
    void skips_whenTaskDoesNotExist() {
        assertEquals(Result.SKIPPED, archiver().archive("no-such-task").result());
    }

    @Test
    void replayMakesNoSecondTransition_whenRecordIsDeliveredAgain() {
        Task task = outputReady();
        source.on(LINK, Answer.ok("image/png", PNG));
        archiver().archive(task.id());
        long version = stored(task).version();

        Outcome replay = archiver().archive(task.id());

        assertEquals(Result.SKIPPED, replay.result());
        assertEquals(version, stored(task).version());
        assertEquals(1, store.putCount());
        assertEquals(1, source.opened().size());
    }

    @Test
    void failsWithoutFetchingAnything_whenAnyOutputHostIsNotAllowlisted() {
        URI evil = URI.create("https://evil.example.com/x.png?token=do-not-log");
        Task task = outputReady("text_to_image", List.of(LINK.toString(), evil.toString()), null);
        source.on(LINK, Answer.ok("image/png", PNG));

        Outcome outcome = archiver().archive(task.id());

        assertEquals(Result.FAILED, outcome.result());
        Task failed = stored(task);
        assertEquals(TaskState.FAILED, failed.state());
        assertEquals(ArchiveFailures.HOST_NOT_ALLOWED, failed.failureCode());
        assertTrue(failed.failure().contains("evil.example.com"), failed.failure());
        assertFalse(failed.failure().contains("do-not-log"), "no query string in the reason: " + failed.failure());
        assertEquals(List.of(), source.opened());
        assertEquals(List.of(), store.keys());
        assertEquals(List.of(), ledger.activeSlots("app_1"), "a failed task is settled too");
    }

    @Test
    void failsWithoutFetching_whenOutputIsPlainHttp() {
        Task task = outputReady("text_to_image", List.of("http://cdn.runwayml.com/0.png"), null);

        archiver().archive(task.id());

        assertEquals(ArchiveFailures.HOST_NOT_ALLOWED, stored(task).failureCode());
        assertEquals(List.of(), source.opened());
    }

    @Test
    void failsTask_whenRunwayReportedNoOutput() {
        Task task = outputReady("text_to_image", List.of(), null);

        archiver().archive(task.id());

        assertEquals(ArchiveFailures.NO_OUTPUTS, stored(task).failureCode());
    }

    @Test
    void failsWithCallbackWebhook_whenOutputCanNeverBeArchived() {
        Task task = outputReady("text_to_image", List.of(LINK.toString()), "https://app.example.com/hook");
        source.on(LINK, Answer.ok("text/html", "<html>".getBytes(StandardCharsets.US_ASCII)));

        archiver().archive(task.id());

        Task failed = stored(task);
        assertEquals(ArchiveFailures.CONTENT_TYPE, failed.failureCode());
        assertTrue(failed.failure().contains("text/html"), failed.failure());
        assertEquals("task.failed", failed.webhook().eventType());
        assertEquals(NOW, failed.dueAt());
    }

    @Test
    void failsTask_whenOutputIsOctetStream() {
        Task task = outputReady();
        source.on(LINK, Answer.ok("application/octet-stream", PNG));

        archiver().archive(task.id());

        assertEquals(ArchiveFailures.CONTENT_TYPE, stored(task).failureCode());
        assertEquals(List.of(), store.keys());
    }

    @Test
    void failsTask_whenMediaKindDiffersFromEndpoint() {
        Task task = outputReady("image_to_video", List.of(LINK.toString()), null);
        source.on(LINK, Answer.ok("image/png", PNG));

        archiver().archive(task.id());

        assertEquals(ArchiveFailures.CONTENT_TYPE, stored(task).failureCode());
    }

    @Test
    void archivesAnInvocationsOutputsPerNodeAndIndexWithinTheNode() {
        URI second = URI.create("https://cdn.runwayml.com/out/1.png?sig=b");
        URI video = URI.create("https://cdn.runwayml.com/out/2.mp4?sig=c");
        Task task = outputReady("workflows/wf-1", List.of(LINK.toString(), second.toString(), video.toString()), null);
        Task withNodes = task.next(NOW).outputNodes(List.of("node-img", "node-img", "node-vid"))
                .nodeErrorsJson("{\"node-x\":{\"message\":\"m\"}}").build();
        assertTrue(tasks.replace(task, withNodes));
        byte[] mp4 = "\0\0\0\u0018ftypisom".getBytes(StandardCharsets.ISO_8859_1);
        source.on(LINK, Answer.ok("image/png", PNG));
        source.on(second, Answer.ok("image/png", PNG));
        source.on(video, Answer.ok("video/mp4", mp4));

        assertEquals(Result.ARCHIVED, archiver().archive(task.id()).result());

        Task done = stored(task);
        String base = "outputs/app_1/" + task.id() + "/";
        assertEquals(List.of(new ArchiveRecord(base + "node-img/0.png", PNG.length, sha256(PNG), "image/png", "node-img"),
                new ArchiveRecord(base + "node-img/1.png", PNG.length, sha256(PNG), "image/png", "node-img"),
                new ArchiveRecord(base + "node-vid/0.mp4", mp4.length, sha256(mp4), "video/mp4", "node-vid")),
                done.archive().records());
        assertEquals("{\"node-x\":{\"message\":\"m\"}}", done.runway().nodeErrorsJson(), "nodeErrors are kept");
    }

    @Test
    void archivesAnInvocationWithoutOutputs_whenEveryNodeFailed() {
        Task task = outputReady("workflows/wf-1", List.of(), null);

        assertEquals(Result.ARCHIVED, archiver().archive(task.id()).result());

        assertEquals(TaskState.ARCHIVED, stored(task).state());
        assertEquals(List.of(), stored(task).archive().records());
    }

    @Test
    void acceptsAnyMediaKind_whenEndpointIsUnknown() {
        Task task = outputReady("future_endpoint", List.of(LINK.toString()), null);
        source.on(LINK, Answer.ok("audio/wav", PNG));

        archiver().archive(task.id());

        assertEquals("outputs/app_1/" + task.id() + "/0.wav", stored(task).archive().records().get(0).key());
    }

    @Test
    void failsTask_whenDeclaredLengthIsOverCap() {
        Task task = outputReady();
        source.on(LINK, Answer.truncated("image/png", PNG, 4096));

        archiver().archive(task.id());

        assertEquals(ArchiveFailures.TOO_LARGE, stored(task).failureCode());
        assertEquals(0, store.putCount(), "nothing is read from an output declared too large");
    }

    @Test
    void failsTask_whenUnannouncedBodyGrowsOverCap() {
        Task task = outputReady();
        source.on(LINK, Answer.unknownLength("image/png", new ByteArrayInputStream(new byte[2048])));

        archiver().archive(task.id());

        assertEquals(ArchiveFailures.TOO_LARGE, stored(task).failureCode());
        assertEquals(List.of(), store.keys());
    }

    @Test
    void retriesAndStoresNothing_whenDownloadIsTruncated() {
        Task task = outputReady();
        source.on(LINK, Answer.truncated("image/png", new byte[10], PNG.length))
                .on(LINK, Answer.ok("image/png", PNG));

        Outcome first = archiver().archive(task.id());

        assertEquals(Result.RETRY, first.result());
        assertEquals(List.of(), store.keys());
        Task waiting = stored(task);
        assertEquals(TaskState.OUTPUT_READY, waiting.state());
        assertTrue(waiting.stateReason().startsWith("archive attempt 1 of 3 failed: output 0: the output download "
                + "ended after 10 of " + PNG.length + " bytes"), waiting.stateReason());

        Outcome second = archiver().archive(task.id());

        assertEquals(Result.ARCHIVED, second.result());
        assertEquals(sha256(PNG), stored(task).archive().records().get(0).sha256());
    }

    @Test
    void countsEachAttemptOnTheTask_withTheErrorOfTheOneThatFailed() {
        Task task = outputReady();
        source.on(LINK, Answer.truncated("image/png", new byte[10], PNG.length))
                .on(LINK, Answer.ok("image/png", PNG));

        archiver().archive(task.id());

        Task waiting = stored(task);
        assertEquals(1, waiting.archive().attempts());
        assertTrue(waiting.archive().lastError().startsWith("output 0: the output download ended after 10 of "),
                waiting.archive().lastError());

        archiver().archive(task.id());

        Task archived = stored(task);
        assertEquals(TaskState.ARCHIVED, archived.state());
        assertEquals(2, archived.archive().attempts());
        assertNull(archived.archive().lastError());
    }

    @Test
    void failsAfterLastAllowedAttempt_whenErrorsPersist() {
        Task task = outputReady();
        source.on(LINK, Answer.fails("connection reset"));

        assertEquals(Result.RETRY, archiver().archive(task.id()).result());
        assertEquals(Result.RETRY, archiver().archive(task.id()).result());
        Outcome third = archiver().archive(task.id());

        assertEquals(Result.FAILED, third.result());
        Task failed = stored(task);
        assertEquals(ArchiveFailures.RETRIES_EXHAUSTED, failed.failureCode());
        assertEquals("archiving failed 3 times; last error: output 0: download failed: connection reset",
                failed.failure());
        assertNull(failed.stateReason());
        assertEquals(3, source.opened().size());
    }

    @Test
    void countsAttemptThatNeverFinished_whenRunWasCutOff() {
        Task task = outputReady();
        tasks.replace(task, task.next(NOW).stateReason(ArchiveAttempts.started(3, 3)).build());

        Outcome outcome = archiver().archive(task.id());

        assertEquals(Result.FAILED, outcome.result());
        assertEquals("archiving failed 3 times; last error: the run ended before finishing (timed out or crashed)",
                stored(task).failure());
        assertEquals(List.of(), source.opened());
    }

    @Test
    void recordsAttemptBeforeDownloading_soTimeoutsCount() {
        Task task = outputReady();
        AtomicInteger seenAttempt = new AtomicInteger();
        source.on(LINK, () -> {
            seenAttempt.set(ArchiveAttempts.made(stored(task)));
            return Answer.ok("image/png", PNG).open();
        });

        archiver().archive(task.id());

        assertEquals(1, seenAttempt.get());
    }

    @Test
    void fetchesFreshLinkFromRunway_whenHostRefusesExpiredLink() {
        Task task = outputReady();
        source.on(LINK, Answer.refused(Reason.EXPIRED, 403, null)).on(FRESH, Answer.ok("image/png", PNG));
        runway.answer("rw-1", found("SUCCEEDED", FRESH));

        Outcome outcome = archiver().archive(task.id());

        assertEquals(Result.ARCHIVED, outcome.result());
        assertEquals(List.of(LINK, FRESH), source.opened());
    }

    @Test
    void fetchesFreshLinkFirst_whenLinkSaysItHasExpired() {
        URI expired = URI.create("https://cdn.runwayml.com/0.png?exp=" + NOW.minusSeconds(5).getEpochSecond());
        Task task = outputReady("text_to_image", List.of(expired.toString()), null);
        source.on(FRESH, Answer.ok("image/png", PNG));
        runway.answer("rw-1", found("SUCCEEDED", FRESH));

        archiver().archive(task.id());

        assertEquals(TaskState.ARCHIVED, stored(task).state());
        assertEquals(List.of(FRESH), source.opened());
    }

    @Test
    void refreshesAnInvocationsLinks_onlyWhenRunwayReportsTheSameNodes() {
        Task task = outputReady("workflows/wf-1", List.of(LINK.toString()), null);
        assertTrue(tasks.replace(task, task.next(NOW).outputNodes(List.of("node-a")).build()));
        Task other = outputReady("workflows/wf-1", List.of(LINK.toString()), null);
        assertTrue(tasks.replace(other, other.next(NOW).outputNodes(List.of("node-a")).build()));
        source.on(LINK, Answer.refused(Reason.EXPIRED, 403, null)).on(FRESH, Answer.ok("image/png", PNG));
        runway.answer("rw-1", new ReadOutcome.Found(new RunwayTask("rw-1", RunwayStatus.SUCCEEDED, null,
                List.of(FRESH.toString()), null, null, null, List.of("node-a"), null)));

        archiver().archive(task.id());
        assertEquals("outputs/app_1/" + task.id() + "/node-a/0.png", stored(task).archive().records().getFirst().key());

        runway.answer("rw-1", new ReadOutcome.Found(new RunwayTask("rw-1", RunwayStatus.SUCCEEDED, null,
                List.of(FRESH.toString()), null, null, null, List.of("node-b"), null)));
        archiver().archive(other.id());
        assertEquals(ArchiveFailures.SOURCE_GONE, stored(other).failureCode());
    }

    @Test
    void failsSourceGone_whenRunwayNoLongerKnowsTask() {
        Task task = outputReady();
        source.on(LINK, Answer.refused(Reason.EXPIRED, 404, null));
        runway.answer("rw-1", new ReadOutcome.Gone());

        archiver().archive(task.id());

        assertEquals(ArchiveFailures.SOURCE_GONE, stored(task).failureCode());
    }

    @Test
    void retries_whenRunwayCannotBeAskedForFreshLink() {
        Task task = outputReady();
        source.on(LINK, Answer.refused(Reason.EXPIRED, 403, null));
        runway.answer("rw-1", new ReadOutcome.Unavailable("503", null));

        assertEquals(Result.RETRY, archiver().archive(task.id()).result());
    }

    @Test
    void retries_whenFreshLinkIsRefusedToo() {
        Task task = outputReady();
        source.on(LINK, Answer.refused(Reason.EXPIRED, 403, null)).on(FRESH, Answer.refused(Reason.EXPIRED, 403, null));
        runway.answer("rw-1", found("SUCCEEDED", FRESH));

        Outcome outcome = archiver().archive(task.id());

        assertEquals(Result.RETRY, outcome.result());
        assertTrue(outcome.detail().contains("even with a fresh link"), outcome.detail());
    }

    @Test
    void failsWithoutFollowing_whenHostRedirects() {
        Task task = outputReady();
        source.on(LINK, Answer.refused(Reason.REDIRECTED, 302, null));

        archiver().archive(task.id());

        assertEquals(ArchiveFailures.REDIRECT_REFUSED, stored(task).failureCode());
    }

    @Test
    void failsAddressNotAllowed_whenHostResolvesToPrivateAddress() {
        Task task = outputReady();
        source.on(LINK, Answer.refused(Reason.BLOCKED, 0, "private_address"));

        archiver().archive(task.id());

        assertEquals(ArchiveFailures.ADDRESS_NOT_ALLOWED, stored(task).failureCode());
    }

    @Test
    void retries_whenHostAnswersServerError() {
        Task task = outputReady();
        source.on(LINK, Answer.refused(Reason.HTTP_ERROR, 503, null));

        assertEquals(Result.RETRY, archiver().archive(task.id()).result());
    }

    @Test
    void retries_whenStoreFails() {
        Task task = outputReady();
        source.on(LINK, Answer.ok("image/png", PNG));
        store.failNextPuts(1);

        assertEquals(Result.RETRY, archiver().archive(task.id()).result());
        assertEquals(Result.ARCHIVED, archiver().archive(task.id()).result());
    }

    @Test
    void removesEarlierOutputs_whenLaterOutputCanNeverBeArchived() {
        URI second = URI.create("https://cdn.runwayml.com/out/1.png");
        Task task = outputReady("text_to_image", List.of(LINK.toString(), second.toString()), null);
        source.on(LINK, Answer.ok("image/png", PNG)).on(second, Answer.ok("text/plain", PNG));

        archiver().archive(task.id());

        assertEquals(ArchiveFailures.CONTENT_TYPE, stored(task).failureCode());
        assertEquals(List.of(), store.keys());
    }

    @Test
    void removesStoredOutputs_whenAppCancelsDuringArchiving() {
        Task task = outputReady();
        source.on(LINK, Answer.ok("image/png", PNG));
        AtomicBoolean cancelled = new AtomicBoolean();
        TaskRepository racing = new InterceptingTaskRepository(tasks).aroundReplace((current, next, proceed) -> {
            if (next.state() == TaskState.ARCHIVED && cancelled.compareAndSet(false, true)) {
                tasks.replace(current, current.next(NOW).state(TaskState.CANCELLED).build());
            }
            return proceed.replace(current, next);
        });

        Outcome outcome = archiver(racing, ledger).archive(task.id());

        assertEquals(Result.SKIPPED, outcome.result());
        assertEquals(TaskState.CANCELLED, stored(task).state());
        assertEquals(List.of(), store.keys());
    }

    @Test
    void keepsTheArchivedOutputsAndSettles_whenItsOwnArchivedWriteLandedButTheAnswerWasLost() {
        Task task = outputReady();
        source.on(LINK, Answer.ok("image/png", PNG));
        AtomicBoolean lost = new AtomicBoolean();
        TaskRepository lossy = new InterceptingTaskRepository(tasks).aroundReplace((current, next, proceed) -> {
            if (next.state() == TaskState.ARCHIVED && lost.compareAndSet(false, true)) {
                // applied, but the caller sees a failed condition (its client retried a write that had succeeded)
                proceed.replace(current, next);
                return false;
            }
            return proceed.replace(current, next);
        });

        Outcome outcome = archiver(lossy, ledger).archive(task.id());

        assertEquals(Result.ARCHIVED, outcome.result(), outcome.toString());
        String key = "outputs/app_1/" + task.id() + "/0.png";
        assertEquals(TaskState.ARCHIVED, stored(task).state());
        assertEquals(List.of(key), store.keys(), "the object the ARCHIVED task references is kept");
        assertEquals(3, ledger.usage("app_1", UsageLedger.dayOf(task.createdAt())).usedCredits());
    }

    @Test
    void keepsTheArchivedOutputs_whenAnotherArchiverArchivedTheTaskFirst() {
        Task task = outputReady();
        source.on(LINK, Answer.ok("image/png", PNG));
        AtomicBoolean raced = new AtomicBoolean();
        TaskRepository racing = new InterceptingTaskRepository(tasks).aroundReplace((current, next, proceed) -> {
            if (next.state() == TaskState.ARCHIVED && raced.compareAndSet(false, true)) {
                // the other archiver began its own attempt, then ended it: two versions on
                Task begunElsewhere = current.next(NOW).build();
                tasks.replace(current, begunElsewhere);
                tasks.replace(begunElsewhere, begunElsewhere.next(NOW).state(TaskState.ARCHIVED).archive(next.archive().records())
                        .outputs(List.of()).stateReason(null).build());
            }
            return proceed.replace(current, next);
        });

        Outcome outcome = archiver(racing, ledger).archive(task.id());

        assertEquals(Result.SKIPPED, outcome.result(), outcome.toString());
        assertEquals(TaskState.ARCHIVED, stored(task).state());
        assertEquals(List.of("outputs/app_1/" + task.id() + "/0.png"), store.keys(), "the referenced object stays");
        assertEquals(3, ledger.usage("app_1", UsageLedger.dayOf(task.createdAt())).usedCredits(), "settled once");
    }

    @Test
    void writesEndOnTopOfNewerVersion_whenAnotherWriterTouchedTaskButLeftItOutputReady() {
        Task task = outputReady();
        source.on(LINK, Answer.ok("image/png", PNG));
        AtomicBoolean touched = new AtomicBoolean();
        TaskRepository racing = new InterceptingTaskRepository(tasks).aroundReplace((current, next, proceed) -> {
            if (next.state() == TaskState.ARCHIVED && touched.compareAndSet(false, true)) {
                tasks.replace(current, current.next(NOW).build());
            }
            return proceed.replace(current, next);
        });

        assertEquals(Result.ARCHIVED, archiver(racing, ledger).archive(task.id()).result());
        assertEquals(TaskState.ARCHIVED, stored(task).state());
    }

    @Test
    void settlesOnReplay_whenSettlingFailedAfterArchiving() {
        Task task = outputReady();
        source.on(LINK, Answer.ok("image/png", PNG));
        AtomicBoolean failOnce = new AtomicBoolean(true);
        UsageLedger flaky = new DelegatingLedger(ledger) {
            @Override
            public void settle(Settlement settlement) {
                if (failOnce.getAndSet(false)) {
                    throw new IllegalStateException("ledger unavailable");
                }
                super.settle(settlement);
            }
        };

        Outcome first = archiver(tasks, flaky).archive(task.id());
        assertEquals(Result.RETRY, first.result());
        assertEquals(TaskState.ARCHIVED, stored(task).state());
        assertEquals(1, ledger.activeSlots("app_1").size());

        Outcome replay = archiver(tasks, flaky).archive(task.id());

        assertEquals(Result.SKIPPED, replay.result());
        assertEquals(List.of(), ledger.activeSlots("app_1"));
    }

    @Test
    void doesNotSettle_whenTaskWasEndedBySomeoneElse() {
        Task task = outputReady();
        tasks.replace(task, task.next(NOW).state(TaskState.CANCELLED).build());

        archiver().archive(task.id());

        assertEquals(1, ledger.activeSlots("app_1").size(), "the status endpoint settles its own cancellations");
    }

    @Test
    void outcomeAsksForRetry_onlyForRetry() {
        assertTrue(new Outcome(Result.RETRY, "x").retry());
        assertFalse(new Outcome(Result.FAILED, "x").retry());
        assertNotNull(new Outcome(Result.SKIPPED, "x").detail());
    }

    private static ReadOutcome found(String status, URI... outputs) {
        return new ReadOutcome.Found(new RunwayTask("rw-1", RunwayStatus.fromWire(status), null,
                java.util.Arrays.stream(outputs).map(URI::toString).toList(), 3L, null, null));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static class DelegatingLedger implements UsageLedger {
        private final UsageLedger delegate;

        DelegatingLedger(UsageLedger delegate) {
            this.delegate = delegate;
        }

        @Override
        public Admission admit(Reservation reservation) {
            return delegate.admit(reservation);
        }

        @Override
        public void settle(Settlement settlement) {
            delegate.settle(settlement);
        }

        @Override
        public Admission reserveOrphan(OrphanReservation reservation) {
            return delegate.reserveOrphan(reservation);
        }

        @Override
        public void freeSlot(String appId, ActiveSlot slot) {
            delegate.freeSlot(appId, slot);
        }

        @Override
        public List<ActiveSlot> activeSlots(String appId) {
            return delegate.activeSlots(appId);
        }

        @Override
        public DailyUsage usage(String appId, java.time.LocalDate day) {
            return delegate.usage(appId, day);
        }
    }
}
