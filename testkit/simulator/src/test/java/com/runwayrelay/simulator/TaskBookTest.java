package com.runwayrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.memory.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskBookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-10-01T12:00:00Z"));

    private TaskBook book(SimulatorConfig.Builder b) {
        SimulatorConfig config = b.clock(clock).pendingDuration(Duration.ofSeconds(1)).runningDuration(Duration.ofSeconds(4)).build();
        return new TaskBook(config, new MediaFactory(config));
    }

    private static JsonNode body(String json) throws IOException {
        return JSON.readTree(json);
    }

    private static SimulatedTask create(TaskBook book, String model, String json) throws IOException {
        return book.create("text_to_image", model, MediaKind.IMAGE, body(json), json, 5, 1);
    }

    private TaskStatus status(TaskBook book, String id) {
        return book.find(id).orElseThrow().status();
    }

    @Test
    void task_goesPendingRunningSucceeded_withProgressRising() throws IOException {
        TaskBook book = book(SimulatorConfig.builder());
        SimulatedTask t = create(book, "gen4_image", "{\"ratio\":\"1024:1024\"}");
        assertEquals(TaskStatus.PENDING, t.status());
        clock.advance(Duration.ofMillis(1500));
        SimulatedTask running = book.find(t.id()).orElseThrow();
        assertEquals(TaskStatus.RUNNING, running.status());
        assertEquals(0.12, running.progress(), 1e-9);
        clock.advance(Duration.ofSeconds(2));
        assertEquals(0.62, book.find(t.id()).orElseThrow().progress(), 1e-9);
        clock.advance(Duration.ofSeconds(2));
        SimulatedTask done = book.find(t.id()).orElseThrow();
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        assertEquals(1.0, done.progress());
        assertEquals(List.of(new SimulatedOutput(0, "image/png", done.outputs().getFirst().size())), done.outputs());
        assertTrue(book.output(t.id(), 0).isPresent());
    }

    @Test
    void modelRunningDuration_setsThatModelsFinish_andOthersKeepTheDefault() throws IOException {
        TaskBook book = book(SimulatorConfig.builder().modelRunningDuration("gen4.5", Duration.ofSeconds(20)));
        SimulatedTask video = book.create("text_to_video", "gen4.5", MediaKind.VIDEO, body("{\"duration\":5}"), "{}", 60, 1);
        SimulatedTask image = create(book, "gen4_image", "{\"ratio\":\"1024:1024\"}");
        Instant created = clock.instant();
        assertEquals(Optional.of(created.plusSeconds(21)), book.finishAt(video.id()));
        assertEquals(Optional.of(created.plusSeconds(5)), book.finishAt(image.id()));
        clock.advance(Duration.ofSeconds(11));
        SimulatedTask halfway = book.find(video.id()).orElseThrow();
        assertEquals(TaskStatus.RUNNING, halfway.status());
        assertEquals(0.5, halfway.progress(), 1e-9);
        assertEquals(TaskStatus.SUCCEEDED, status(book, image.id()));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(TaskStatus.SUCCEEDED, status(book, video.id()));
        assertEquals(Optional.empty(), book.finishAt("no-such-task"));
    }

    @Test
    void extraTasks_areThrottled_thenPromotedInSubmissionOrder_whenSlotsFree() throws IOException {
        TaskBook book = book(SimulatorConfig.builder().modelLimit("gen4_image", new ModelLimits(2, null)));
        String a = create(book, "gen4_image", "{}").id();
        clock.advance(Duration.ofSeconds(1));
        String b = create(book, "gen4_image", "{}").id();
        SimulatedTask c = create(book, "gen4_image", "{}");
        SimulatedTask d = create(book, "gen4_image", "{}");
        String other = create(book, "seedream5_lite", "{}").id();
        assertEquals(TaskStatus.THROTTLED, c.status());
        assertEquals(TaskStatus.THROTTLED, d.status());
        assertEquals(TaskStatus.PENDING, status(book, other), "limits are per model");

        clock.advance(Duration.ofSeconds(4)); // a finishes at 5 s: c takes its slot
        assertEquals(TaskStatus.SUCCEEDED, status(book, a));
        assertEquals(TaskStatus.PENDING, status(book, c.id()));
        assertEquals(TaskStatus.THROTTLED, status(book, d.id()));

        clock.advance(Duration.ofSeconds(1)); // b finishes at 6 s: d takes its slot
        assertEquals(TaskStatus.SUCCEEDED, status(book, b));
        assertEquals(TaskStatus.PENDING, status(book, d.id()));
        clock.advance(Duration.ofSeconds(5));
        assertEquals(TaskStatus.SUCCEEDED, status(book, c.id()));
        assertEquals(TaskStatus.SUCCEEDED, status(book, d.id()));
    }

    @Test
    void cancellingARunningTask_promotesTheNextThrottledOneAtOnce() throws IOException {
        TaskBook book = book(SimulatorConfig.builder().modelLimit("gen4_image", new ModelLimits(1, null)));
        String a = create(book, "gen4_image", "{}").id();
        String b = create(book, "gen4_image", "{}").id();
        assertEquals(TaskStatus.THROTTLED, status(book, b));
        assertTrue(book.delete(a));
        assertEquals(TaskStatus.PENDING, status(book, b));
        SimulatedTask cancelled = book.find(a).orElseThrow();
        assertEquals(TaskStatus.CANCELLED, cancelled.status());
        assertTrue(cancelled.cancelled());
        assertTrue(book.visible(a).isEmpty());
    }

    @Test
    void delete_deletesAFinishedTask_andReportsFalseTheSecondTime() throws IOException {
        TaskBook book = book(SimulatorConfig.builder());
        String a = create(book, "gen4_image", "{}").id();
        clock.advance(Duration.ofSeconds(10));
        assertTrue(book.delete(a));
        SimulatedTask t = book.find(a).orElseThrow();
        assertTrue(t.deleted());
        assertFalse(t.cancelled());
        assertTrue(book.output(a, 0).isEmpty(), "a deleted task's outputs are gone");
        assertFalse(book.delete(a));
        assertFalse(book.delete("no-such-task"));
    }

    @Test
    void promptWithFailMarker_failsWithThatCode_andIsNotRefundedForSafetyInput() throws IOException {
        TaskBook book = book(SimulatorConfig.builder().creditBalance(100));
        String a = create(book, "gen4_image", "{\"promptText\":\"a cat [fail:SAFETY.INPUT.TEXT]\"}").id();
        String b = create(book, "gen4_image", "{\"promptText\":\"a dog [fail:INTERNAL.BAD_OUTPUT.CODE01]\"}").id();
        assertEquals(90, book.creditBalance(clock.instant()), "estimates are held while tasks run");
        clock.advance(Duration.ofSeconds(10));
        SimulatedTask failed = book.find(a).orElseThrow();
        assertEquals(TaskStatus.FAILED, failed.status());
        assertEquals("SAFETY.INPUT.TEXT", failed.failureCode());
        assertEquals(5, TaskBook.cost(failed));
        assertEquals(0, TaskBook.cost(book.find(b).orElseThrow()));
        assertEquals(95, book.creditBalance(clock.instant()));
        assertTrue(failed.outputs().isEmpty());
    }

    @Test
    void failureRateOne_failsEveryTask_withAConfiguredCode() throws IOException {
        TaskBook book = book(SimulatorConfig.builder().failureRate(1.0).failureCodes(List.of("THIRD_PARTY.UNAVAILABLE")));
        String a = create(book, "gen4_image", "{}").id();
        clock.advance(Duration.ofSeconds(10));
        assertEquals("THIRD_PARTY.UNAVAILABLE", book.find(a).orElseThrow().failureCode());
    }

    @Test
    void create_throws429_whenTheDailyLimitIsReached_untilADayHasPassed() throws IOException {
        TaskBook book = book(SimulatorConfig.builder().modelLimit("gen4_image", new ModelLimits(null, 2)));
        create(book, "gen4_image", "{}");
        create(book, "gen4_image", "{}");
        ApiException e = assertThrows(ApiException.class, () -> create(book, "gen4_image", "{}"));
        assertEquals(429, e.status());
        assertEquals("Your daily task limit has been reached.", e.getMessage());
        assertEquals(2, book.createdCount());
        assertEquals(2, book.dailyGenerations("gen4_image", clock.instant()));
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        create(book, "gen4_image", "{}");
        assertEquals(1, book.dailyGenerations("gen4_image", clock.instant()));
    }

    @Test
    void create_throws400_whenCreditsDoNotCoverTheEstimate() {
        TaskBook book = book(SimulatorConfig.builder().creditBalance(4));
        ApiException e = assertThrows(ApiException.class, () -> create(book, "gen4_image", "{}"));
        assertEquals(400, e.status());
    }

    @Test
    void usage_groupsChargedCreditsByDayAndModel() throws IOException {
        TaskBook book = book(SimulatorConfig.builder());
        create(book, "gen4_image", "{}");
        create(book, "gen4_image", "{}");
        String cancelled = create(book, "seedream5_lite", "{}").id();
        book.delete(cancelled);
        Map<LocalDate, Map<String, Long>> usage = book.usage(clock.instant());
        assertEquals(Map.of(LocalDate.parse("2026-10-01"), Map.of("gen4_image", 10L, "seedream5_lite", 0L)), usage);
    }

    @Test
    void failureMessage_namesTheKindOfFailure() {
        assertTrue(TaskBook.failureMessage("SAFETY.INPUT.IMAGE").contains("content moderation"));
        assertTrue(TaskBook.failureMessage("THIRD_PARTY.UNAVAILABLE").contains("retry later"));
        assertNull(book(SimulatorConfig.builder()).find("nope").orElse(null));
    }
}
