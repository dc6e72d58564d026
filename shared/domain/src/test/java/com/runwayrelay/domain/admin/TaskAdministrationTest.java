package com.runwayrelay.domain.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskPage;
import com.runwayrelay.domain.TaskQuery;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.TaskSummary;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.ArchiveAccess;
import com.runwayrelay.domain.gateway.TaskCancellation;
import com.runwayrelay.domain.gateway.TaskVisibility;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.memory.ScriptedRunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import com.runwayrelay.domain.webhook.SendOutcome;
import com.runwayrelay.domain.webhook.WebhookDispatch;
import com.runwayrelay.domain.webhook.WebhookMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TaskAdministrationTest {
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
    private static final String CALLBACK = "https://hooks.example.test/relay";

    private final ManualClock clock = new ManualClock(T0.plusSeconds(3600));
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(4);
    private final ScriptedRunwayGateway runway = new ScriptedRunwayGateway();
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final List<String> deletedKeys = new ArrayList<>();
    private final ArchiveAccess archive = new ArchiveAccess() {
        @Override
        public Link link(String key, Duration lifetime) {
            return new Link(URI.create("https://bucket.example.test/" + key + "?sig"),
                    clock.instant().plus(lifetime == null ? Duration.ofSeconds(900) : lifetime));
        }

        @Override
        public void delete(List<String> keys) {
            deletedKeys.addAll(keys);
        }
    };
    private final TaskAdministration admin = administration(runway);

    private TaskAdministration administration(RunwayGateway gateway) {
        return new TaskAdministration(tasks, tasks, new TaskCancellation(tasks, gateway, archive, ledger, clock), archive,
                clock);
    }

    private Task stored(String id, String app, String model, TaskState state, Instant createdAt) {
        Task t = Task.accepted(id, app, "text_to_image", model, "{}", 8, createdAt).state(state).build();
        tasks.insert(t);
        return t;
    }

    private List<String> ids(TaskPage page) {
        return page.tasks().stream().map(TaskSummary::id).toList();
    }

    private TaskPage listed(TaskQuery query) {
        return assertInstanceOf(TaskAdministration.Listing.Listed.class, admin.list(query)).page();
    }

    @Test
    void listsEveryAppsTasksNewestFirst_pageByPage_whenNoFilterIsGiven() {
        for (int i = 0; i < 5; i++) {
            stored("t" + i, i % 2 == 0 ? "appA" : "appB", "gen4_image", TaskState.ARCHIVED, T0.plusSeconds(i));
        }
        TaskQuery query = new TaskQuery(null, null, null, null, null, null, 2, null);

        TaskPage first = listed(query);
        TaskPage second = listed(query.withCursor(first.nextCursor()));
        TaskPage last = listed(query.withCursor(second.nextCursor()));

        assertEquals(List.of("t4", "t3"), ids(first));
        assertEquals(List.of("t2", "t1"), ids(second));
        assertEquals(List.of("t0"), ids(last));
        assertNull(last.nextCursor());
        assertNull(first.tasks().getFirst().updatedAt(), "as the list indexes hold it");
    }

    @Test
    void combinesEveryFilter_whenAppStateEndpointModelAndRangeAreGiven() {
        stored("old", "appA", "gen4_image", TaskState.ARCHIVED, T0.minusSeconds(10));
        stored("match", "appA", "gen4_image", TaskState.ARCHIVED, T0);
        stored("otherApp", "appB", "gen4_image", TaskState.ARCHIVED, T0.plusSeconds(1));
        stored("otherState", "appA", "gen4_image", TaskState.FAILED, T0.plusSeconds(2));
        stored("otherModel", "appA", "gen4_image_turbo", TaskState.ARCHIVED, T0.plusSeconds(3));
        stored("atUpperBound", "appA", "gen4_image", TaskState.ARCHIVED, T0.plusSeconds(10));

        TaskPage page = listed(new TaskQuery("appA", TaskState.ARCHIVED, "text_to_image", "gen4_image",
                T0, T0.plusSeconds(10), 50, null));

        assertEquals(List.of("match"), ids(page));
        assertNull(page.nextCursor());
    }

    @Test
    void answersInvalidCursor_whenTheCursorIsNotOneItIssued() {
        var outcome = admin.list(TaskQuery.all().withCursor("not-a-cursor!"));
        assertInstanceOf(TaskAdministration.Listing.InvalidCursor.class, outcome);
    }

    @Test
    void answersInvalidCursor_whenTheCursorComesFromOtherFilters() {
        for (int i = 0; i < 3; i++) {
            stored("t" + i, "appA", "gen4_image", TaskState.ARCHIVED, T0.plusSeconds(i));
        }
        TaskPage first = listed(new TaskQuery("appA", null, null, null, null, null, 1, null));

        var outcome = admin.list(new TaskQuery("appB", null, null, null, null, null, 1, first.nextCursor()));

        assertTrue(assertInstanceOf(TaskAdministration.Listing.InvalidCursor.class, outcome).message()
                .contains("other filters"));
    }

    @Test
    void showsTheTaskWithAFreshLinkPerArchivedOutput() {
        Task t = Task.accepted("t1", "appA", "text_to_image", "gen4_image", "{}", 8, T0)
                .state(TaskState.ARCHIVED)
                .archive(List.of(new ArchiveRecord("outputs/appA/t1/0.png", 10, "ab", "image/png")))
                .attempts(List.of(new Attempt(1, "rw1", T0, AttemptOutcome.SUCCEEDED, null, null)))
                .build();
        tasks.insert(t);

        var found = assertInstanceOf(TaskAdministration.Shown.Found.class, admin.show("t1")).details();

        assertEquals(t, found.task());
        assertEquals(1, found.outputs().size());
        assertEquals(URI.create("https://bucket.example.test/outputs/appA/t1/0.png?sig"), found.outputs().get(0).link().url());
        assertInstanceOf(TaskAdministration.Shown.NotFound.class, admin.show("missing"));
    }

    @Test
    void signsTheLinksWithTheTasksOwnLifetime_whenItAskedForOne() {
        Task t = Task.accepted("t1", "appA", "text_to_image", "gen4_image", "{}", 8, T0)
                .state(TaskState.ARCHIVED).linkTtl(Duration.ofSeconds(120))
                .archive(List.of(new ArchiveRecord("outputs/appA/t1/0.png", 10, "ab", "image/png")))
                .build();
        tasks.insert(t);

        var found = assertInstanceOf(TaskAdministration.Shown.Found.class, admin.show("t1")).details();

        assertEquals(clock.instant().plusSeconds(120), found.outputs().get(0).link().expiresAt());
    }

    @Test
    void cancelsAnUnfinishedTaskAtRunway_settlingAndKeepingItVisibleToTheApp() {
        Task t = Task.accepted("t1", "appA", "text_to_image", "gen4_image", "{}", 8, T0)
                .state(TaskState.SUBMITTED).runwayTaskId("rw1").build();
        tasks.insert(t);
        ledger.admit(new UsageLedger.Reservation("appA", "t1", "gen4_image", T0, 8, 100, 5));

        var ended = assertInstanceOf(TaskCancellation.Outcome.Ended.class, admin.cancel("t1"));

        Task stored = tasks.find("t1").orElseThrow();
        assertEquals(TaskState.CANCELLED, stored.state());
        assertEquals(TaskCancellation.CANCELLED_BY_OPERATOR, stored.stateReason());
        assertEquals(stored, ended.task());
        assertTrue(TaskVisibility.visibleTo(stored, "appA"));
        assertEquals(List.of("rw1"), runway.cancelled());
        assertEquals(0, ledger.usage("appA", T0.atZone(java.time.ZoneOffset.UTC).toLocalDate()).usedCredits());
        assertTrue(ledger.activeSlots("appA").isEmpty());
        assertEquals(TaskState.CANCELLED, stored.history().getLast().state());
    }

    @Test
    void refusesToCancelAnEndedTask_changingNothing() {
        Task t = stored("t1", "appA", "gen4_image", TaskState.ARCHIVED, T0);

        assertInstanceOf(TaskCancellation.Outcome.AlreadyEnded.class, admin.cancel("t1"));
        assertEquals(t, tasks.find("t1").orElseThrow());
        assertTrue(runway.cancelled().isEmpty());
        assertInstanceOf(TaskCancellation.Outcome.NotFound.class, admin.cancel("missing"));
    }

    @Test
    void changesNothing_whenRunwayCannotBeReachedToCancel() {
        Task t = Task.accepted("t1", "appA", "text_to_image", "gen4_image", "{}", 8, T0)
                .state(TaskState.SUBMITTED).runwayTaskId("rw1").build();
        tasks.insert(t);
        RunwayGateway down = new RunwayGateway() {
            @Override
            public CreateOutcome create(String endpoint, String requestJson) {
                throw new AssertionError("no create expected");
            }

            @Override
            public ReadOutcome get(String runwayTaskId) {
                throw new AssertionError("no read expected");
            }

            @Override
            public CancelOutcome cancel(String runwayTaskId) {
                return new CancelOutcome.Unavailable("connection refused", null);
            }
        };

        var outcome = administration(down).cancel("t1");

        assertEquals(Duration.ofSeconds(5),
                assertInstanceOf(TaskCancellation.Outcome.RunwayUnavailable.class, outcome).retryAfter());
        assertEquals(t, tasks.find("t1").orElseThrow());
    }

    private Task delivered(String id, String callback) {
        Task t = Task.accepted(id, "appA", "text_to_image", "gen4_image", "{}", 8, T0)
                .state(TaskState.ARCHIVED).dueAt(null).callbackUrl(callback)
                .webhook(callback == null ? null : new WebhookDelivery(DeliveryStatus.FAILED, "msg_" + id + "_1", "task.succeeded", 1,
                        List.of(new WebhookDelivery.DeliveryAttempt(T0, 500, null)), null))
                .build();
        tasks.insert(t);
        return t;
    }

    @Test
    void setsTheDeliveryPendingAgainWithTheSameWebhookId_whenRedelivering() {
        Task t = delivered("t1", CALLBACK);

        var scheduled = assertInstanceOf(TaskAdministration.Redelivery.Scheduled.class, admin.redeliver("t1"));

        WebhookDelivery w = tasks.find("t1").orElseThrow().webhook();
        assertEquals(DeliveryStatus.PENDING, w.status());
        assertEquals(t.webhook().messageId(), w.messageId());
        assertEquals(t.webhook().attempts(), w.attempts());
        assertEquals(clock.instant(), w.nextAt());
        assertEquals(clock.instant(), scheduled.task().dueAt());
    }

    @Test
    void sendsTheWebhookAgainWithTheSameId_whenTheNotifierRunsAfterARedelivery() {
        Task t = delivered("t1", CALLBACK);
        InMemoryAppRepository apps = new InMemoryAppRepository();
        apps.create(App.builder("appA", "demo", T0).dailyCreditBudget(1000).maxActiveTasks(10)
                .webhookSecrets(List.of(new App.WebhookSecret("whsec_" + Base64.getEncoder().encodeToString(new byte[32]), T0, null)))
                .build(), "hash");
        List<WebhookMessage> sent = new ArrayList<>();
        WebhookDispatch dispatch = new WebhookDispatch(tasks, apps, (task, event) -> "{}".getBytes(StandardCharsets.UTF_8),
                (target, message) -> {
                    sent.add(message);
                    return new SendOutcome.Delivered(204);
                }, WebhookDispatch.Settings.standard(), clock, d -> { }, new SplittableRandom(1));
        assertEquals(WebhookDispatch.Result.NOTHING_TO_SEND, dispatch.deliver("t1"));

        admin.redeliver("t1");

        assertEquals(WebhookDispatch.Result.DELIVERED, dispatch.deliver("t1"));
        assertEquals(List.of(t.webhook().messageId()), sent.stream().map(WebhookMessage::messageId).toList());
        assertEquals(DeliveryStatus.DELIVERED, tasks.find("t1").orElseThrow().webhook().status());
    }

    @Test
    void answersNoCallback_NotEnded_AlreadyPendingOrNotFound_changingNothing() {
        Task noCallback = delivered("none", null);
        Task running = stored("running", "appA", "gen4_image", TaskState.SUBMITTED, T0);
        delivered("t1", CALLBACK);
        admin.redeliver("t1");
        Task pending = tasks.find("t1").orElseThrow();

        assertInstanceOf(TaskAdministration.Redelivery.NoCallback.class, admin.redeliver("none"));
        assertInstanceOf(TaskAdministration.Redelivery.NotEnded.class, admin.redeliver("running"));
        assertInstanceOf(TaskAdministration.Redelivery.AlreadyPending.class, admin.redeliver("t1"));
        assertInstanceOf(TaskAdministration.Redelivery.NotFound.class, admin.redeliver("missing"));
        assertEquals(noCallback, tasks.find("none").orElseThrow());
        assertEquals(running, tasks.find("running").orElseThrow());
        assertEquals(pending, tasks.find("t1").orElseThrow());
    }

    @Test
    void answersNoCallback_whenTheRequestLeftTheEventOfItsEndOut() {
        Task t = Task.accepted("quiet", "appA", "text_to_image", "gen4_image", "{}", 8, T0)
                .state(TaskState.ARCHIVED).dueAt(null).callbackUrl(CALLBACK)
                .webhookEvents(java.util.Set.of(com.runwayrelay.domain.webhook.WebhookEventType.TASK_FAILED)).build();
        tasks.insert(t);

        assertInstanceOf(TaskAdministration.Redelivery.NoCallback.class, admin.redeliver("quiet"));
        assertEquals(t, tasks.find("quiet").orElseThrow());
    }

    @Test
    void redeliversTheDeliveredEvent_whenItWasTheOnlyEventTheRequestChose() {
        Task t = Task.accepted("stored", "appA", "text_to_image", "gen4_image", "{}", 8, T0)
                .state(TaskState.ARCHIVED).dueAt(null).callbackUrl(CALLBACK)
                .webhookEvents(java.util.Set.of(com.runwayrelay.domain.webhook.WebhookEventType.TASK_DELIVERED))
                .webhook(new WebhookDelivery(DeliveryStatus.DELIVERED, "msg_stored_1", "task.delivered", 1,
                        List.of(new WebhookDelivery.DeliveryAttempt(T0, 204, null)), null))
                .build();
        tasks.insert(t);

        assertInstanceOf(TaskAdministration.Redelivery.Scheduled.class, admin.redeliver("stored"));

        WebhookDelivery w = tasks.find("stored").orElseThrow().webhook();
        assertEquals("task.delivered", w.eventType());
        assertEquals("msg_stored_1", w.messageId());
        assertEquals(DeliveryStatus.PENDING, w.status());
    }
}
