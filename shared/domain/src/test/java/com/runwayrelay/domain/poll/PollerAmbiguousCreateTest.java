package com.runwayrelay.domain.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.UsageLedger.Reservation;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.InterceptingTaskRepository;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import com.runwayrelay.domain.runway.RunwayGateway.CreateOutcome;
import com.runwayrelay.domain.runway.TaskCreation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** How the poller resolves ambiguous creates (its own, and ones abandoned by a stopped process) by the task's policy. */
class PollerAmbiguousCreateTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final long CREDITS = 5;

    private final InMemoryTaskRepository repo = new InMemoryTaskRepository(4);
    private final RecordingRunway runway = new RecordingRunway();
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final PollLog log = new PollLog() {
        @Override
        public void stepped(String runId, Task onRecord) {
        }

        @Override
        public void transition(String runId, Task before, Task after) {
        }

        @Override
        public void problem(String runId, String taskId, RuntimeException error) {
            problems.add(taskId + ": " + error.getMessage());
        }
    };
    private final PollPolicy policy = PollPolicy.builder().idlePause(Duration.ofMillis(20)).build();

    /** A run that ends once nothing is due or in hand (at most {@link #LIMIT}, a hang guard). */
    private void run(TaskRepository tasks) {
        Instant now = Instant.now();
        new Poller(tasks, runway, ledger, policy, Clock.systemUTC(), log, () -> 0.5)
                .run("run-1", now.plus(LIMIT), now.plus(LIMIT).plusSeconds(2), true);
    }

    /** An admitted ACCEPTED task of app1 (budget 100) with the given policy. */
    private Task.Builder accepted(AmbiguousCreatePolicy policy) {
        Instant created = Instant.now().minusSeconds(600);
        String id = UUID.randomUUID().toString();
        ledger.admit(new Reservation("app1", id, "gen4_image", created, CREDITS, 100, 10));
        return Task.accepted(id, "app1", "text_to_image", "gen4_image", "{}", CREDITS, created)
                .ambiguousCreates(policy).admittedBudget(100L)
                .dueAt(Instant.now().minusSeconds(1));
    }

    private Task.Builder abandoned(AmbiguousCreatePolicy policy) {
        Instant longAgo = Instant.now().minus(this.policy.inFlightGrace()).minusSeconds(1);
        return accepted(policy).attempts(List.of(new Attempt(1, null, longAgo, AttemptOutcome.IN_FLIGHT, null, null)));
    }

    private Task stored(Task task) {
        repo.insert(task);
        return task;
    }

    private Task reread(Task task) {
        return repo.find(task.id()).orElseThrow();
    }

    private UsageLedger.DailyUsage usage(Task task) {
        return ledger.usage("app1", UsageLedger.dayOf(task.createdAt()));
    }

    private static List<AttemptOutcome> outcomes(Task task) {
        return task.runway().attempts().stream().map(Attempt::outcome).toList();
    }

    @Test
    void createsOnceMore_underRetryOnce_whenACreateWasAbandonedInFlight() {
        Task task = stored(abandoned(AmbiguousCreatePolicy.RETRY_ONCE).build());

        run(repo);

        Task after = reread(task);
        assertEquals(TaskState.SUBMITTED, after.state());
        assertEquals(List.of(AttemptOutcome.AMBIGUOUS, AttemptOutcome.CREATED), outcomes(after));
        assertEquals(1, runway.scripted.createCount());
        assertEquals(CREDITS, after.runway().possibleOrphanCredits());
        assertEquals(2 * CREDITS, usage(task).usedCredits());
        assertEquals(1, usage(task).possibleOrphans());
    }

    @Test
    void neverCreatesAgain_underFail_andCountsThePossibleOrphan() {
        Task task = stored(abandoned(AmbiguousCreatePolicy.FAIL).build());

        run(repo);

        Task after = reread(task);
        assertEquals(TaskCreation.AMBIGUOUS, after.stateReason());
        assertNull(after.dueAt());
        assertEquals(0, runway.scripted.createCount());
        assertEquals(CREDITS, after.runway().possibleOrphanCredits());
        assertEquals(CREDITS, usage(task).usedCredits(), "the task's reservation became the orphan's");
        assertEquals(CREDITS, usage(task).possibleOrphanCredits());
        assertEquals(List.of(), ledger.activeSlots("app1"));
    }

    @Test
    void retriesItsOwnAmbiguousCreateOnce_underRetryOnce_andRecordsBothAttempts() {
        Task task = stored(accepted(AmbiguousCreatePolicy.RETRY_ONCE).build());
        runway.scripted.queueCreate(new CreateOutcome.Ambiguous("HTTP 502 after sending"));

        run(repo);

        Task after = reread(task);
        assertEquals(TaskState.SUBMITTED, after.state());
        assertEquals(List.of(AttemptOutcome.AMBIGUOUS, AttemptOutcome.CREATED), outcomes(after));
        assertEquals(2, runway.scripted.createCount());
        assertEquals(2 * CREDITS, usage(task).usedCredits());
    }

    @Test
    void leavesItsOwnAmbiguousCreate_underFail() {
        Task task = stored(accepted(AmbiguousCreatePolicy.FAIL).build());
        runway.scripted.queueCreate(new CreateOutcome.Ambiguous("connection reset"));

        run(repo);

        Task after = reread(task);
        assertEquals(TaskCreation.AMBIGUOUS, after.stateReason());
        assertEquals(1, runway.scripted.createCount());
        assertEquals(CREDITS, after.runway().possibleOrphanCredits());
    }

    @Test
    void countsThePossibleOrphan_whenTheDeadlinePassesWithACreateInFlight() {
        Task task = stored(abandoned(AmbiguousCreatePolicy.RETRY_ONCE).deadline(Instant.now().minusSeconds(5)).build());

        run(repo);

        Task after = reread(task);
        assertEquals(TaskState.EXPIRED, after.state());
        assertEquals(CREDITS, after.runway().possibleOrphanCredits());
        assertEquals(CREDITS, usage(task).usedCredits(), "settled at zero, the possible orphan still counted");
        assertEquals(1, usage(task).possibleOrphans());
        assertEquals(0, runway.scripted.createCount());
    }

    @Test
    void cancelsARunwayTaskItCreated_whenTheTaskChangedMeanwhile() {
        Task task = stored(accepted(AmbiguousCreatePolicy.FAIL).build());
        TaskRepository cancelledDuringCreate = new InterceptingTaskRepository(repo).aroundReplace((current, next, proceed) -> {
            if (next.state() == TaskState.SUBMITTED) {
                // The app deletes the task while its create is on the way.
                proceed.replace(current, current.next(Instant.now()).state(TaskState.CANCELLED).dueAt(null)
                        .withoutLease().build());
            }
            return proceed.replace(current, next);
        });

        run(cancelledDuringCreate);

        assertEquals(TaskState.CANCELLED, reread(task).state());
        assertEquals(List.of("rw-1"), runway.scripted.cancelled());
        assertTrue(problems.stream().anyMatch(p -> p.contains("rw-1")), problems.toString());
    }
}
