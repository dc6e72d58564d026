package com.runwayrelay.domain.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.WebhookDelivery.DeliveryAttempt;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.InterceptingTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.webhook.WebhookDispatch.Result;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookDispatchTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:30:00Z");
    private static final String APP = "app_01HZX3K8Q2";
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OLD_SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[]{1, 2, 3, 4, 5, 6, 7, 8,
            9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24});
    private static final String CALLBACK = "https://hooks.example.com/runway-relay";

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(4);
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final ScriptedSender sender = new ScriptedSender();
    private final List<Duration> waits = new ArrayList<>();
    private WebhookDispatch dispatch = dispatch(tasks);

    private WebhookDispatch dispatch(TaskRepository repository) {
        return new WebhookDispatch(repository, apps, WebhookDispatchTest::payload, sender, WebhookDispatch.Settings.standard(),
                clock, d -> {
                    waits.add(d);
                    clock.advance(d);
                }, new SplittableRandom(7));
    }

    private static byte[] payload(Task task, WebhookEvent event) {
        return ("{\"type\":\"" + event.type().wireName() + "\",\"id\":\"" + task.id() + "\",\"sequence\":" + event.sequence()
                + ",\"timestamp\":\"" + event.timestamp() + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static App app(boolean webhookDisabled, List<App.WebhookSecret> secrets) {
        return App.builder(APP, "demo", T0.minusSeconds(86_400)).dailyCreditBudget(1000).maxActiveTasks(10)
                .webhookSecrets(secrets).webhookDisabled(webhookDisabled).build();
    }

    private void givenApp(List<App.WebhookSecret> secrets) {
        apps.create(app(false, secrets), "hash-" + APP);
    }

    private void givenApp() {
        givenApp(List.of(new App.WebhookSecret(SECRET, T0.minusSeconds(3600), null)));
    }

    private static Task.Builder ended(String id, TaskState state) {
        return Task.accepted(id, APP, "text_to_image", "gen4_image", "{}", 5, T0.minusSeconds(60))
                .state(state).version(5).dueAt(null).callbackUrl(CALLBACK);
    }

    private Task store(Task.Builder task) {
        Task built = task.build();
        tasks.insert(built);
        return built;
    }

    private Task stored(String id) {
        return tasks.find(id).orElseThrow();
    }

    @Test
    void deliversTheFirstEvent_whenATaskEndedWithoutAnyDeliveryYet() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED));

        assertEquals(Result.DELIVERED, dispatch.deliver("t1"));

        WebhookDelivery webhook = stored("t1").webhook();
        assertEquals(DeliveryStatus.DELIVERED, webhook.status());
        assertEquals("msg_t1_1", webhook.messageId());
        assertEquals("task.succeeded", webhook.eventType());
        assertEquals(1, webhook.sequence());
        assertEquals(List.of(new DeliveryAttempt(T0, 200, null)), webhook.attempts());
        assertNull(webhook.nextAt());
        assertNull(stored("t1").dueAt(), "a delivered webhook leaves the due index");
        Sent sent = sender.sent.getFirst();
        assertEquals(URI.create(CALLBACK), sent.target());
        assertEquals("msg_t1_1", sent.message().messageId());
        assertEquals(T0.getEpochSecond(), sent.message().timestampSeconds());
        assertEquals(WebhookSigner.signatureHeader("msg_t1_1", T0.getEpochSecond(), sent.message().body(), List.of(SECRET)),
                sent.message().signature());
        assertTrue(new String(sent.message().body(), StandardCharsets.UTF_8).contains("\"type\":\"task.succeeded\""));
    }

    @ParameterizedTest
    @CsvSource({"FAILED,task.failed", "CANCELLED,task.cancelled", "EXPIRED,task.cancelled", "ARCHIVED,task.succeeded"})
    void sendsTheEventTypeOfTheTerminalState(TaskState state, String type) {
        givenApp();
        store(ended("t1", state));

        dispatch.deliver("t1");

        assertEquals(type, stored("t1").webhook().eventType());
        assertTrue(new String(sender.sent.getFirst().message().body(), StandardCharsets.UTF_8).contains(type));
    }

    @Test
    void retriesWithTheSameMessageId_whenTheReceiverAnswered500ThenSucceeds() {
        givenApp();
        store(ended("t1", TaskState.FAILED));
        sender.queue(new SendOutcome.Retryable(500, "HTTP 500", null));

        assertEquals(Result.RETRY_SCHEDULED, dispatch.deliver("t1"));
        Task pending = stored("t1");
        assertEquals(DeliveryStatus.PENDING, pending.webhook().status());
        Duration delay = Duration.between(T0, pending.webhook().nextAt());
        assertTrue(delay.compareTo(Duration.ofSeconds(4)) >= 0 && delay.compareTo(Duration.ofSeconds(6)) <= 0, delay.toString());
        assertEquals(pending.webhook().nextAt(), pending.dueAt(), "the due index wakes the retry");

        // The stream record of that write arrives at once: the 5 s wait is done in place.
        assertEquals(Result.DELIVERED, dispatch.deliver("t1"));

        assertEquals(List.of(delay), waits);
        assertEquals(2, sender.sent.size());
        assertEquals(sender.sent.get(0).message().messageId(), sender.sent.get(1).message().messageId());
        assertTrue(sender.sent.get(1).message().timestampSeconds() > sender.sent.get(0).message().timestampSeconds());
        WebhookDelivery webhook = stored("t1").webhook();
        assertEquals(DeliveryStatus.DELIVERED, webhook.status());
        assertEquals(List.of(500, 200), webhook.attempts().stream().map(DeliveryAttempt::httpStatus).toList());
        assertEquals("HTTP 500", webhook.attempts().get(0).error());
        assertEquals(1, webhook.attempts().stream().filter(a -> a.httpStatus() / 100 == 2).count());
    }

    @Test
    void leavesALaterRetryToThePoller_andSendsItOnceItIsDue() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED));
        sender.queue(new SendOutcome.Retryable(503, "HTTP 503", null), new SendOutcome.Retryable(0, "timed out after 15 s", null));
        dispatch.deliver("t1");
        dispatch.deliver("t1");
        Instant nextAt = stored("t1").webhook().nextAt();
        assertTrue(Duration.between(clock.instant(), nextAt).compareTo(Duration.ofMinutes(4)) >= 0);

        assertEquals(Result.NOT_DUE, dispatch.deliver("t1"));
        assertEquals(2, sender.sent.size());

        clock.set(nextAt);
        assertEquals(Result.DELIVERED, dispatch.deliver("t1"));
        assertEquals(List.of(503, 0, 200), stored("t1").webhook().attempts().stream().map(DeliveryAttempt::httpStatus).toList());
        assertEquals("timed out after 15 s", stored("t1").webhook().attempts().get(1).error());
    }

    @Test
    void givesUp_afterEightFailedAttempts() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED));
        for (int i = 0; i < 8; i++) {
            sender.queue(new SendOutcome.Retryable(502, "HTTP 502", null));
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Task t = stored("t1");
            if (t.webhook() != null && t.webhook().nextAt() != null) {
                clock.set(t.webhook().nextAt());
            }
            results.add(dispatch.deliver("t1"));
        }

        assertEquals(Result.FAILED, results.get(7));
        assertTrue(results.subList(0, 7).stream().allMatch(r -> r == Result.RETRY_SCHEDULED), results.toString());
        Task failed = stored("t1");
        assertEquals(DeliveryStatus.FAILED, failed.webhook().status());
        assertEquals(8, failed.webhook().attempts().size());
        assertNull(failed.dueAt());
        assertEquals(Result.NOTHING_TO_SEND, dispatch.deliver("t1"));
        assertEquals(8, sender.sent.size());
    }

    @Test
    void honoursRetryAfter_whenItIsLongerThanTheScheduledDelay() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED));
        sender.queue(new SendOutcome.Retryable(429, "HTTP 429", Duration.ofMinutes(10)));

        dispatch.deliver("t1");

        assertEquals(T0.plus(Duration.ofMinutes(10)), stored("t1").webhook().nextAt());
    }

    @Test
    void disablesTheAppsEndpoint_whenTheReceiverAnswered410_andSkipsItsLaterDeliveries() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED));
        store(ended("t2", TaskState.FAILED));
        sender.queue(new SendOutcome.Gone());

        assertEquals(Result.DISABLED, dispatch.deliver("t1"));

        Task gone = stored("t1");
        assertEquals(DeliveryStatus.DISABLED, gone.webhook().status());
        assertEquals(410, gone.webhook().attempts().getFirst().httpStatus());
        assertNull(gone.dueAt());
        App app = apps.find(APP).orElseThrow();
        assertTrue(app.webhookDisabled());
        assertEquals(2, app.version());

        assertEquals(Result.DISABLED, dispatch.deliver("t2"));
        assertEquals(1, sender.sent.size(), "nothing is sent to a disabled endpoint");
        WebhookDelivery skipped = stored("t2").webhook();
        assertEquals(DeliveryStatus.DISABLED, skipped.status());
        assertEquals(0, skipped.attempts().getFirst().httpStatus());
        assertTrue(skipped.attempts().getFirst().error().startsWith("not sent:"), skipped.attempts().toString());
    }

    @Test
    void failsAtOnce_whenTheSenderRefusesTheTarget() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED));
        sender.queue(new SendOutcome.Refused("callback host resolves to a private address"));

        assertEquals(Result.FAILED, dispatch.deliver("t1"));

        WebhookDelivery webhook = stored("t1").webhook();
        assertEquals(DeliveryStatus.FAILED, webhook.status());
        assertEquals(List.of(new DeliveryAttempt(T0, 0, "callback host resolves to a private address")), webhook.attempts());
        assertNull(stored("t1").dueAt());
    }

    @Test
    void neverSendsTwiceAtOnce_whenTheSameTaskIsDeliveredWhileAnAttemptIsInFlight() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED));
        List<Result> inner = new ArrayList<>();
        sender.during(message -> inner.add(dispatch.deliver("t1")));

        assertEquals(Result.DELIVERED, dispatch.deliver("t1"));

        assertEquals(List.of(Result.NOT_DUE), inner);
        assertEquals(1, sender.sent.size());
        assertTrue(waits.isEmpty(), "a live claim is not waited for");
    }

    @Test
    void claimPutsTheTaskInTheDueIndex_soARunDyingMidSendIsRetriedWithTheSameId() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED));
        sender.during(message -> {
            throw new IllegalStateException("the Lambda died");
        });

        assertThrows(IllegalStateException.class, () -> dispatch.deliver("t1"));

        Task claimed = stored("t1");
        assertEquals(DeliveryStatus.PENDING, claimed.webhook().status());
        assertEquals(T0.plus(Duration.ofMinutes(2)), claimed.dueAt());
        assertEquals(claimed.dueAt(), claimed.webhook().nextAt());
        sender.during(message -> { });
        clock.set(claimed.dueAt());
        assertEquals(Result.DELIVERED, dispatch.deliver("t1"));
        assertEquals(sender.sent.get(0).message().messageId(), sender.sent.get(1).message().messageId());
    }

    @Test
    void replayedRecordsSendNothing_onceDelivered() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED));
        dispatch.deliver("t1");

        assertEquals(Result.NOTHING_TO_SEND, dispatch.deliver("t1"));
        assertEquals(Result.NOTHING_TO_SEND, dispatch.deliver("t1"));
        assertEquals(1, sender.sent.size());
    }

    @Test
    void completesAPendingDeliveryTheArchiverStarted_withoutIdOrSequence() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED).webhook(new WebhookDelivery(DeliveryStatus.PENDING, null, null, 0, List.of(), T0)).dueAt(T0));

        assertEquals(Result.DELIVERED, dispatch.deliver("t1"));

        WebhookDelivery webhook = stored("t1").webhook();
        assertEquals("msg_t1_1", webhook.messageId());
        assertEquals(1, webhook.sequence());
        assertEquals("task.succeeded", webhook.eventType());
    }

    @Test
    void startsANewEventWithTheNextSequence_whenTheTaskEndedAnew() {
        givenApp();
        WebhookDelivery delivered = new WebhookDelivery(DeliveryStatus.DELIVERED, "msg_t1_1", "task.succeeded", 1,
                List.of(new DeliveryAttempt(T0.minusSeconds(30), 200, null)), null);
        store(ended("t1", TaskState.CANCELLED).webhook(delivered));

        assertEquals(Result.DELIVERED, dispatch.deliver("t1"));

        WebhookDelivery webhook = stored("t1").webhook();
        assertEquals("msg_t1_2", webhook.messageId());
        assertEquals(2, webhook.sequence());
        assertEquals("task.cancelled", webhook.eventType());
        assertEquals(1, webhook.attempts().size());
    }

    @Test
    void sendsNothing_forTasksThatAreNotTerminalHaveNoCallbackOrDoNotExist() {
        givenApp();
        store(ended("running", TaskState.SUBMITTED));
        store(ended("silent", TaskState.ARCHIVED).callbackUrl(null));

        assertEquals(Result.NOTHING_TO_SEND, dispatch.deliver("running"));
        assertEquals(Result.NOTHING_TO_SEND, dispatch.deliver("silent"));
        assertEquals(Result.NOT_FOUND, dispatch.deliver("missing"));
        assertTrue(sender.sent.isEmpty());
        assertEquals(5, stored("running").version(), "nothing written");
    }

    @Test
    void sendsOnlyTheChosenEvents_whenTheRequestListedWebhookEvents() {
        givenApp();
        store(ended("failed", TaskState.FAILED).webhookEvents(Set.of(WebhookEventType.TASK_SUCCEEDED)));
        store(ended("expired", TaskState.EXPIRED).webhookEvents(Set.of()));
        store(ended("chosen", TaskState.CANCELLED)
                .webhookEvents(Set.of(WebhookEventType.TASK_CANCELLED, WebhookEventType.TASK_FAILED)));

        assertEquals(Result.NOTHING_TO_SEND, dispatch.deliver("failed"));
        assertEquals(Result.NOTHING_TO_SEND, dispatch.deliver("expired"));
        assertEquals(Result.DELIVERED, dispatch.deliver("chosen"));

        assertEquals(1, sender.sent.size());
        assertTrue(new String(sender.sent.getFirst().message().body(), StandardCharsets.UTF_8)
                .contains("\"type\":\"task.cancelled\""));
        assertNull(stored("failed").webhook());
        assertEquals(5, stored("failed").version(), "nothing written for a left-out event");
        assertEquals(5, stored("expired").version());
    }

    @Test
    void signsWithBothSecrets_duringARotation_andOnlyTheNewOneAfterIt() {
        givenApp(List.of(new App.WebhookSecret(SECRET, T0.minusSeconds(60), null),
                new App.WebhookSecret(OLD_SECRET, T0.minusSeconds(86_400), T0.plusSeconds(3600))));
        store(ended("t1", TaskState.ARCHIVED));
        store(ended("t2", TaskState.ARCHIVED));

        dispatch.deliver("t1");
        clock.set(T0.plusSeconds(3601));
        dispatch.deliver("t2");

        WebhookMessage during = sender.sent.get(0).message();
        assertEquals(WebhookSigner.signatureHeader(during.messageId(), during.timestampSeconds(), during.body(),
                List.of(SECRET, OLD_SECRET)), during.signature());
        assertEquals(2, during.signature().split(" ").length);
        WebhookMessage after = sender.sent.get(1).message();
        assertEquals(1, after.signature().split(" ").length);
        assertEquals(WebhookSigner.signatureHeader(after.messageId(), after.timestampSeconds(), after.body(),
                List.of(SECRET)), after.signature());
    }

    @Test
    void failsWithoutSending_whenTheAppHasNoSigningSecret() {
        givenApp(List.of());
        store(ended("t1", TaskState.ARCHIVED));

        assertEquals(Result.FAILED, dispatch.deliver("t1"));

        assertTrue(sender.sent.isEmpty());
        assertEquals("not sent: the app has no webhook signing secret",
                stored("t1").webhook().attempts().getFirst().error());
    }

    @Test
    void failsWithoutSending_whenTheAppNoLongerExists() {
        store(ended("t1", TaskState.ARCHIVED));

        assertEquals(Result.FAILED, dispatch.deliver("t1"));

        assertTrue(sender.sent.isEmpty());
        assertTrue(stored("t1").webhook().attempts().getFirst().error().contains("no longer exists"));
    }

    @Test
    void failsWithoutSending_whenTheCallbackUrlIsNotAUri() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED).callbackUrl("https://hooks example.com/x"));

        assertEquals(Result.FAILED, dispatch.deliver("t1"));

        assertTrue(sender.sent.isEmpty());
        assertEquals("not sent: the callback URL is not a valid URI", stored("t1").webhook().attempts().getFirst().error());
    }

    @Test
    void rereadsAndStillDeliversOnce_whenAnotherWriterWinsTheClaim() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED));
        InterceptingTaskRepository racing = new InterceptingTaskRepository(tasks);
        dispatch = dispatch(racing);
        racing.onNextReplace((read, write) -> {
            Task current = stored("t1");
            tasks.replace(current, current.next(clock.instant()).dueAt(clock.instant().plusSeconds(900)).build());
        });

        assertEquals(Result.DELIVERED, dispatch.deliver("t1"));

        assertEquals(1, sender.sent.size());
        assertEquals(DeliveryStatus.DELIVERED, stored("t1").webhook().status());
    }

    @Test
    void recordsTheAttemptOnTheNewerVersion_whenThePollerWokeTheTaskDuringTheSend() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED));
        sender.during(message -> {
            Task current = stored("t1");
            tasks.replace(current, current.next(clock.instant()).dueAt(clock.instant().plusSeconds(900)).build());
        });

        assertEquals(Result.DELIVERED, dispatch.deliver("t1"));

        Task done = stored("t1");
        assertEquals(DeliveryStatus.DELIVERED, done.webhook().status());
        assertNull(done.dueAt());
        assertEquals(8, done.version(), "ended (5), claim (6), poller (7), result (8)");
    }

    @Test
    void stopsWaitingAndLeavesTheRetryInTheDueIndex_whenInterrupted() {
        givenApp();
        store(ended("t1", TaskState.ARCHIVED));
        sender.queue(new SendOutcome.Retryable(500, "HTTP 500", null));
        dispatch.deliver("t1");
        WebhookDispatch interrupted = new WebhookDispatch(tasks, apps, WebhookDispatchTest::payload, sender,
                WebhookDispatch.Settings.standard(), clock, d -> {
                    throw new InterruptedException();
                }, new SplittableRandom(1));

        assertEquals(Result.NOT_DUE, interrupted.deliver("t1"));

        assertTrue(Thread.interrupted(), "the interrupt is kept");
        assertEquals(1, sender.sent.size());
        assertEquals(DeliveryStatus.PENDING, stored("t1").webhook().status());
    }

    @Test
    void settingsRejectAClaimLeaseNoLongerThanTheInPlaceWait() {
        assertThrows(IllegalArgumentException.class, () -> new WebhookDispatch.Settings(RetrySchedule.standard(),
                Duration.ofSeconds(10), Duration.ofSeconds(10)));
        assertThrows(IllegalArgumentException.class, () -> new WebhookDispatch.Settings(RetrySchedule.standard(),
                Duration.ofSeconds(10), Duration.ofSeconds(-1)));
    }

    @Test
    void deliveryStatusParsesStoredNames_andKnowsWhichAreFinal() {
        assertEquals(DeliveryStatus.PENDING, DeliveryStatus.parse("PENDING"));
        assertNull(DeliveryStatus.parse("SENDING"));
        assertNull(DeliveryStatus.parse(null));
        assertFalse(DeliveryStatus.PENDING.isFinal());
        assertTrue(DeliveryStatus.DISABLED.isFinal());
    }

    record Sent(URI target, WebhookMessage message) {
    }

    static final class ScriptedSender implements WebhookSender {
        final List<Sent> sent = new ArrayList<>();
        private final Deque<SendOutcome> outcomes = new ArrayDeque<>();
        private Consumer<WebhookMessage> during = m -> { };

        void queue(SendOutcome... next) {
            outcomes.addAll(List.of(next));
        }

        void during(Consumer<WebhookMessage> action) {
            during = action;
        }

        @Override
        public SendOutcome send(URI target, WebhookMessage message) {
            sent.add(new Sent(target, message));
            during.accept(message);
            return outcomes.isEmpty() ? new SendOutcome.Delivered(200) : outcomes.poll();
        }
    }
}
