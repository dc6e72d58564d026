package com.runwayrelay.domain.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.delivery.OutputUploader.Upload;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.webhook.CourseEvents;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import com.runwayrelay.domain.webhook.SendOutcome;
import com.runwayrelay.domain.webhook.WebhookDispatch;
import com.runwayrelay.domain.webhook.WebhookEventType;
import com.runwayrelay.domain.webhook.WebhookMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The notifier's two use cases together, as it runs them ({@link OutputDeliveries} then
 * {@link WebhookDispatch}), on a manual clock: when {@code task.delivered} is sent, with which
 * sequence number, that it comes after the task's other events and is sent once.
 */
class DeliveredEventFlowTest {
    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
    private static final byte[] OUTPUT = "png bytes".getBytes(StandardCharsets.UTF_8);
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(4);
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final Deque<Upload> uploads = new ArrayDeque<>();
    private final List<WebhookMessage> sent = new ArrayList<>();
    private boolean crashNextSend;

    private final OutputDeliveries outputs = new OutputDeliveries(tasks,
            key -> new StoredOutputs.StoredOutput(new ByteArrayInputStream(OUTPUT), OUTPUT.length),
            (target, contentType, length, body) -> {
                try {
                    body.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return uploads.isEmpty() ? new Upload.Stored(200) : uploads.poll();
            },
            OutputDeliveries.Settings.standard(), clock, clock::advance);

    private final WebhookDispatch dispatch = new WebhookDispatch(tasks, apps,
            // The body names the event and the outcomes it can see, so the test sees what each event carried.
            (task, event) -> (event.type().wireName() + "#" + event.sequence() + " " + task.deliveries().stream()
                    .map(d -> d.outcome().wireName() + "/" + d.httpStatus()).toList()).getBytes(StandardCharsets.UTF_8),
            (target, message) -> {
                sent.add(message);
                if (crashNextSend) {
                    crashNextSend = false;
                    throw new IllegalStateException("process stopped");
                }
                return new SendOutcome.Delivered(200);
            },
            WebhookDispatch.Settings.standard(), clock, clock::advance, new SplittableRandom(5));

    /** An archived task with two outputs to deliver, as the archiver leaves it: its end event pending when chosen. */
    private void archived(Set<WebhookEventType> events, WebhookDelivery earlier) {
        apps.create(App.builder("app1", "demo", T0.minusSeconds(86_400)).dailyCreditBudget(1000).maxActiveTasks(10)
                .webhookSecrets(List.of(new App.WebhookSecret(SECRET, T0.minusSeconds(3600), null))).build(), "hash");
        Task task = Task.accepted("t1", "app1", "text_to_image", "gen4_image", "{}", 5, T0)
                .state(TaskState.ARCHIVED).callbackUrl("https://hooks.example.com/x").webhookEvents(events)
                .deliverTo(DeliverTo.template("https://bucket.example/out-{index}.{ext}?sig=x"))
                .archive(List.of(record(0), record(1))).webhook(earlier).build();
        if (earlier == null || earlier.status().isFinal()) {
            task = task.request().announces(WebhookEventType.TASK_SUCCEEDED)
                    ? task.toBuilder().webhook(CourseEvents.next(task, WebhookEventType.TASK_SUCCEEDED, T0)).dueAt(T0).build()
                    : task;
        } else {
            task = task.toBuilder().dueAt(T0).build();
        }
        tasks.insert(task);
    }

    private static ArchiveRecord record(int index) {
        return new ArchiveRecord("outputs/app1/t1/" + index + ".png", OUTPUT.length, "00", "image/png");
    }

    /** What the notifier does for one stream record of the task. */
    private WebhookDispatch.Result notifierRun() {
        outputs.deliver("t1");
        return dispatch.deliver("t1");
    }

    /** Each sent webhook as {@code type#sequence [outcome/status...] webhook-id}. */
    private List<String> sentEvents() {
        return sent.stream().map(m -> new String(m.body(), StandardCharsets.UTF_8) + " " + m.messageId()).toList();
    }

    @Test
    void sendsDeliveredAfterSucceeded_withTheOutcomes_once_whenBothAreChosen() {
        archived(Set.of(WebhookEventType.TASK_SUCCEEDED, WebhookEventType.TASK_DELIVERED), null);
        uploads.add(new Upload.Stored(200));
        uploads.add(new Upload.Rejected(403, "HTTP 403: expired"));

        assertEquals(WebhookDispatch.Result.DELIVERED, notifierRun());
        notifierRun();
        notifierRun();

        assertEquals(List.of(
                "task.succeeded#1 [delivered/200, rejected/403] msg_t1_1",
                "task.delivered#2 [delivered/200, rejected/403] msg_t1_2"), sentEvents());
        Task done = tasks.find("t1").orElseThrow();
        assertEquals("task.delivered", done.webhook().eventType());
        assertEquals(DeliveryStatus.DELIVERED, done.webhook().status());
        assertNull(done.dueAt(), "nothing left to send: out of the due index");
    }

    @Test
    void sendsDeliveredAlone_writtenWithTheOutcomes_whenTheEndEventWasNotChosen() {
        archived(Set.of(WebhookEventType.TASK_DELIVERED), null);

        outputs.deliver("t1");

        Task recorded = tasks.find("t1").orElseThrow();
        assertEquals("task.delivered", recorded.webhook().eventType(), "written by the same write as the outcomes");
        assertEquals(DeliveryStatus.PENDING, recorded.webhook().status());
        assertEquals(clock.instant(), recorded.dueAt(), "in the due index, so the poller wakes the notifier if the stream does not");

        dispatch.deliver("t1");
        dispatch.deliver("t1");
        assertEquals(List.of("task.delivered#1 [delivered/200, delivered/200] msg_t1_1"), sentEvents());
        assertNull(tasks.find("t1").orElseThrow().dueAt());
    }

    @Test
    void sendsDeliveredAfterTheEnd_whenTheOutcomesAreRecordedAfterTheEndEventWasSent_andAgainWithTheSameIdAfterACrash() {
        archived(Set.of(WebhookEventType.TASK_SUCCEEDED, WebhookEventType.TASK_DELIVERED), null);
        // The end event went out before the outcomes were recorded (the deliveries' run was cut off).
        assertEquals(WebhookDispatch.Result.DELIVERED, dispatch.deliver("t1"));
        crashNextSend = true;

        outputs.deliver("t1");
        Task recorded = tasks.find("t1").orElseThrow();
        assertEquals("task.delivered", recorded.webhook().eventType(), "the end event had ended: the slot was free");
        assertThrows(IllegalStateException.class, () -> dispatch.deliver("t1"));
        Task cut = tasks.find("t1").orElseThrow();
        assertEquals(DeliveryStatus.PENDING, cut.webhook().status(), "claimed, its outcome never recorded");
        assertEquals(cut.webhook().nextAt(), cut.dueAt(), "the poller brings it back when the claim lapses");

        clock.set(cut.webhook().nextAt());
        assertEquals(WebhookDispatch.Result.DELIVERED, notifierRun());
        notifierRun();

        assertEquals(List.of(
                "task.succeeded#1 [] msg_t1_1",
                "task.delivered#2 [delivered/200, delivered/200] msg_t1_2",
                "task.delivered#2 [delivered/200, delivered/200] msg_t1_2"), sentEvents(), "at least once, one webhook-id");
        assertNull(tasks.find("t1").orElseThrow().dueAt());
    }

    @Test
    void keepsTheOrderStartedSucceededDelivered_whenTheStartedEventWasStillPending() {
        Task probe = Task.accepted("t1", "app1", "text_to_image", "gen4_image", "{}", 5, T0).build();
        WebhookDelivery started = CourseEvents.next(probe, WebhookEventType.TASK_STARTED, T0);
        archived(Set.of(WebhookEventType.TASK_STARTED, WebhookEventType.TASK_SUCCEEDED, WebhookEventType.TASK_DELIVERED),
                started);

        outputs.deliver("t1");
        assertEquals("task.started", tasks.find("t1").orElseThrow().webhook().eventType(),
                "the slot is busy: the outcomes are written without the event");
        dispatch.deliver("t1");
        notifierRun();

        assertEquals(List.of(
                "task.started#1 [delivered/200, delivered/200] msg_t1_1",
                "task.succeeded#2 [delivered/200, delivered/200] msg_t1_2",
                "task.delivered#3 [delivered/200, delivered/200] msg_t1_3"), sentEvents());
    }

    @Test
    void sendsNoDeliveredEvent_whenNotChosen_orWhenTheTaskDidNotSucceed() {
        archived(Set.of(WebhookEventType.TASK_SUCCEEDED), null);
        notifierRun();
        notifierRun();
        assertEquals(List.of("task.succeeded#1 [delivered/200, delivered/200] msg_t1_1"), sentEvents());

        sent.clear();
        Task failed = Task.accepted("t2", "app1", "text_to_image", "gen4_image", "{}", 5, T0)
                .state(TaskState.FAILED).failure("refused").callbackUrl("https://hooks.example.com/x")
                .webhookEvents(Set.of(WebhookEventType.TASK_FAILED, WebhookEventType.TASK_DELIVERED))
                .deliverTo(DeliverTo.template("https://bucket.example/out-{index}.{ext}")).build();
        tasks.insert(failed.toBuilder().webhook(CourseEvents.next(failed, WebhookEventType.TASK_FAILED, T0)).dueAt(T0).build());
        for (int run = 0; run < 2; run++) {
            outputs.deliver("t2");
            dispatch.deliver("t2");
        }
        assertEquals(List.of("task.failed#1 [] msg_t2_1"), sentEvents(), "nothing was delivered, so nothing to announce");
    }
}
