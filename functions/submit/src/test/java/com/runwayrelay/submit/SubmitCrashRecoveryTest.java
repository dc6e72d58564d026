package com.runwayrelay.submit;

import static com.runwayrelay.submit.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AdmissionControl;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.Idempotency;
import com.runwayrelay.domain.gateway.UsageLedger.DailyUsage;
import com.runwayrelay.domain.gateway.memory.InMemoryIdempotencyStore;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.MediaPolicySettings;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.InterceptingTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway.CreateOutcome;
import com.runwayrelay.domain.runway.TaskCreation;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a retry with the same Idempotency-Key gets after the request that claimed the key was
 * killed at each step (a {@link Crash} thrown where the process would have died: no cleanup runs),
 * and the ambiguous-create policies.
 */
class SubmitCrashRecoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-21T06:30:00Z");
    private static final LocalDate DAY = LocalDate.parse("2026-11-21");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final String KEY = "retry-key-1";
    private static final String T2I = "{\"model\":\"gen4_image\",\"promptText\":\"A lighthouse\",\"ratio\":\"1920:1080\"}";
    private static final long ESTIMATE = Catalog.loadDefault().estimateCredits("text_to_image",
            readTree(T2I)).orElseThrow();

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final InMemoryIdempotencyStore keys = new InMemoryIdempotencyStore();
    private final InMemoryTaskRepository stored = new InMemoryTaskRepository(8);
    private final FakeRunway runway = new FakeRunway();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger appIds = new AtomicInteger();

    /** The process dies here: an Error, so no catch block of the submit path runs. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash(String where) {
            super("killed " + where);
        }
    }

    private String app(long budget, AmbiguousCreatePolicy policy) {
        String key = ApiKeys.mint();
        String id = "app_" + appIds.incrementAndGet();
        apps.create(App.builder(id, id, T0).dailyCreditBudget(budget).maxActiveTasks(10).ambiguousCreates(policy)
                .build(),
                ApiKeys.hash(key));
        return key;
    }

    private SubmitApi api(TaskRepository tasks, RunwayGateway gateway) {
        Catalog catalog = Catalog.loadDefault();
        RequestCheck check = new RequestCheck(catalog, UnknownModelPolicy.REJECT,
                new MediaUriPolicy(MediaPolicySettings.of(List.of()), Fixtures.testDns()),
                new CallbackUrlCheck(AddressGuard.strict(Fixtures.testDns())));
        Idempotency idempotency = new Idempotency(keys, clock, Duration.ofHours(24), LEASE, Duration.ZERO,
                Duration.ofMillis(5));
        SubmitTask submit = new SubmitTask(check, catalog, 100, idempotency, new AdmissionControl(ledger, tasks, clock),
                ledger, tasks, gateway, clock, () -> "task-" + ids.incrementAndGet(), SubmitApi::stored);
        return new SubmitApi(new AppAuthenticator(apps, clock, Duration.ZERO, 10), catalog.endpoints(), submit,
                new CreateUpload(filename -> null));
    }

    private APIGatewayV2HTTPResponse send(SubmitApi api, String appKey) {
        return api.apply(event("apigw-text-to-image", T2I, appKey, KEY));
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String idOf(APIGatewayV2HTTPResponse response) {
        assertEquals(200, response.getStatusCode(), response.getBody());
        return readTree(response.getBody()).get("id").asText();
    }

    private String onlyTaskId() {
        List<String> found = new java.util.ArrayList<>();
        for (int i = 1; i <= ids.get(); i++) {
            stored.find("task-" + i).ifPresent(t -> found.add(t.id()));
        }
        assertEquals(1, found.size(), "task records: " + found);
        return found.getFirst();
    }

    /** Tasks whose insert kills the process before it is written, once. */
    private TaskRepository crashingInsert() {
        return new InterceptingTaskRepository(stored).onNextInsert(task -> {
            throw new Crash("before the task was written");
        });
    }

    /** A Runway whose next create kills the process: before sending it, or after Runway made the task. */
    private RunwayGateway crashingCreate(boolean afterSending) {
        return new RunwayGateway() {
            @Override
            public CreateOutcome create(String endpoint, String requestJson) {
                if (afterSending) {
                    runway.create(endpoint, requestJson);
                }
                throw new Crash(afterSending ? "after the create reached Runway" : "before the create was sent");
            }

            @Override
            public ReadOutcome get(String runwayTaskId) {
                return runway.get(runwayTaskId);
            }

            @Override
            public CancelOutcome cancel(String runwayTaskId) {
                return runway.cancel(runwayTaskId);
            }
        };
    }

    @Test
    void retryTakesOverAfterTheLease_andCreatesOnce_whenTheCrashCameBeforeTheTaskWasWritten() {
        String appKey = app(1000, AmbiguousCreatePolicy.FAIL);
        String appId = apps.findByKeyHash(ApiKeys.hash(appKey)).orElseThrow().id();
        assertThrows(Crash.class, () -> send(api(crashingInsert(), runway), appKey));
        assertEquals(1, ledger.activeSlots(appId).size(), "the killed request was admitted");

        clock.advance(LEASE.minusSeconds(1));
        assertEquals(409, send(api(stored, runway), appKey).getStatusCode(), "before the lease ends");
        clock.advance(Duration.ofSeconds(1));
        String id = idOf(send(api(stored, runway), appKey));

        assertEquals("task-1", id, "the killed request's task id");
        assertEquals(1, runway.createdBodies.size());
        assertEquals(TaskState.SUBMITTED, stored.find(id).orElseThrow().state());
        assertEquals(T0, stored.find(id).orElseThrow().createdAt(), "recorded as of the first arrival");
        assertEquals(new DailyUsage(DAY, ESTIMATE, 1, java.util.Map.of("gen4_image", 1L), 0, 0, java.util.Map.of("gen4_image", ESTIMATE)), ledger.usage(appId, DAY),
                "admitted once although two requests admitted it");
        assertEquals(1, ledger.activeSlots(appId).size());
        assertEquals(200, send(api(stored, runway), appKey).getStatusCode());
        assertEquals("true", send(api(stored, runway), appKey).getHeaders().get("idempotent-replayed"));
    }

    @Test
    void takeoverNeverCreatesAgain_underFail_whenTheCreateWasInFlight() {
        String appKey = app(1000, AmbiguousCreatePolicy.FAIL);
        assertThrows(Crash.class, () -> send(api(stored, crashingCreate(true)), appKey));
        String id = onlyTaskId();
        assertTrue(TaskCreation.inFlight(stored.find(id).orElseThrow()));

        clock.advance(LEASE);
        assertEquals(id, idOf(send(api(stored, runway), appKey)));

        Task task = stored.find(id).orElseThrow();
        assertEquals(1, runway.createdBodies.size(), "never created again");
        assertEquals(TaskCreation.AMBIGUOUS, task.stateReason());
        assertEquals(AttemptOutcome.AMBIGUOUS, task.lastAttempt().outcome());
        assertEquals(ESTIMATE, task.runway().possibleOrphanCredits());
        DailyUsage usage = ledger.usage(task.appId(), DAY);
        assertEquals(1, usage.possibleOrphans());
        assertEquals(ESTIMATE, usage.usedCredits(), "the possible orphan stays counted");
        assertEquals(id, idOf(send(api(stored, runway), appKey)), "later retries replay");
        assertEquals(1, runway.createdBodies.size());
    }

    @Test
    void takeoverTreatsACrashBeforeSendingAsAmbiguous_sinceTheRecordCannotTellTheTwoApart() {
        String appKey = app(1000, AmbiguousCreatePolicy.FAIL);
        assertThrows(Crash.class, () -> send(api(stored, crashingCreate(false)), appKey));
        String id = onlyTaskId();

        clock.advance(LEASE);
        assertEquals(id, idOf(send(api(stored, runway), appKey)));

        assertEquals(0, runway.createdBodies.size());
        assertEquals(TaskCreation.AMBIGUOUS, stored.find(id).orElseThrow().stateReason());
    }

    @Test
    void takeoverCreatesOnceMore_underRetryOnce_whenTheCreateWasInFlight() {
        String appKey = app(1000, AmbiguousCreatePolicy.RETRY_ONCE);
        assertThrows(Crash.class, () -> send(api(stored, crashingCreate(true)), appKey));
        String id = onlyTaskId();

        clock.advance(LEASE);
        assertEquals(id, idOf(send(api(stored, runway), appKey)));

        Task task = stored.find(id).orElseThrow();
        assertEquals(2, runway.createdBodies.size());
        assertEquals(TaskState.SUBMITTED, task.state());
        assertEquals(List.of(AttemptOutcome.AMBIGUOUS, AttemptOutcome.CREATED),
                task.runway().attempts().stream().map(a -> a.outcome()).toList());
        assertEquals(2 * ESTIMATE, ledger.usage(task.appId(), DAY).usedCredits(), "the task and its possible orphan");
        send(api(stored, runway), appKey);
        assertEquals(2, runway.createdBodies.size());
    }

    @Test
    void takeoverOnlyAnswers_whenTheKilledRequestHadRecordedItsCreate() {
        String appKey = app(1000, AmbiguousCreatePolicy.RETRY_ONCE);
        TaskRepository killedBeforeAnswering = new InterceptingTaskRepository(stored)
                .aroundReplace((current, next, proceed) -> {
                    proceed.replace(current, next);
                    throw new Crash("after recording the create");
                });
        assertThrows(Crash.class, () -> send(api(killedBeforeAnswering, runway), appKey));

        clock.advance(LEASE);
        String id = idOf(send(api(stored, runway), appKey));

        assertEquals(TaskState.SUBMITTED, stored.find(id).orElseThrow().state());
        assertEquals(1, runway.createdBodies.size());
    }

    @Test
    void retryOnceCreatesAgainInTheRequest_recordingBothAttempts_andReservingThePossibleOrphan() {
        String appKey = app(1000, AmbiguousCreatePolicy.RETRY_ONCE);
        runway.queue(new CreateOutcome.Ambiguous("HTTP 502 after sending"));

        String id = idOf(send(api(stored, runway), appKey));

        Task task = stored.find(id).orElseThrow();
        assertEquals(2, runway.createdBodies.size());
        assertEquals(TaskState.SUBMITTED, task.state());
        assertEquals(List.of(AttemptOutcome.AMBIGUOUS, AttemptOutcome.CREATED),
                task.runway().attempts().stream().map(a -> a.outcome()).toList());
        assertEquals(ESTIMATE, task.runway().possibleOrphanCredits());
        DailyUsage usage = ledger.usage(task.appId(), DAY);
        assertEquals(2 * ESTIMATE, usage.usedCredits());
        assertEquals(ESTIMATE, usage.possibleOrphanCredits());
    }

    @Test
    void retryOnceLeavesTheSecondCreateToThePoller_whenTheFirstTookTooLong() {
        String appKey = app(1000, AmbiguousCreatePolicy.RETRY_ONCE);
        RunwayGateway slow = new DelegatingRunway(runway) {
            @Override
            public CreateOutcome create(String endpoint, String requestJson) {
                super.create(endpoint, requestJson);
                clock.advance(Duration.ofSeconds(11));
                return new CreateOutcome.Ambiguous("read timed out");
            }
        };

        String id = idOf(send(api(stored, slow), appKey));

        Task task = stored.find(id).orElseThrow();
        assertEquals(1, runway.createdBodies.size());
        assertTrue(TaskCreation.retryingAmbiguous(task));
        assertTrue(TaskCreation.mayCreate(task));
        assertTrue(!task.dueAt().isAfter(clock.instant()), "due for the poller at once");
    }

    @Test
    void retryOnceFails_whenTheBudgetCannotHoldThePossibleOrphan_andTheOrphanStillCountsAgainstTheBudget() {
        String appKey = app(2 * ESTIMATE - 1, AmbiguousCreatePolicy.RETRY_ONCE);
        runway.queue(new CreateOutcome.Ambiguous("connection reset"));

        String id = idOf(send(api(stored, runway), appKey));

        Task task = stored.find(id).orElseThrow();
        assertEquals(1, runway.createdBodies.size());
        assertEquals(TaskCreation.AMBIGUOUS, task.stateReason());
        assertNull(task.dueAt());
        assertEquals(ESTIMATE, ledger.usage(task.appId(), DAY).usedCredits());
        APIGatewayV2HTTPResponse next = api(stored, runway).apply(event("apigw-text-to-image", T2I, appKey, null));
        assertEquals(402, next.getStatusCode(), "the possible orphan's credits are spent as far as the budget goes");
    }

    @Test
    void reservedOrphanCountsAgainstTheDailyBudget() {
        String appKey = app(2 * ESTIMATE, AmbiguousCreatePolicy.RETRY_ONCE);
        runway.queue(new CreateOutcome.Ambiguous("HTTP 500"));
        idOf(send(api(stored, runway), appKey));

        APIGatewayV2HTTPResponse next = api(stored, runway).apply(event("apigw-text-to-image", T2I, appKey, null));

        assertEquals(402, next.getStatusCode(), next.getBody());
        assertEquals(2 * ESTIMATE, readTree(next.getBody()).get("usedCredits").asLong());
    }

    @Test
    void failPolicyMarksTheCreateAmbiguous_andNeverCreatesAgain() {
        String appKey = app(1000, AmbiguousCreatePolicy.FAIL);
        runway.queue(new CreateOutcome.Ambiguous("HTTP 503 after sending"));

        String id = idOf(send(api(stored, runway), appKey));

        Task task = stored.find(id).orElseThrow();
        assertEquals(1, runway.createdBodies.size());
        assertEquals(TaskCreation.AMBIGUOUS, task.stateReason());
        assertEquals(ESTIMATE, task.runway().possibleOrphanCredits());
        assertEquals(AmbiguousCreatePolicy.FAIL, task.request().ambiguousCreates());
        assertEquals(0, ledger.activeSlots(task.appId()).size());
    }

    /** A Runway port passing every call through. */
    private static class DelegatingRunway implements RunwayGateway {
        private final RunwayGateway delegate;

        DelegatingRunway(RunwayGateway delegate) {
            this.delegate = delegate;
        }

        @Override
        public CreateOutcome create(String endpoint, String requestJson) {
            return delegate.create(endpoint, requestJson);
        }

        @Override
        public ReadOutcome get(String runwayTaskId) {
            return delegate.get(runwayTaskId);
        }

        @Override
        public CancelOutcome cancel(String runwayTaskId) {
            return delegate.cancel(runwayTaskId);
        }
    }
}
