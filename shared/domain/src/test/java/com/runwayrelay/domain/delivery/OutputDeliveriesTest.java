package com.runwayrelay.domain.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.OutputDelivery;
import com.runwayrelay.domain.OutputDelivery.Outcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.delivery.OutputUploader.Upload;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputDeliveriesTest {
    private static final Map<String, byte[]> OBJECTS = Map.of(
            "outputs/app/t1/0.png", "first output".getBytes(StandardCharsets.UTF_8),
            "outputs/app/t1/1.png", "the second output, longer".getBytes(StandardCharsets.UTF_8));

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T12:00:00Z"));
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(4);
    private final List<Duration> waits = new ArrayList<>();
    private final Deque<Upload> answers = new ArrayDeque<>();
    private final List<Put> puts = new ArrayList<>();
    private int opened;

    private record Put(URI target, String contentType, long length, byte[] body) {
    }

    private final StoredOutputs store = key -> {
        opened++;
        byte[] bytes = OBJECTS.get(key);
        if (bytes == null) {
            throw new IOException("no such key");
        }
        return new StoredOutputs.StoredOutput(new ByteArrayInputStream(bytes), bytes.length);
    };

    private final OutputUploader uploader = (target, contentType, length, body) -> {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try {
            body.transferTo(read);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        puts.add(new Put(target, contentType, length, read.toByteArray()));
        return answers.isEmpty() ? new Upload.Stored(200) : answers.removeFirst();
    };

    private final OutputDeliveries deliveries = new OutputDeliveries(tasks, store, uploader,
            OutputDeliveries.Settings.standard(), clock, d -> {
                waits.add(d);
                clock.advance(d);
            });

    private Task givenTask(TaskState state, DeliverTo deliverTo) {
        Task task = Task.accepted("t1", "app", "text_to_image", "gen4_image", "{}", 5, clock.instant())
                .state(state).deliverTo(deliverTo)
                .archive(List.of(record("outputs/app/t1/0.png"), record("outputs/app/t1/1.png"))).build();
        tasks.insert(task);
        return task;
    }

    private static ArchiveRecord record(String key) {
        byte[] bytes = OBJECTS.get(key);
        return new ArchiveRecord(key, bytes.length, sha256(bytes), "image/png");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<OutputDelivery> recorded() {
        return tasks.find("t1").orElseThrow().deliveries();
    }

    @Test
    void putsEachOutputToItsUrl_andRecordsStatusBytesAndSha256_whenStorageAccepts() {
        givenTask(TaskState.ARCHIVED, DeliverTo.of(List.of("https://bucket.example/a?sig=1", "https://bucket.example/b?sig=2")));

        assertEquals(OutputDeliveries.Result.DELIVERED, deliveries.deliver("t1"));

        assertEquals(2, puts.size());
        assertEquals(URI.create("https://bucket.example/b?sig=2"), puts.get(1).target());
        assertEquals("image/png", puts.get(1).contentType());
        assertEquals(OBJECTS.get("outputs/app/t1/1.png").length, puts.get(1).length());
        assertEquals("the second output, longer", new String(puts.get(1).body(), StandardCharsets.UTF_8));
        List<OutputDelivery> outcomes = recorded();
        assertEquals(2, outcomes.size());
        OutputDelivery second = outcomes.get(1);
        assertEquals(1, second.index());
        assertEquals(Outcome.DELIVERED, second.outcome());
        assertEquals(200, second.httpStatus());
        assertEquals(OBJECTS.get("outputs/app/t1/1.png").length, second.bytes());
        assertEquals(sha256(OBJECTS.get("outputs/app/t1/1.png")), second.sha256());
        assertEquals(1, second.attempts());
        assertNull(second.error());
    }

    @Test
    void expandsIndexAndExtension_whenATemplateIsGiven() {
        givenTask(TaskState.ARCHIVED, DeliverTo.template("https://bucket.example/out-{index}.{ext}?sig=x"));

        deliveries.deliver("t1");

        assertEquals(List.of(URI.create("https://bucket.example/out-0.png?sig=x"),
                URI.create("https://bucket.example/out-1.png?sig=x")), puts.stream().map(Put::target).toList());
    }

    @Test
    void deliversOnlyOutputsWithAUrl_whenFewerUrlsThanOutputs() {
        givenTask(TaskState.ARCHIVED, DeliverTo.of(List.of("https://bucket.example/a")));

        deliveries.deliver("t1");

        assertEquals(1, puts.size());
        assertEquals(1, recorded().size());
        assertEquals(0, recorded().get(0).index());
    }

    @Test
    void recordsRejectedWithoutRetrying_whenThePresignedUrlExpired() {
        givenTask(TaskState.ARCHIVED, DeliverTo.of(List.of("https://bucket.example/a")));
        answers.add(new Upload.Rejected(403, "HTTP 403: the storage refused the upload (an expired pre-signed URL answers so)"));

        assertEquals(OutputDeliveries.Result.NOT_ALL_DELIVERED, deliveries.deliver("t1"));

        assertEquals(1, puts.size(), "a 4xx is never retried");
        assertTrue(waits.isEmpty());
        OutputDelivery outcome = recorded().get(0);
        assertEquals(Outcome.REJECTED, outcome.outcome());
        assertEquals(403, outcome.httpStatus());
        assertEquals(1, outcome.attempts());
        assertTrue(outcome.error().contains("403"), outcome.error());
    }

    @Test
    void retriesAfterGrowingWaits_when5xxOr429ThenDelivers() {
        givenTask(TaskState.ARCHIVED, DeliverTo.of(List.of("https://bucket.example/a")));
        answers.add(new Upload.Retryable(503, "HTTP 503", null));
        answers.add(new Upload.Retryable(429, "HTTP 429", Duration.ofSeconds(5)));

        assertEquals(OutputDeliveries.Result.DELIVERED, deliveries.deliver("t1"));

        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(5)), waits, "backoff, then the storage's Retry-After");
        assertEquals(3, puts.size());
        assertEquals("first output", new String(puts.get(2).body(), StandardCharsets.UTF_8), "each attempt streams anew");
        assertEquals(3, recorded().get(0).attempts());
        assertEquals(Outcome.DELIVERED, recorded().get(0).outcome());
    }

    @Test
    void recordsFailedAfterTheLastAttempt_whenTheStorageKeepsFailing() {
        givenTask(TaskState.ARCHIVED, DeliverTo.of(List.of("https://bucket.example/a")));
        for (int i = 0; i < 3; i++) {
            answers.add(new Upload.Retryable(0, "could not connect", null));
        }

        deliveries.deliver("t1");

        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(8)), waits);
        OutputDelivery outcome = recorded().get(0);
        assertEquals(Outcome.FAILED, outcome.outcome());
        assertEquals(3, outcome.attempts());
        assertTrue(outcome.error().contains("after 3 attempts"), outcome.error());
    }

    @Test
    void capsTheWaitAtTheMaximum_whenRetryAfterIsLonger() {
        assertEquals(Duration.ofSeconds(20), deliveries.wait(1, Duration.ofHours(1)));
        assertEquals(Duration.ofSeconds(8), deliveries.wait(2, null));
    }

    @Test
    void recordsRefusedWithoutRetrying_whenTheStorageRedirects() {
        givenTask(TaskState.ARCHIVED, DeliverTo.of(List.of("https://bucket.example/a")));
        answers.add(new Upload.Refused(307, "HTTP 307: redirects are not followed"));

        deliveries.deliver("t1");

        assertEquals(1, puts.size());
        OutputDelivery outcome = recorded().get(0);
        assertEquals(Outcome.REFUSED, outcome.outcome());
        assertEquals(307, outcome.httpStatus());
        assertEquals(1, outcome.attempts());
    }

    @Test
    void recordsRefusedWithoutSending_whenTheUrlDoesNotParse() {
        givenTask(TaskState.ARCHIVED, DeliverTo.of(List.of("https://bucket.example/a b")));

        deliveries.deliver("t1");

        assertTrue(puts.isEmpty());
        assertEquals(Outcome.REFUSED, recorded().get(0).outcome());
        assertEquals(0, recorded().get(0).attempts());
    }

    @Test
    void doesNothing_whenNotArchivedOrWithoutDeliverToOrAlreadyRecorded() {
        givenTask(TaskState.OUTPUT_READY, DeliverTo.of(List.of("https://bucket.example/a")));
        assertEquals(OutputDeliveries.Result.NOTHING_TO_DO, deliveries.deliver("t1"));
        assertEquals(OutputDeliveries.Result.NOTHING_TO_DO, deliveries.deliver("unknown"));

        Task archived = tasks.find("t1").orElseThrow();
        tasks.replace(archived, archived.next(clock.instant()).state(TaskState.ARCHIVED).build());
        assertEquals(OutputDeliveries.Result.DELIVERED, deliveries.deliver("t1"));
        assertEquals(OutputDeliveries.Result.NOTHING_TO_DO, deliveries.deliver("t1"), "a replay sends nothing again");

        assertEquals(1, puts.size());
        assertEquals(0, opened - 1);
    }

    @Test
    void recordsNothing_whenTheArchiveCannotBeRead() {
        Task task = Task.accepted("t1", "app", "text_to_image", "gen4_image", "{}", 5, clock.instant())
                .state(TaskState.ARCHIVED).deliverTo(DeliverTo.of(List.of("https://bucket.example/a")))
                .archive(List.of(new ArchiveRecord("outputs/app/t1/missing.png", 3, "00", "image/png"))).build();
        tasks.insert(task);

        assertThrows(UncheckedIOException.class, () -> deliveries.deliver("t1"));

        assertTrue(recorded().isEmpty(), "the stream's retry delivers again");
    }

    @Test
    void listsUnknownPlaceholders_andExtractsExtensions() {
        assertEquals(List.of("{name}", "{}"), DeliverTo.unknownPlaceholders("https://x.example/{index}/{name}.{ext}{}"));
        assertEquals("png", OutputDeliveries.extension("outputs/a/b/0.png"));
        assertEquals("", OutputDeliveries.extension("outputs/a.b/c/0"));
    }
}
