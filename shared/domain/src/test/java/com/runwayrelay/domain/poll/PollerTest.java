package com.runwayrelay.domain.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskRepository.DueTask;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.InterceptingTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway.CancelOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.CreateOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.ReadOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.RunwayTask;
import com.runwayrelay.domain.runway.TaskCreation;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class PollerTest {
    /** A hang guard: runs that end when idle never get near it. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final InMemoryTaskRepository repo = new InMemoryTaskRepository(4);
    private final RecordingRunway runway = new RecordingRunway();
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<Task> stepped = new CopyOnWriteArrayList<>();
    private final PollLog log = new PollLog() {
        @Override
        public void stepped(String runId, Task onRecord) {
            stepped.add(onRecord);
        }

        @Override
        public void transition(String runId, Task before, Task after) {
            transitions.add(after.id() + ":" + before.state() + "/" + before.runway().status() + "->"
                    + after.state() + "/" + after.runway().status());
        }

        @Override
        public void problem(String runId, String taskId, RuntimeException error) {
            problems.add(taskId + ": " + error);
        }
    };
    private PollPolicy policy = PollPolicy.builder().idlePause(Duration.ofMillis(20)).build();

    private Poller poller() {
        return new Poller(repo, runway, ledger, policy, Clock.systemUTC(), log, () -> 0.5);
    }

    /** A run that ends once nothing is due or in hand (at most {@link #LIMIT}). */
    private RunSummary run() {
        return runUntilIdle("run-1");
    }

    /** As {@link #run()}, under the given run id. */
    private RunSummary runUntilIdle(String runId) {
        Instant now = Instant.now();
        return poller().run(runId, now.plus(LIMIT), now.plus(LIMIT).plusSeconds(2), true);
    }

    /** Real waits for the rate cap; idle pauses through {@code idle}. */
    private static RunWaits idleWaits(RunWaits.IdlePause idle) {
        return new RunWaits(idle, RunWaits.REAL.nanoTime(), RunWaits.REAL.ratePause());
    }

    private static Task.Builder submitted(String runwayId) {
        Instant created = Instant.now().minusSeconds(60);
        return Task.accepted(UUID.randomUUID().toString(), "app1", "text_to_image", "gen4_image", "{}", 5, created)
                .state(TaskState.SUBMITTED).version(3).runwayTaskId(runwayId).runwayStatus(RunwayStatus.PENDING)
                .attempts(List.of(new Attempt(1, runwayId, created, AttemptOutcome.CREATED, null, null)))
                .dueAt(Instant.now().minusSeconds(1));
    }

    private static Task.Builder accepted() {
        Instant created = Instant.now().minusSeconds(600);
        return Task.accepted(UUID.randomUUID().toString(), "app1", "text_to_image", "gen4_image", "{}", 5, created)
                .dueAt(Instant.now().minusSeconds(1));
    }

    private Task stored(Task task) {
        repo.insert(task);
        return task;
    }

    private Task reread(Task task) {
        return repo.find(task.id()).orElseThrow();
    }

    private void answer(String runwayId, String status, Double progress) {
        runway.scripted.answer(runwayId, new ReadOutcome.Found(
                new RunwayTask(runwayId, RunwayStatus.fromWire(status), progress, List.of(), null, null, null)));
    }

    @Test
    void mirrorsStatusAndProgress_andReleasesTheLease_whenRunning() {
        Task task = stored(submitted("rw-a").build());
        answer("rw-a", "RUNNING", 0.4);

        Instant before = Instant.now();
        RunSummary summary = run();

        Task after = reread(task);
        assertEquals(TaskState.SUBMITTED, after.state());
        assertEquals(RunwayStatus.RUNNING, after.runway().status());
        assertEquals(0.4, after.runway().progress());
        assertNull(after.leaseOwner());
        assertNull(after.leaseUntil());
        assertFalse(after.dueAt().isBefore(before.plusSeconds(5)), "never sooner than 5 s");
        assertEquals(1, summary.claimed());
        assertEquals(1, summary.advanced());
        assertEquals(1, summary.runwayRequests());
        assertEquals(List.of(task.id() + ":SUBMITTED/PENDING->SUBMITTED/RUNNING"), transitions);
    }

    @Test
    void writesNothingAfterTheClaim_whenRunwayReportsNothingNew() {
        Task task = stored(submitted("rw-same").build());
        answer("rw-same", "PENDING", null);

        RunSummary summary = run();

        Task after = reread(task);
        assertEquals(task.version() + 1, after.version(), "the claim is the only write");
        assertEquals("run-1", after.leaseOwner(), "the lease lapses by itself");
        assertEquals(after.updatedAt().plus(PollPolicy.RUNWAY_MIN_INTERVAL), after.dueAt(),
                "due again after the default gap, when the lease lapses");
        assertEquals(after.leaseUntil(), after.dueAt());
        assertEquals(1, summary.advanced());
        assertEquals(1, summary.unchanged());
        assertEquals(1, runway.allReads().get("rw-same").get());
        assertEquals(List.of(), transitions);
        assertEquals(List.of(after), stepped, "the claim is the step's outcome on record");
    }

    @Test
    void writesTheRead_whenOnlyTheProgressMoved() {
        Task task = stored(submitted("rw-prog").runwayStatus(RunwayStatus.RUNNING).progress(0.2).build());
        answer("rw-prog", "RUNNING", 0.3);

        RunSummary summary = run();

        Task after = reread(task);
        assertEquals(0.3, after.runway().progress());
        assertNull(after.leaseOwner());
        assertEquals(0, summary.unchanged());
        assertEquals(List.of(after), stepped, "the written version is the step's outcome on record");
    }

    @Test
    void writesTheRead_whenItClearsAnUnavailableReason() {
        Task task = stored(submitted("rw-back").stateReason(TaskAdvancer.UNAVAILABLE_PREFIX + "HTTP 503").build());
        answer("rw-back", "PENDING", null);

        run();

        Task after = reread(task);
        assertNull(after.stateReason());
        assertNull(after.leaseOwner());
    }

    @Test
    void recordsALongerGap_whenTheTaskIsOldEnoughToBeReadLessOften() {
        Instant created = Instant.now().minus(Duration.ofMinutes(6));
        Task task = stored(submitted("rw-old").createdAt(created)
                .attempts(List.of(new Attempt(1, "rw-old", created, AttemptOutcome.CREATED, null, null))).build());
        answer("rw-old", "PENDING", null);

        RunSummary summary = run();

        Task after = reread(task);
        assertNull(after.leaseOwner(), "the new gap is written, ending the lease");
        // Six minutes old: a twelfth of its age (30 s), plus the fixed half of the 20 % jitter.
        assertEquals(Duration.ofSeconds(33), after.runway().pollGap());
        assertEquals(after.updatedAt().plus(after.runway().pollGap()), after.dueAt());
        assertEquals(0, summary.unchanged());
    }

    @Test
    void readsTasksThrottledBeforeThisRun_atTheIntervalTheActiveTasksAllow_countingThemOnce() {
        policy = policy.toBuilder().requestsPerSecond(10).build();
        List<Task> throttled = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            throttled.add(stored(submitted("rw-t" + i).runwayStatus(RunwayStatus.THROTTLED).build()));
            answer("rw-t" + i, "THROTTLED", null);
        }
        for (int i = 0; i < 37; i++) {
            stored(submitted("rw-later" + i).dueAt(Instant.now().plusSeconds(600)).build());
        }
        InterceptingTaskRepository counting = new InterceptingTaskRepository(repo);

        Instant now = Instant.now();
        new Poller(counting, runway, ledger, policy, Clock.systemUTC(), log, () -> 0.5)
                .run("run-1", now.plus(LIMIT), now.plus(LIMIT).plusSeconds(2), true);

        // 40 active tasks over half of 10 requests/s: one read each per 8 s, plus half the 20 % jitter.
        for (Task task : throttled) {
            Task after = reread(task);
            assertEquals(RunwayStatus.THROTTLED, after.runway().status());
            assertEquals(Duration.ofMillis(8800), after.runway().pollGap());
        }
        assertEquals(1, counting.counts());
    }

    @Test
    void waitsTheFullThrottledInterval_forATaskThrottledBeforeThisRun_whenTheActiveTasksCannotBeCounted() {
        Task task = stored(submitted("rw-t").runwayStatus(RunwayStatus.THROTTLED).build());
        Task other = stored(submitted("rw-u").runwayStatus(RunwayStatus.THROTTLED).build());
        answer("rw-t", "THROTTLED", null);
        answer("rw-u", "THROTTLED", null);
        InterceptingTaskRepository failing = new InterceptingTaskRepository(repo).onCount(() -> {
            throw new IllegalStateException("index unavailable");
        });

        Instant now = Instant.now();
        new Poller(failing, runway, ledger, policy, Clock.systemUTC(), log, () -> 0.5)
                .run("run-1", now.plus(LIMIT), now.plus(LIMIT).plusSeconds(2), true);

        assertEquals(Duration.ofSeconds(33), reread(task).runway().pollGap());
        assertEquals(Duration.ofSeconds(33), reread(other).runway().pollGap());
        assertEquals(1, failing.counts(), "not asked again in the run");
        assertEquals(List.of("due-index count: java.lang.IllegalStateException: index unavailable"), problems);
    }

    @Test
    void countsNothing_whenNoTaskWasThrottledBeforeThisRun() {
        stored(submitted("rw-n").build());
        answer("rw-n", "THROTTLED", null);
        stored(submitted("rw-r").runwayStatus(RunwayStatus.RUNNING).build());
        answer("rw-r", "RUNNING", 0.5);
        InterceptingTaskRepository counting = new InterceptingTaskRepository(repo);

        Instant now = Instant.now();
        new Poller(counting, runway, ledger, policy, Clock.systemUTC(), log, () -> 0.5)
                .run("run-1", now.plus(LIMIT), now.plus(LIMIT).plusSeconds(2), true);

        assertEquals(2, runway.reads("rw-n") + runway.reads("rw-r"));
        assertEquals(0, counting.counts());
    }

    @Test
    void recordsWhenATaskLeftThrottled_inTheWriteOfItsNewStatus() {
        Task task = stored(submitted("rw-l").runwayStatus(RunwayStatus.THROTTLED).build());
        answer("rw-l", "RUNNING", 0.1);

        run();

        Task after = reread(task);
        assertEquals(RunwayStatus.RUNNING, after.runway().status());
        // THROTTLED at an earlier run's read: the read that found it started stands for when it left.
        assertEquals(after.updatedAt(), after.runway().waitedUntil());
        assertEquals(task.version() + 2, after.version(), "the claim and the status write, nothing more");
    }

    @Test
    void recordsWhenATaskLeftPending_andCountsItsAgeFromThatRead() {
        // Submitted a minute ago, PENDING at the last read, now 10 % done: counted from the submit, 9 minutes
        // would be left and the next read 30 s away; it started since the PENDING read, so 5 s.
        Task task = stored(submitted("rw-p").build());
        answer("rw-p", "RUNNING", 0.1);

        run();

        Task after = reread(task);
        assertEquals(RunwayStatus.RUNNING, after.runway().status());
        assertEquals(after.updatedAt(), after.runway().waitedUntil());
        assertEquals(Duration.ofMillis(5500), after.runway().pollGap());
        assertEquals(task.version() + 2, after.version(), "the claim and the status write, nothing more");
    }

    @Test
    void countsTheAgeOfARunningTaskFromWhenItLeftThrottled_asRecordedByAnEarlierRun() {
        Instant created = Instant.now().minus(Duration.ofMinutes(6));
        Task task = stored(submitted("rw-o").runwayStatus(RunwayStatus.RUNNING)
                .attempts(List.of(new Attempt(1, "rw-o", created, AttemptOutcome.CREATED, null, null)))
                .waitedUntil(Instant.now().minusSeconds(30)).build());
        // Progress too small to estimate from, but new: the read is written with its gap.
        answer("rw-o", "RUNNING", 0.01);

        run();

        // Running for about 30 s of its six minutes: the 5 s minimum (plus half the jitter), not 30 s.
        assertEquals(Duration.ofMillis(5500), reread(task).runway().pollGap());
    }

    @Test
    void recordsOutputsAndCost_andLeavesTheIndexToTheArchiver_whenSucceeded() {
        Task task = stored(submitted("rw-s").build());
        runway.scripted.answer("rw-s", new ReadOutcome.Found(new RunwayTask("rw-s", RunwayStatus.SUCCEEDED, 1.0,
                List.of("https://dnznrvs05pmza.cloudfront.net/a.png"), 8L, null, null)));

        RunSummary summary = run();

        Task after = reread(task);
        assertEquals(TaskState.OUTPUT_READY, after.state());
        assertEquals(List.of("https://dnznrvs05pmza.cloudfront.net/a.png"), after.runway().outputs());
        assertEquals(8L, after.runway().actualCredits());
        assertEquals(AttemptOutcome.SUCCEEDED, after.lastAttempt().outcome());
        assertNull(after.dueAt());
        assertNull(after.leaseOwner());
        assertEquals(1, summary.transitions());
    }

    @Test
    void goesBackToAccepted_withTheFailedAttemptRecorded_whenTheFailureIsRetryable() {
        Task task = stored(submitted("rw-f").pollGap(Duration.ofSeconds(30)).build());
        runway.scripted.answer("rw-f", new ReadOutcome.Found(new RunwayTask("rw-f", RunwayStatus.FAILED, null, List.of(), 0L,
                "Upstream provider unavailable", "THIRD_PARTY.UNAVAILABLE")));

        Instant before = Instant.now();
        run();

        Task after = reread(task);
        assertEquals(TaskState.ACCEPTED, after.state());
        assertNull(after.runway().taskId());
        Attempt failed = after.lastAttempt();
        assertEquals(AttemptOutcome.FAILED, failed.outcome());
        assertEquals("THIRD_PARTY.UNAVAILABLE", failed.failureCode());
        assertEquals("rw-f", failed.runwayTaskId());
        assertNull(after.runway().pollGap(), "the next Runway task's reads start from the default gap");
        assertFalse(after.dueAt().isBefore(before.plus(policy.retryDelay())), "waits before creating again");
        assertTrue(TaskCreation.mayCreate(after));
        assertEquals(0, runway.scripted.createCount(), "the new create waits for its due time");
    }

    @Test
    void createsTheNextAttempt_whenARetryIsDue() {
        Task task = stored(accepted()
                .attempts(List.of(new Attempt(1, "rw-old", Instant.now().minusSeconds(90), AttemptOutcome.FAILED, "INTERNAL", "x")))
                .build());

        RunSummary summary = run();

        Task after = reread(task);
        assertEquals(TaskState.SUBMITTED, after.state());
        assertEquals(2, after.runway().attempts().size());
        assertEquals(AttemptOutcome.CREATED, after.lastAttempt().outcome());
        assertEquals(after.runway().taskId(), after.lastAttempt().runwayTaskId());
        assertEquals(1, runway.scripted.createCount());
        assertEquals(1, summary.advanced());
    }

    @Test
    void fails_whenTheFailureIsRetryableButTheAttemptsAreUsedUp() {
        policy = policy.toBuilder().maxAttempts(1).build();
        Task task = stored(submitted("rw-m").build());
        runway.scripted.answer("rw-m", new ReadOutcome.Found(new RunwayTask("rw-m", RunwayStatus.FAILED, null, List.of(), 0L,
                "Internal error", "INTERNAL")));

        run();

        Task after = reread(task);
        assertEquals(TaskState.FAILED, after.state());
        assertEquals("INTERNAL", after.failureCode());
        assertTrue(after.failure().contains("after 1 attempts"), after.failure());
        assertNull(after.dueAt());
    }

    @Test
    void failsWithRunwaysCode_whenTheFailureIsNotRetryable() {
        Task task = stored(submitted("rw-n").build());
        runway.scripted.answer("rw-n", new ReadOutcome.Found(new RunwayTask("rw-n", RunwayStatus.FAILED, null, List.of(), 3L,
                "Input text flagged by moderation", "SAFETY.INPUT.TEXT")));

        run();

        Task after = reread(task);
        assertEquals(TaskState.FAILED, after.state());
        assertEquals("SAFETY.INPUT.TEXT", after.failureCode());
        assertEquals("Input text flagged by moderation", after.failure());
        assertEquals(3L, after.runway().actualCredits());
        assertNull(after.dueAt());
        assertEquals(0, runway.scripted.createCount());
    }

    @Test
    void settlesTheAppsReservationAtTheActualCost_whenItEndsATask() {
        Task task = stored(submitted("rw-b").build());
        ledger.admit(new UsageLedger.Reservation(task.appId(), task.id(), task.request().model(), task.createdAt(),
                task.request().estimatedCredits(), 100, 5));
        runway.scripted.answer("rw-b", new ReadOutcome.Found(new RunwayTask("rw-b", RunwayStatus.FAILED, null, List.of(), 1L,
                "Input image flagged", "SAFETY.INPUT.IMAGE")));

        run();

        UsageLedger.DailyUsage usage = ledger.usage(task.appId(), UsageLedger.dayOf(task.createdAt()));
        assertEquals(1, usage.usedCredits(), "estimate 5 replaced by the 1 credit charged");
        assertEquals(List.of(), ledger.activeSlots(task.appId()));
    }

    @Test
    void leavesTheReservation_whenTheTaskGoesOnToTheArchiver() {
        Task task = stored(submitted("rw-ar").build());
        ledger.admit(new UsageLedger.Reservation(task.appId(), task.id(), task.request().model(), task.createdAt(),
                task.request().estimatedCredits(), 100, 5));
        runway.scripted.answer("rw-ar", new ReadOutcome.Found(new RunwayTask("rw-ar", RunwayStatus.SUCCEEDED, 1.0,
                List.of("https://dnznrvs05pmza.cloudfront.net/b.png"), 5L, null, null)));

        run();

        assertEquals(1, ledger.activeSlots(task.appId()).size());
    }

    @Test
    void settlesAtNothingWhenNoRunwayTaskCharged_andAtTheEstimateWhenTheCostIsUnknown() {
        Task expired = accepted().state(TaskState.EXPIRED).build();
        Task gone = submitted("rw-g").state(TaskState.FAILED).build();
        Task charged = submitted("rw-c").state(TaskState.FAILED).actualCredits(2L).build();

        assertEquals(0, Poller.settledCredits(expired));
        assertEquals(gone.request().estimatedCredits(), Poller.settledCredits(gone));
        assertEquals(2, Poller.settledCredits(charged));
    }

    @Test
    void cancels_whenRunwayReportsTheTaskCancelled() {
        Task task = stored(submitted("rw-c").build());
        answer("rw-c", "CANCELLED", null);

        run();

        Task after = reread(task);
        assertEquals(TaskState.CANCELLED, after.state());
        assertNull(after.dueAt());
    }

    @Test
    void failsWithAClearReason_whenRunwayNoLongerKnowsTheTask() {
        Task task = stored(submitted("rw-gone").build());

        run();

        Task after = reread(task);
        assertEquals(TaskState.FAILED, after.state());
        assertEquals(Poller.RUNWAY_TASK_GONE, after.failureCode());
        assertTrue(after.failure().contains("rw-gone"), after.failure());
    }

    @Test
    void keepsTheTaskAndBacksOff_whenRunwayIsUnavailable() {
        Task task = stored(submitted("rw-u").build());
        runway.scripted.answer("rw-u", new ReadOutcome.Unavailable("Runway unreachable", null));

        RunSummary summary = run();

        Task after = reread(task);
        assertEquals(1, summary.failed());
        assertEquals(TaskState.SUBMITTED, after.state());
        assertEquals("Runway unavailable: Runway unreachable", after.stateReason());
        assertNull(after.leaseOwner());
        Duration wait = Duration.between(after.updatedAt(), after.dueAt());
        assertTrue(wait.compareTo(policy.retryDelay()) >= 0
                && wait.compareTo(policy.retryDelay().multipliedBy(3)) <= 0, "wait " + wait);
    }

    @Test
    void waitsLongerEachTime_whenRunwayStaysUnavailable() {
        Instant now = Instant.now();
        Task task = stored(submitted("rw-u2").stateReason("Runway unavailable: Runway unreachable")
                .updatedAt(now.minusSeconds(40)).dueAt(now.minusSeconds(1)).build());
        runway.scripted.answer("rw-u2", new ReadOutcome.Unavailable("Runway unreachable", null));

        run();

        Task after = reread(task);
        Duration wait = Duration.between(after.updatedAt(), after.dueAt());
        assertTrue(wait.compareTo(Duration.ofSeconds(39)) > 0, "wait " + wait);
        assertTrue(wait.compareTo(policy.maxBackoff()) <= 0, "wait " + wait);
    }

    @Test
    void recordsTheWaitOnTheTask_whenRunwayIsUnavailable() {
        Task task = stored(submitted("rw-u3").build());
        runway.scripted.answer("rw-u3", new ReadOutcome.Unavailable("Runway unreachable", null));

        run();

        Task after = reread(task);
        assertEquals(Duration.between(after.updatedAt(), after.dueAt()), after.runway().backoff());
    }

    @Test
    void growsTheNextWaitFromTheRecordedBackoff_notFromTheSchedule() {
        Instant now = Instant.now();
        // Recorded 40 s; the task's own schedule (written 2 s before it fell due) would say 1 s.
        Task task = stored(submitted("rw-u4").backingOff("Runway unavailable: Runway unreachable", Duration.ofSeconds(40))
                .updatedAt(now.minusSeconds(2)).dueAt(now.minusSeconds(1)).build());
        runway.scripted.answer("rw-u4", new ReadOutcome.Unavailable("Runway unreachable", null));

        run();

        Task after = reread(task);
        // Decorrelated jitter with the random source at 0.5: 10 s + 0.5 * (3 * 40 s - 10 s).
        assertEquals(Duration.ofSeconds(65), Duration.between(after.updatedAt(), after.dueAt()));
        assertEquals(Duration.ofSeconds(65), after.runway().backoff());
    }

    @Test
    void clearsTheBackoff_whenRunwayAnswersAgain() {
        Task task = stored(submitted("rw-u5").backingOff("Runway unavailable: Runway unreachable", Duration.ofSeconds(40))
                .build());
        answer("rw-u5", "RUNNING", 0.3);

        run();

        Task after = reread(task);
        assertNull(after.stateReason());
        assertNull(after.runway().backoff());
    }

    @Test
    void keepsPolling_andStoresTheStatusAsReceived_whenRunwayReportsAStatusItAddedLater() {
        Task task = stored(submitted("rw-new").build());
        answer("rw-new", "QUEUED_FOR_REVIEW", null);

        run();

        Task after = reread(task);
        assertEquals(TaskState.SUBMITTED, after.state());
        assertEquals(new RunwayStatus.Unknown("QUEUED_FOR_REVIEW"), after.runway().status());
        assertEquals("QUEUED_FOR_REVIEW", after.runway().status().wire());
        assertNotNull(after.dueAt());
    }

    @Test
    void honoursRetryAfter_whenRunwayAsksForALongerWait() {
        Task task = stored(submitted("rw-r").build());
        runway.scripted.answer("rw-r", new ReadOutcome.Unavailable("rate limited", Duration.ofSeconds(90)));

        run();

        Task after = reread(task);
        assertEquals(Duration.ofSeconds(90), Duration.between(after.updatedAt(), after.dueAt()));
    }

    @Test
    void cancelsAtRunwayAndExpires_whenTheDeadlinePassed() {
        Task task = stored(submitted("rw-d").deadline(Instant.now().minusSeconds(2)).build());
        answer("rw-d", "RUNNING", 0.5);

        run();

        Task after = reread(task);
        assertEquals(TaskState.EXPIRED, after.state());
        assertEquals(Poller.DEADLINE_EXCEEDED, after.failureCode());
        assertEquals(List.of("rw-d"), runway.scripted.cancelled());
        assertEquals(0, runway.reads("rw-d"));
        assertNull(after.dueAt());
    }

    @Test
    void expiresWithoutCallingRunway_whenAnAcceptedTaskPassedItsDeadline() {
        Task task = stored(accepted().deadline(Instant.now().minusSeconds(2)).build());

        run();

        Task after = reread(task);
        assertEquals(TaskState.EXPIRED, after.state());
        assertEquals(0, runway.scripted.createCount());
        assertEquals(List.of(), runway.scripted.cancelled());
    }

    @Test
    void createsAtRunway_whenAnAcceptedTaskMayBeCreated() {
        Task task = stored(accepted().build());

        run();

        Task after = reread(task);
        assertEquals(TaskState.SUBMITTED, after.state());
        assertEquals(1, after.runway().attempts().size());
        assertEquals(1, runway.scripted.createCount());
        assertNull(after.leaseOwner());
    }

    @Test
    void keepsTheTaskAcceptedAndCountsAFailure_whenTheCreateFindsRunwayUnavailable() {
        Task task = stored(accepted().build());
        runway.scripted.queueCreate(new CreateOutcome.Unavailable("rate limited", null));

        RunSummary summary = run();

        Task after = reread(task);
        assertEquals(TaskState.ACCEPTED, after.state());
        assertEquals(AttemptOutcome.NOT_CREATED, after.lastAttempt().outcome());
        assertTrue(after.dueAt().isAfter(Instant.now()));
        assertEquals(1, summary.failed());
    }

    @Test
    void givesUp_whenRunwayStayedUnavailableForEveryCreate() {
        policy = policy.toBuilder().maxCreateTries(2).build();
        Instant t = Instant.now().minusSeconds(100);
        Task task = stored(accepted().attempts(List.of(
                new Attempt(1, null, t, AttemptOutcome.NOT_CREATED, null, "rate limited"),
                new Attempt(2, null, t, AttemptOutcome.NOT_CREATED, null, "rate limited"))).build());

        run();

        Task after = reread(task);
        assertEquals(TaskState.FAILED, after.state());
        assertEquals(Poller.RUNWAY_UNAVAILABLE, after.failureCode());
        assertEquals(0, runway.scripted.createCount());
    }

    @Test
    void marksAnAbandonedCreateAmbiguous_withoutSendingItAgain() {
        Instant longAgo = Instant.now().minus(policy.inFlightGrace()).minusSeconds(1);
        Task task = stored(accepted()
                .attempts(List.of(new Attempt(1, null, longAgo, AttemptOutcome.IN_FLIGHT, null, null))).build());

        run();

        Task after = reread(task);
        // Terminal, so the notifier's filter sees it and the app gets its task.failed webhook.
        assertEquals(TaskState.FAILED, after.state());
        assertEquals("RELAY.AMBIGUOUS_CREATE", after.failureCode());
        assertEquals(TaskCreation.AMBIGUOUS, after.stateReason());
        assertEquals(AttemptOutcome.AMBIGUOUS, after.lastAttempt().outcome());
        assertNull(after.dueAt());
        assertEquals(0, runway.scripted.createCount());
    }

    @Test
    void leavesAlone_aCreateThatMayStillBeInFlightInTheSubmitFunction() {
        Task task = stored(accepted()
                .attempts(List.of(new Attempt(1, null, Instant.now().minusSeconds(3), AttemptOutcome.IN_FLIGHT, null,
                        null))).build());
        Task fresh = stored(Task.accepted(UUID.randomUUID().toString(), "app1", "text_to_image", "gen4_image", "{}",
                5, Instant.now().minusSeconds(1)).dueAt(Instant.now().minusSeconds(1)).build());

        RunSummary summary = run();

        assertEquals(task, reread(task));
        assertEquals(fresh, reread(fresh));
        assertEquals(0, summary.claimed());
        assertEquals(2, summary.skipped(), "each looked at once per run");
        assertEquals(0, runway.scripted.createCount());
    }

    @Test
    void skipsATaskLeasedByAnotherRun_untilTheLeaseLapses() {
        Instant now = Instant.now();
        Task held = stored(submitted("rw-h").leaseOwner("other").leaseUntil(now.plusSeconds(30)).build());
        Task lapsed = stored(submitted("rw-l").leaseOwner("dead").leaseUntil(now.minusSeconds(1)).build());
        answer("rw-h", "RUNNING", 0.2);
        answer("rw-l", "RUNNING", 0.2);

        RunSummary summary = run();

        assertEquals(held, reread(held));
        assertEquals(0, runway.reads("rw-h"));
        assertEquals(1, runway.reads("rw-l"));
        assertNull(reread(lapsed).leaseOwner());
        assertEquals(1, summary.claimed());
    }

    @Test
    void wakesTheNotifierWithoutCallingRunway_whenAWebhookRetryIsDue() {
        Instant now = Instant.now();
        WebhookDelivery pending = new WebhookDelivery(DeliveryStatus.PENDING, "msg_1", "task.failed", 1, List.of(),
                now.minusSeconds(1));
        Task task = stored(submitted("rw-w").state(TaskState.FAILED).webhook(pending).build());

        RunSummary summary = run();

        Task after = reread(task);
        assertEquals(task.version() + 1, after.version());
        assertEquals(TaskState.FAILED, after.state());
        assertEquals(pending, after.webhook());
        assertFalse(after.dueAt().isBefore(now.plus(policy.webhookRewake())));
        assertNull(after.leaseOwner());
        assertEquals(1, summary.woken());
        assertEquals(0, summary.runwayRequests());
    }

    @Test
    void writesTheTasksNextEventPending_whenTheNotifierStoppedBeforeWritingIt() {
        Instant now = Instant.now();
        WebhookDelivery endSent = new WebhookDelivery(DeliveryStatus.DELIVERED, "msg_1", "task.succeeded", 1,
                List.of(new WebhookDelivery.DeliveryAttempt(now.minusSeconds(2), 204, null)), null);
        Task archived = stored(submitted("rw-d").state(TaskState.ARCHIVED).callbackUrl("https://hooks.example.com/x")
                .webhookEvents(java.util.Set.of(com.runwayrelay.domain.webhook.WebhookEventType.TASK_SUCCEEDED,
                        com.runwayrelay.domain.webhook.WebhookEventType.TASK_DELIVERED))
                .deliverTo(com.runwayrelay.domain.delivery.DeliverTo.of(List.of("https://bucket.example.com/0.png")))
                .deliveries(List.of(new com.runwayrelay.domain.OutputDelivery(0,
                        com.runwayrelay.domain.OutputDelivery.Outcome.DELIVERED, 200, 10, "00", 1, null, now.minusSeconds(3))))
                .webhook(endSent).build());
        WebhookDelivery startedSent = new WebhookDelivery(DeliveryStatus.DELIVERED, "msg_1", "task.started", 1, List.of(), null);
        Task failed = stored(submitted("rw-f").state(TaskState.FAILED).callbackUrl("https://hooks.example.com/x")
                .webhookEvents(java.util.Set.of(com.runwayrelay.domain.webhook.WebhookEventType.TASK_STARTED,
                        com.runwayrelay.domain.webhook.WebhookEventType.TASK_FAILED))
                .webhook(startedSent).build());

        RunSummary summary = run();

        WebhookDelivery delivered = reread(archived).webhook();
        assertEquals("task.delivered", delivered.eventType());
        assertEquals(DeliveryStatus.PENDING, delivered.status(), "pending: its stream record reaches the notifier");
        assertEquals(2, delivered.sequence());
        assertEquals(com.runwayrelay.domain.webhook.WebhookEvent.messageIdOf(archived.id(), 2), delivered.messageId());
        WebhookDelivery end = reread(failed).webhook();
        assertEquals("task.failed", end.eventType());
        assertEquals(DeliveryStatus.PENDING, end.status());
        assertEquals(2, end.sequence());
        assertNotNull(reread(archived).dueAt(), "kept in the index until the notifier has sent it");
        assertEquals(2, summary.woken());
        assertEquals(0, summary.runwayRequests());
    }

    @Test
    void takesAFinishedTaskOutOfTheIndex_whenNoWebhookIsPending() {
        Task task = stored(submitted("rw-x").state(TaskState.CANCELLED).build());

        RunSummary summary = run();

        assertNull(reread(task).dueAt());
        assertEquals(1, summary.cleared());
        assertEquals(0, summary.runwayRequests());
    }

    @Test
    void leavesAnArchivingTaskToTheArchiver() {
        Task task = stored(submitted("rw-o").state(TaskState.OUTPUT_READY).build());

        run();

        assertEquals(task, reread(task));
    }

    @Test
    void keepsConcurrencyWithinTheLimit() {
        policy = policy.toBuilder().concurrency(4).build();
        // Calls are held until four are in flight at once (then none is held): the limit is reached
        // whatever the machine's speed, and a fifth concurrent call would show in the peak.
        runway.holdUntilInFlight(4);
        for (int i = 0; i < 20; i++) {
            stored(submitted("rw-" + i).build());
            answer("rw-" + i, "RUNNING", 0.5);
        }

        RunSummary summary = run();

        assertEquals(20, summary.advanced());
        assertEquals(4, runway.peakInFlight());
        assertEquals(4, summary.peakInFlight());
    }

    @Test
    void pollsTheSoonestDueFirst_acrossShards() {
        policy = policy.toBuilder().concurrency(1).build();
        Instant now = Instant.now();
        for (int i = 0; i < 8; i++) {
            String runwayId = "rw-order-" + i;
            // Due times interleave across the shards the ids fall into.
            stored(submitted(runwayId).id(UUID.randomUUID().toString()).dueAt(now.minusSeconds(100 - i)).build());
            answer(runwayId, "RUNNING", 0.5);
        }

        RunSummary summary = run();

        assertEquals(List.of(), problems, summary.toString());
        assertEquals(List.of("rw-order-0", "rw-order-1", "rw-order-2", "rw-order-3", "rw-order-4", "rw-order-5",
                "rw-order-6", "rw-order-7"), runway.readOrder());
    }

    @Test
    void readsTheIndexOncePerIdlePause_whenEverythingDueWasSeen() {
        policy = policy.toBuilder().idlePause(Duration.ofMillis(200)).build();
        stored(submitted("rw-trickle").build());
        answer("rw-trickle", "RUNNING", 0.5);
        InterceptingTaskRepository counting = new InterceptingTaskRepository(repo);
        // The clock moves only by the pauses asked for, once the task has been read.
        ManualClock clock = new ManualClock(Instant.now());
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        RunWaits waits = idleWaits(d -> {
            awaitCondition(() -> stepped.size() == 1, HANG_GUARD);
            pauses.add(d);
            clock.advance(d);
        });
        Instant now = clock.instant();
        new Poller(counting, runway, ledger, policy, clock, log, () -> 0.5, waits)
                .run("run-1", now.plusSeconds(1), now.plusSeconds(2));

        // One sweep (4 shards) per 200 ms pause over 1 s, at 0, 200, ..., 800 ms; a busy loop would make thousands.
        assertEquals(5 * repo.shards(), counting.dueQueries(), "index queries");
        assertEquals(java.util.Collections.nCopies(5, Duration.ofMillis(200)), pauses);
        assertEquals(1, runway.reads("rw-trickle"));
    }

    @Test
    void sweepsAgainAtOnce_whenAPageWasFull() {
        policy = policy.toBuilder().pageSize(1).concurrency(1).idlePause(Duration.ofSeconds(5)).build();
        for (int i = 0; i < 12; i++) {
            stored(submitted("rw-full-" + i).build());
            answer("rw-full-" + i, "RUNNING", 0.5);
        }

        // The first pause waits for every task to be stepped, then ends the run: a pause taken while
        // tasks were still due would leave them unread.
        ManualClock clock = new ManualClock(Instant.now());
        Instant claimUntil = clock.instant().plusSeconds(2);
        List<Integer> steppedAtPause = new CopyOnWriteArrayList<>();
        RunWaits waits = idleWaits(d -> {
            awaitCondition(() -> stepped.size() == 12, HANG_GUARD);
            steppedAtPause.add(stepped.size());
            clock.set(claimUntil);
        });
        RunSummary summary = new Poller(repo, runway, ledger, policy, clock, log, () -> 0.5, waits)
                .run("run-1", claimUntil, claimUntil.plusSeconds(1));

        assertEquals(12, summary.advanced(), "not held back by the 5 s idle pause");
        assertEquals(List.of(12), steppedAtPause, "the one pause came after the last task");
    }

    @Test
    void capsTheRequestRateTowardsRunway() {
        policy = policy.toBuilder().requestsPerSecond(10).concurrency(16).build();
        for (int i = 0; i < 25; i++) {
            stored(submitted("rw-" + i).build());
            answer("rw-" + i, "RUNNING", 0.5);
        }

        // The cap's clock stands still and its pauses are recorded, not slept: every request past the
        // ten saved up must wait its turn, 100 ms after the one before.
        List<Long> pauses = new CopyOnWriteArrayList<>();
        RunWaits waits = new RunWaits(RunWaits.REAL.idle(), () -> 0L, pauses::add);
        Instant now = Instant.now();
        RunSummary summary = new Poller(repo, runway, ledger, policy, Clock.systemUTC(), log, () -> 0.5, waits)
                .run("run-1", now.plus(LIMIT), now.plus(LIMIT).plusSeconds(2), true);

        assertEquals(25, summary.runwayRequests());
        // 10 saved up, then 10 a second: the 25th request cannot go before 1.5 s.
        List<Long> waitedMillis = pauses.stream().map(n -> Math.round(n / 1e6)).sorted().toList();
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 15).mapToObj(k -> k * 100).toList(), waitedMillis);
    }

    @Test
    void stopsClaimingAtTheDeadline_andReleasesUnfinishedLeases() {
        runway.hang();
        Task task = stored(submitted("rw-hang").build());
        Instant dueBefore = task.dueAt();
        // The clock stands still until the task is in hand, then jumps to the hard stop: on a
        // loaded machine a real 200 ms claim window could close before the first claim.
        ManualClock clock = new ManualClock(Instant.now());
        Instant claimUntil = clock.instant().plusMillis(200);
        Instant hardStop = clock.instant().plusMillis(400);
        Thread.ofVirtual().start(() -> {
            awaitCondition(() -> runway.peakInFlight() > 0, HANG_GUARD);
            clock.set(hardStop);
        });

        RunSummary summary = new Poller(repo, runway, ledger, policy, clock, log, () -> 0.5)
                .run("run-1", claimUntil, hardStop);

        Task after = reread(task);
        assertEquals(1, summary.claimed());
        assertEquals(1, summary.released());
        assertNull(after.leaseOwner());
        assertEquals(dueBefore, after.dueAt(), "due again as before the claim");
        assertEquals(TaskState.SUBMITTED, after.state());
    }

    @Test
    void recoversEveryTask_afterARunDiedHoldingLeases() {
        policy = policy.toBuilder().lease(Duration.ofMillis(300)).build();
        ManualClock clock = new ManualClock(Instant.now());
        Instant start = clock.instant();
        Instant lapse = start.plusMillis(300);
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Task t = stored(submitted("rw-k" + i).build());
            answer("rw-k" + i, "RUNNING", 0.5);
            // What a run killed right after claiming leaves behind.
            repo.replace(t, t.next(start).leaseOwner("killed").leaseUntil(lapse).dueAt(lapse).build());
            tasks.add(t);
        }
        // The idle pauses move the clock until the leases lapse; then it stands still until every
        // task is stepped and jumps to the end of the run.
        Instant claimUntil = start.plusMillis(1500);
        RunWaits waits = idleWaits(d -> {
            if (clock.instant().isBefore(lapse)) {
                clock.advance(d);
                return;
            }
            awaitCondition(() -> stepped.size() == 5, HANG_GUARD);
            clock.set(claimUntil);
        });

        RunSummary next = new Poller(repo, runway, ledger, policy, clock, log, () -> 0.5, waits)
                .run("run-2", claimUntil, claimUntil.plusSeconds(2));

        assertEquals(5, next.advanced());
        for (Task t : tasks) {
            Task after = reread(t);
            assertNull(after.leaseOwner());
            assertEquals(RunwayStatus.RUNNING, after.runway().status());
        }
    }

    @Test
    void neverPollsATaskTwice_whenTwoRunsOverlap() throws Exception {
        List<RunSummary> summaries = twoOverlappingRunsOver200Tasks("RUNNING", 0.5);

        assertEquals(200, summaries.get(0).claimed() + summaries.get(1).claimed());
        assertEquals(0, summaries.get(0).unchanged() + summaries.get(1).unchanged());
    }

    @Test
    void neverPollsATaskTwice_whenTwoRunsOverlapAndRunwayReportsNothingNew() throws Exception {
        List<RunSummary> summaries = twoOverlappingRunsOver200Tasks("PENDING", null);

        assertEquals(200, summaries.get(0).unchanged() + summaries.get(1).unchanged());
    }

    /**
     * Two runs started together over 200 due PENDING tasks whose Runway tasks answer
     * {@code status}/{@code progress}; asserts every task was read exactly once, without problems.
     */
    private List<RunSummary> twoOverlappingRunsOver200Tasks(String status, Double progress) throws Exception {
        policy = policy.toBuilder().concurrency(8).build();
        runway.latency(Duration.ofMillis(5));
        for (int i = 0; i < 200; i++) {
            stored(submitted("rw-p" + i).build());
            answer("rw-p" + i, status, progress);
        }

        List<RunSummary> summaries = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // Both runs end once nothing is left, not after a fixed window: at the default 50
            // requests a second each, 1 s windows hold barely more than these 200 reads.
            Future<RunSummary> a = pool.submit(() -> runUntilIdle("run-a"));
            Future<RunSummary> b = pool.submit(() -> runUntilIdle("run-b"));
            summaries.add(a.get());
            summaries.add(b.get());
        }

        assertEquals(200, runway.allReads().size());
        runway.allReads().forEach((id, count) -> assertEquals(1, count.get(), id + " read twice"));
        assertEquals(List.of(), problems);
        return summaries;
    }

    @Test
    void carriesOn_whenAWriteSucceededButItsRetryReportedAConflict() {
        Task task = stored(submitted("rw-retried").build());
        answer("rw-retried", "RUNNING", 0.6);
        // Like an SDK that retried a write DynamoDB had already applied: stored, yet reported as a conflict.
        TaskRepository flaky = new InterceptingTaskRepository(repo).aroundReplace((current, next, proceed) -> {
            proceed.replace(current, next);
            return false;
        });
        Instant now = Instant.now();
        RunSummary summary = new Poller(flaky, runway, ledger, policy, Clock.systemUTC(), log, () -> 0.5)
                .run("run-1", now.plus(LIMIT), now.plus(LIMIT).plusSeconds(1), true);

        Task after = reread(task);
        assertEquals(1, summary.claimed());
        assertEquals(1, summary.advanced());
        assertEquals(RunwayStatus.RUNNING, after.runway().status());
        assertNull(after.leaseOwner());
    }

    @Test
    void abandonsTheStep_whenAnotherWriterChangedTheTaskMeanwhile() {
        Task task = stored(submitted("rw-race").build());
        RunwayGateway racing = new RunwayGateway() {
            @Override
            public CreateOutcome create(String endpoint, String requestJson) {
                throw new AssertionError("no create expected");
            }

            @Override
            public ReadOutcome get(String runwayTaskId) {
                Task current = repo.find(task.id()).orElseThrow();
                repo.replace(current, current.next(Instant.now()).state(TaskState.CANCELLED).dueAt(null).build());
                return new ReadOutcome.Found(new RunwayTask(runwayTaskId, RunwayStatus.RUNNING, 0.3, List.of(), null, null, null));
            }

            @Override
            public CancelOutcome cancel(String runwayTaskId) {
                throw new AssertionError("no cancel expected");
            }
        };
        Instant now = Instant.now();
        RunSummary summary = new Poller(repo, racing, ledger, policy, Clock.systemUTC(), log, () -> 0.5)
                .run("run-1", now.plus(LIMIT), now.plus(LIMIT).plusSeconds(1), true);

        Task after = reread(task);
        assertEquals(TaskState.CANCELLED, after.state());
        assertEquals(1, summary.skipped());
        assertEquals(0, summary.advanced());
    }

    /** Waits until {@code condition} holds or {@code limit} (a hang guard) has passed, whichever comes first. */
    private static void awaitCondition(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
