package com.runwayrelay.domain.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.WebhookDelivery.DeliveryAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CourseEventsTest {
    private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    private static Task.Builder running(Set<WebhookEventType> events) {
        return Task.accepted("t1", "app1", "text_to_image", "gen4_image", "{}", 5, T0)
                .state(TaskState.SUBMITTED).runwayTaskId("rw1").runwayStatus(RunwayStatus.RUNNING).progress(0.2)
                .callbackUrl("https://hooks.example.com/x").webhookEvents(events);
    }

    private static WebhookDelivery delivered(String type, long sequence, Instant firstAttempt) {
        return new WebhookDelivery(DeliveryStatus.DELIVERED, WebhookEvent.messageIdOf("t1", sequence), type, sequence,
                List.of(new DeliveryAttempt(firstAttempt, 200, null)), null);
    }

    @Test
    void startsWithSequenceOne_theFirstTimeRunwayReportsRunning() {
        Task task = running(Set.of(WebhookEventType.TASK_STARTED)).runwayStatus(RunwayStatus.PENDING).progress(null).build();

        WebhookDelivery started = CourseEvents.afterRead(task, RunwayStatus.RUNNING, 0.0, T0, INTERVAL).orElseThrow();

        assertEquals(new WebhookDelivery(DeliveryStatus.PENDING, "msg_t1_1", "task.started", 1, List.of(), T0), started);
        assertEquals(Optional.empty(), CourseEvents.afterRead(task, RunwayStatus.THROTTLED, null, T0, INTERVAL));
    }

    @Test
    void announcesNothing_whenTheTaskDidNotChooseTheEvent_orHasNoCallback() {
        Task defaults = running(null).runwayStatus(RunwayStatus.PENDING).build();
        Task noCallback = running(Set.of(WebhookEventType.TASK_STARTED, WebhookEventType.TASK_PROGRESS))
                .callbackUrl(null).build();

        assertEquals(Optional.empty(), CourseEvents.afterRead(defaults, RunwayStatus.RUNNING, 0.5, T0, INTERVAL));
        assertEquals(Optional.empty(), CourseEvents.afterRead(noCallback, RunwayStatus.RUNNING, 0.5, T0, INTERVAL));
    }

    @Test
    void announcesProgressOnlyWhenItChanged_andNotBeforeTheIntervalSinceTheLastProgressEvent() {
        Task afterProgress = running(Set.of(WebhookEventType.TASK_PROGRESS))
                .webhook(delivered("task.progress", 4, T0)).build();

        assertEquals(Optional.empty(), CourseEvents.afterRead(afterProgress, RunwayStatus.RUNNING, 0.2, T0.plusSeconds(60), INTERVAL),
                "unchanged");
        assertEquals(Optional.empty(), CourseEvents.afterRead(afterProgress, RunwayStatus.RUNNING, 0.5,
                T0.plus(INTERVAL).minusMillis(1), INTERVAL), "too soon");
        WebhookDelivery next = CourseEvents.afterRead(afterProgress, RunwayStatus.RUNNING, 0.5, T0.plus(INTERVAL), INTERVAL)
                .orElseThrow();
        assertEquals("task.progress", next.eventType());
        assertEquals(5, next.sequence());
        assertEquals("msg_t1_5", next.messageId());
    }

    @Test
    void announcesNothing_whileThePreviousEventIsStillBeingDelivered() {
        Task busy = running(Set.of(WebhookEventType.TASK_PROGRESS))
                .webhook(new WebhookDelivery(DeliveryStatus.PENDING, "msg_t1_1", "task.progress", 1, List.of(),
                        T0.minusSeconds(600)))
                .build();

        assertEquals(Optional.empty(), CourseEvents.afterRead(busy, RunwayStatus.RUNNING, 0.9, T0, INTERVAL));
    }

    @Test
    void announcesProgressAfterStartedWithoutWaiting_andNeverASecondStarted() {
        Task afterStarted = running(Set.of(WebhookEventType.TASK_STARTED, WebhookEventType.TASK_PROGRESS))
                .webhook(delivered("task.started", 1, T0)).build();

        WebhookDelivery next = CourseEvents.afterRead(afterStarted, RunwayStatus.RUNNING, 0.3, T0.plusSeconds(1), INTERVAL)
                .orElseThrow();

        assertEquals("task.progress", next.eventType());
        assertEquals(2, next.sequence());
    }

    @Test
    void precedesEndOnlyForStartedAndProgress_andTheDefaultIsTheThreeEnds() {
        assertTrue(WebhookEventType.TASK_STARTED.precedesEnd() && WebhookEventType.TASK_PROGRESS.precedesEnd());
        assertEquals(Set.of(WebhookEventType.TASK_SUCCEEDED, WebhookEventType.TASK_FAILED, WebhookEventType.TASK_CANCELLED),
                WebhookEventType.DEFAULT);
        for (WebhookEventType type : WebhookEventType.values()) {
            assertEquals(WebhookEventType.DEFAULT.contains(type), type.ends(), type.name());
        }
        assertEquals(Optional.of(WebhookEventType.TASK_DELIVERED), WebhookEventType.ofWireName("task.delivered"));
    }
}
