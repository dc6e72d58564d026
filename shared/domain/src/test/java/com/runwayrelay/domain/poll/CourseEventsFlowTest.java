package com.runwayrelay.domain.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.memory.ScriptedRunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway.ReadOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.RunwayTask;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import com.runwayrelay.domain.webhook.SendOutcome;
import com.runwayrelay.domain.webhook.WebhookDispatch;
import com.runwayrelay.domain.webhook.WebhookEventType;
import com.runwayrelay.domain.webhook.WebhookMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The poller's reads and the notifier's deliveries together, on a manual clock: which started and
 * progress events a task's course produces, in what order, with which sequence numbers and ids.
 */
class CourseEventsFlowTest {
    private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");
    private static final String APP = "app1";
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(4);
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final ScriptedRunwayGateway runway = new ScriptedRunwayGateway();
    private final List<WebhookMessage> sent = new ArrayList<>();
    private final Deque<SendOutcome> outcomes = new ArrayDeque<>();
    private boolean crashNextSend;
    private final WebhookDispatch dispatch = new WebhookDispatch(tasks, apps,
            (task, event) -> (event.type().wireName() + "#" + event.sequence() + "@" + task.runway().progress())
                    .getBytes(StandardCharsets.UTF_8),
            (target, message) -> {
                sent.add(message);
                if (crashNextSend) {
                    crashNextSend = false;
                    throw new IllegalStateException("process stopped");
                }
                return outcomes.isEmpty() ? new SendOutcome.Delivered(200) : outcomes.poll();
            },
            WebhookDispatch.Settings.standard(), clock, clock::advance, new SplittableRandom(3));

    private TaskAdvancer advancer(Duration progressInterval) {
        PollPolicy policy = PollPolicy.builder().progressEventInterval(progressInterval).build();
        return new TaskAdvancer(tasks, runway, new InMemoryUsageLedger(), policy, new Schedule(policy, () -> 0.5), clock,
                PollLog.silent(), new RunCounters(), "run-1");
    }

    private Task running(Set<WebhookEventType> events) {
        apps.create(App.builder(APP, "demo", T0.minusSeconds(86_400)).dailyCreditBudget(1000).maxActiveTasks(10)
                .webhookSecrets(List.of(new App.WebhookSecret(SECRET, T0.minusSeconds(3600), null))).build(), "hash");
        Task task = Task.accepted("t1", APP, "text_to_image", "gen4_image", "{}", 5, T0)
                .state(TaskState.SUBMITTED).runwayTaskId("rw1").runwayStatus(RunwayStatus.PENDING)
                .attempts(List.of(new Attempt(1, "rw1", T0, AttemptOutcome.CREATED, null, null)))
                .callbackUrl("https://hooks.example.com/x").webhookEvents(events).build();
        tasks.insert(task);
        return task;
    }

    /** One poller step after {@code step} on the manual clock, then the notifier's call its stream record brings. */
    private WebhookDispatch.Result read(Duration step, TaskAdvancer advancer, String status, Double progress) {
        clock.advance(step);
        runway.answer("rw1", new ReadOutcome.Found(new RunwayTask("rw1", RunwayStatus.fromWire(status), progress,
                List.of(), null, status.equals("FAILED") ? "The model refused the prompt" : null,
                status.equals("FAILED") ? "SAFETY.INPUT.TEXT" : null)));
        advancer.advance(new AtomicReference<>(tasks.find("t1").orElseThrow()), null);
        return dispatch.deliver("t1");
    }

    /** Each sent webhook as {@code type#sequence@progress webhook-id}. */
    private List<String> sentEvents() {
        return sent.stream().map(m -> new String(m.body(), StandardCharsets.UTF_8) + " " + m.messageId()).toList();
    }

    @Test
    void sendsStartedOnce_thenAtMostOneProgressPerInterval_inOrderWithIncreasingSequences_thenTheEnd() {
        running(Set.of(WebhookEventType.TASK_STARTED, WebhookEventType.TASK_PROGRESS, WebhookEventType.TASK_FAILED));
        TaskAdvancer advancer = advancer(Duration.ofSeconds(30));

        read(Duration.ofSeconds(5), advancer, "RUNNING", 0.1);     // +5 s: the first RUNNING
        for (int i = 2; i <= 13; i++) {                              // +10..+65 s: progress i/20 every 5 s
            read(Duration.ofSeconds(5), advancer, "RUNNING", i / 20.0);
        }
        read(Duration.ofSeconds(5), advancer, "FAILED", null);      // +70 s: the end

        assertEquals(List.of(
                "task.started#1@0.1 msg_t1_1",
                "task.progress#2@0.15 msg_t1_2",    // +15 s: the first change after started (+10 s repeated 0.1)
                "task.progress#3@0.45 msg_t1_3",    // +45 s: 30 s after the previous one, not sooner
                "task.failed#4@null msg_t1_4"), sentEvents());
        assertNull(tasks.find("t1").orElseThrow().dueAt(), "everything delivered: out of the due index");
    }

    @Test
    void sendsEveryChange_whenTheIntervalIsZero_andNothingButTheEnd_whenTheTaskChoseNoCourseEvents() {
        running(null);
        TaskAdvancer advancer = advancer(Duration.ZERO);

        read(Duration.ofSeconds(5), advancer, "RUNNING", 0.2);
        read(Duration.ofSeconds(5), advancer, "RUNNING", 0.4);
        read(Duration.ofSeconds(5), advancer, "FAILED", null);

        assertEquals(List.of("task.failed#1@null msg_t1_1"), sentEvents(), "the default is the end events, as before");
    }

    @Test
    void announcesEachChange_whenTheIntervalIsZero() {
        running(Set.of(WebhookEventType.TASK_PROGRESS));
        TaskAdvancer advancer = advancer(Duration.ZERO);

        read(Duration.ofSeconds(5), advancer, "RUNNING", 0.2);
        read(Duration.ofSeconds(5), advancer, "RUNNING", 0.2);
        read(Duration.ofSeconds(5), advancer, "RUNNING", 0.4);
        read(Duration.ofSeconds(5), advancer, "FAILED", null);

        assertEquals(List.of("task.progress#1@0.2 msg_t1_1", "task.progress#2@0.4 msg_t1_2"), sentEvents(),
                "an unchanged progress is not announced; task.failed was not chosen");
    }

    @Test
    void makesNoNewEventWhileOneIsPending_andSendsTheEndOnlyAfterIt_withTheSameIdOnRetry() {
        running(Set.of(WebhookEventType.TASK_STARTED, WebhookEventType.TASK_PROGRESS, WebhookEventType.TASK_FAILED));
        TaskAdvancer advancer = advancer(Duration.ZERO);
        // The first two tries of task.started fail; the third is minutes later.
        outcomes.add(new SendOutcome.Retryable(503, "HTTP 503", null));
        outcomes.add(new SendOutcome.Retryable(503, "HTTP 503", null));

        assertEquals(WebhookDispatch.Result.RETRY_SCHEDULED, read(Duration.ofSeconds(5), advancer, "RUNNING", 0.1));
        // Changed, but started is still pending: no progress event; started is retried (5 s: in place).
        assertEquals(WebhookDispatch.Result.RETRY_SCHEDULED, read(Duration.ofSeconds(5), advancer, "RUNNING", 0.3));
        Instant retryAt = tasks.find("t1").orElseThrow().webhook().nextAt();
        assertEquals(WebhookDispatch.Result.NOT_DUE, read(Duration.ofSeconds(5), advancer, "FAILED", null));

        Task ended = tasks.find("t1").orElseThrow();
        assertEquals(TaskState.FAILED, ended.state());
        assertEquals("task.started", ended.webhook().eventType(), "the end waits behind the pending started event");
        assertEquals(retryAt, ended.dueAt(), "in the due index for the retry, so the poller wakes the notifier");

        clock.set(retryAt);
        assertEquals(WebhookDispatch.Result.DELIVERED, dispatch.deliver("t1"));

        assertEquals(List.of("task.started#1@0.1 msg_t1_1", "task.started#1@0.3 msg_t1_1", "task.started#1@null msg_t1_1",
                "task.failed#2@null msg_t1_2"), sentEvents());
        assertEquals("task.failed", tasks.find("t1").orElseThrow().webhook().eventType());
        assertNull(tasks.find("t1").orElseThrow().dueAt());
    }

    @Test
    void keepsThePollersScheduleAndResendsTheSameId_whenTheNotifierStoppedMidSend() {
        running(Set.of(WebhookEventType.TASK_STARTED));
        TaskAdvancer advancer = advancer(Duration.ZERO);
        crashNextSend = true;

        assertThrowsCrash(() -> read(Duration.ofSeconds(5), advancer, "RUNNING", 0.1));
        Task cut = tasks.find("t1").orElseThrow();
        Instant pollDue = cut.dueAt();

        assertEquals(DeliveryStatus.PENDING, cut.webhook().status(), "claimed, outcome never recorded");
        assertTrue(cut.webhook().nextAt().isAfter(pollDue), "the claim lease ends after the next read is due");
        assertEquals(pollDue, cut.dueAt(), "the claim left the poller's schedule alone");
        assertEquals(WebhookDispatch.Result.NOT_DUE, dispatch.deliver("t1"), "a replay within the lease sends nothing");

        clock.set(cut.webhook().nextAt());
        assertEquals(WebhookDispatch.Result.DELIVERED, dispatch.deliver("t1"));
        assertEquals(List.of("task.started#1@0.1 msg_t1_1", "task.started#1@0.1 msg_t1_1"), sentEvents(),
                "at least once, with one webhook-id");
        assertEquals(pollDue, tasks.find("t1").orElseThrow().dueAt());
    }

    private static void assertThrowsCrash(Runnable step) {
        try {
            step.run();
        } catch (IllegalStateException e) {
            assertEquals("process stopped", e.getMessage());
            return;
        }
        throw new AssertionError("the send was expected to stop the process");
    }
}
