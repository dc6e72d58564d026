package com.runwayrelay.domain.poll;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway.CancelOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.ReadOutcome;
import com.runwayrelay.domain.runway.RunwayGateway.RunwayTask;
import com.runwayrelay.domain.runway.TaskCreation;
import com.runwayrelay.domain.webhook.CourseEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Moves one leased task one step (DESIGN §3) and writes the result, releasing the lease. Every
 * write is conditional on the version this run wrote last; losing one means another writer
 * (the status function's cancel, say) changed the task, and the work on it simply ends.
 *
 * <p>One exception: a read of a SUBMITTED task that finds nothing new (same Runway status and
 * progress, no reason to clear, and a next read that still fits the gap the claim held it for)
 * writes nothing. The claim already made the task due again at the end of that gap, with its
 * lease lapsing at the same instant ({@link SubmittedClaims}).
 */
final class TaskAdvancer {
    /** How a step ended. */
    enum Outcome {
        /** The next version is written. */
        ADVANCED,
        /** Runway could not be asked; the task is rescheduled with backoff. */
        UNAVAILABLE,
        /** Runway was read and reported nothing new: the claimed version stands, nothing is written. */
        UNCHANGED,
        /** Another writer changed the task; nothing more to do. */
        LOST
    }

    /**
     * A read that finds nothing new is not written when the next read the schedule picks lies
     * within these factors of the gap the claim held the task for: jitter alone moves it by up to
     * a factor of 1.2 either way. Outside the band (a task old enough to be read less often, a
     * claim that held it for a create's lease) the new gap is written.
     */
    private static final double GAP_LOWER = 0.8;
    private static final double GAP_UPPER = 1.25;

    /** Same reason as {@link TaskCreation}'s, so a create and a read failure back off alike. */
    static final String UNAVAILABLE_PREFIX = TaskCreation.UNAVAILABLE;

    private final TaskRepository tasks;
    private final RunwayGateway runway;
    private final UsageLedger ledger;
    private final TaskCreation creation;
    private final PollPolicy policy;
    private final Schedule schedule;
    private final Clock clock;
    private final PollLog log;
    private final RunCounters counters;
    private final String runId;

    TaskAdvancer(TaskRepository tasks, RunwayGateway runway, UsageLedger ledger, PollPolicy policy,
                 Schedule schedule, Clock clock, PollLog log, RunCounters counters, String runId) {
        this.tasks = tasks;
        this.runway = runway;
        this.ledger = ledger;
        this.creation = new TaskCreation(runway, ledger);
        this.policy = policy;
        this.schedule = schedule;
        this.clock = clock;
        this.log = log;
        this.counters = counters;
        this.runId = runId;
    }

    /**
     * Advances a task this run has leased.
     *
     * @param current      holds the version last written by this run (the claim); updated on every write, so
     *                     the caller can release the lease of a step cut short
     * @param previousWait how long the task waited before this step, when that wait was a backoff after
     *                     Runway was unavailable; else null
     */
    Outcome advance(AtomicReference<Task> current, Duration previousWait) {
        Task claimed = current.get();
        Instant now = clock.instant();
        if (claimed.request().deadline() != null && !now.isBefore(claimed.request().deadline())
                && (claimed.state() == TaskState.ACCEPTED || claimed.state() == TaskState.SUBMITTED)) {
            return expire(current, now, previousWait);
        }
        return switch (claimed.state()) {
            case ACCEPTED -> accepted(current, now, previousWait);
            case SUBMITTED -> submitted(current, now, previousWait);
            // Claims are taken only for ACCEPTED and SUBMITTED tasks; anything else leaves the index.
            default -> write(current, claimed.next(now).dueAt(null).withoutLease().build());
        };
    }

    private Outcome accepted(AtomicReference<Task> current, Instant now, Duration previousWait) {
        Task claimed = current.get();
        Attempt last = claimed.lastAttempt();
        if (TaskCreation.AMBIGUOUS.equals(claimed.stateReason())) {
            return write(current, claimed.next(now).dueAt(null).withoutLease().build());
        }
        if (last != null && last.is(AttemptOutcome.IN_FLIGHT)) {
            // Claimed only after the in-flight grace: whoever sent it has stopped. Resolved by the task's policy.
            return write(current, creation.abandoned(claimed, now).toBuilder().withoutLease().build());
        }
        if (!TaskCreation.mayCreate(claimed)) {
            return write(current, claimed.next(now).dueAt(null).withoutLease().build());
        }
        if (createdCount(claimed) >= policy.maxAttempts()) {
            return write(current, claimed.next(now).state(TaskState.FAILED)
                    .failure("Gave up after " + createdCount(claimed) + " Runway tasks (the most allowed)")
                    .failureCode(last != null && last.failureCode() != null ? last.failureCode() : Poller.ATTEMPTS_EXHAUSTED)
                    .dueAt(null).withoutLease().build());
        }
        long notCreated = claimed.runway().attempts().stream().filter(a -> a.is(AttemptOutcome.NOT_CREATED)).count();
        if (notCreated >= policy.maxCreateTries()) {
            return write(current, claimed.next(now).state(TaskState.FAILED)
                    .failure("Runway could not take the task after " + notCreated + " tries; last: "
                            + (last != null ? last.failure() : "unknown"))
                    .failureCode(Poller.RUNWAY_UNAVAILABLE)
                    .dueAt(null).withoutLease().build());
        }
        Task begun = TaskCreation.begin(claimed, now);
        if (!replaced(tasks, claimed, begun)) {
            return Outcome.LOST;
        }
        current.set(begun);
        Instant sentAt = clock.instant();
        Task result = creation.send(begun, sentAt, schedule.backoff(previousWait, null)).next();
        Outcome outcome = write(current, result.toBuilder().withoutLease().build());
        if (outcome == Outcome.LOST && result.runway().taskId() != null) {
            // Another writer (the app's cancel) changed the task while the create ran: the new Runway
            // task is on no record, so it is cancelled rather than left running unseen.
            runway.cancel(result.request().endpoint(), result.runway().taskId());
            log.problem(runId, result.id(), new IllegalStateException("created Runway task " + result.runway().taskId()
                    + " after the task changed; cancelled it at Runway"));
        }
        boolean unavailable = result.state() == TaskState.ACCEPTED && result.dueAt() != null
                && !TaskCreation.retryingAmbiguous(result);
        return outcome == Outcome.ADVANCED && unavailable ? Outcome.UNAVAILABLE : outcome;
    }

    private Outcome submitted(AtomicReference<Task> current, Instant now, Duration previousWait) {
        Task claimed = current.get();
        if (claimed.runway().taskId() == null) {
            return write(current, claimed.next(now).state(TaskState.FAILED)
                    .failure("The task was marked submitted without a Runway task id")
                    .failureCode(Poller.NO_RUNWAY_TASK)
                    .dueAt(null).withoutLease().build());
        }
        ReadOutcome read = runway.get(claimed.request().endpoint(), claimed.runway().taskId());
        Instant at = clock.instant();
        return switch (read) {
            case ReadOutcome.Found found -> found(current, found.task(), at);
            case ReadOutcome.Gone gone -> write(current, claimed.next(at).state(TaskState.FAILED)
                    .attempts(settleLast(claimed, AttemptOutcome.GONE, null, "Runway no longer knows the task"))
                    .failure("Runway no longer knows task " + claimed.runway().taskId()
                            + " (deleted or cancelled outside the gateway)")
                    .failureCode(Poller.RUNWAY_TASK_GONE)
                    .progress(null)
                    .dueAt(null).withoutLease().build());
            case ReadOutcome.Unavailable unavailable ->
                    reschedule(current, at, unavailable.reason(), unavailable.retryAfter(), previousWait);
        };
    }

    private Outcome found(AtomicReference<Task> current, RunwayTask seen, Instant now) {
        Task claimed = current.get();
        Long credits = addCredits(claimed.runway().actualCredits(), seen.costCredits());
        if (seen.status().terminal()) {
            schedule.finished(claimed.id());
        }
        return switch (seen.status()) {
            case RunwayStatus.Known.SUCCEEDED -> write(current, claimed.next(now).state(TaskState.OUTPUT_READY)
                    .runwayStatus(RunwayStatus.SUCCEEDED).progress(1.0)
                    .outputs(seen.output())
                    .outputNodes(seen.outputNodes())
                    .nodeErrorsJson(seen.nodeErrorsJson())
                    .actualCredits(credits)
                    .attempts(settleLast(claimed, AttemptOutcome.SUCCEEDED, null, null))
                    .stateReason(null)
                    // The archiver takes over through the stream (state became OUTPUT_READY).
                    .dueAt(null).withoutLease().build());
            case RunwayStatus.Known.FAILED -> failed(current, seen, credits, now);
            case RunwayStatus.Known.CANCELLED -> write(current, claimed.next(now).state(TaskState.CANCELLED)
                    .runwayStatus(RunwayStatus.CANCELLED).progress(null)
                    .actualCredits(credits)
                    .attempts(settleLast(claimed, AttemptOutcome.CANCELLED, null, null))
                    .stateReason("Cancelled at Runway")
                    .dueAt(null).withoutLease().build());
            // PENDING, THROTTLED, RUNNING and any status Runway adds later: not finished.
            default -> notFinished(current, seen, now);
        };
    }

    private Outcome notFinished(AtomicReference<Task> current, RunwayTask seen, Instant now) {
        Task claimed = current.get();
        Instant nextRead = schedule.nextRead(claimed, seen, now);
        Duration gap = Duration.between(now, nextRead);
        if (nothingNew(claimed, seen, gap)) {
            return Outcome.UNCHANGED;
        }
        Task.Builder next = claimed.next(now)
                .runwayStatus(seen.status())
                .progress(seen.progress())
                .stateReason(null)
                .dueAt(nextRead)
                .pollGap(gap);
        if (Schedule.waiting(claimed.runway().status()) && !Schedule.waiting(seen.status())) {
            // Left PENDING or THROTTLED: this write carries the new status anyway, so the instant rides along for later runs.
            next.waitedUntil(schedule.waitedUntil(claimed.id()));
        }
        // task.started / task.progress, when the app chose them: written with the read they announce.
        CourseEvents.afterRead(claimed, seen.status(), seen.progress(), now, policy.progressEventInterval())
                .ifPresent(next::webhook);
        return write(current, next.withoutLease().build());
    }

    /** Whether the claimed version already says all this read found, including when to read next. */
    static boolean nothingNew(Task claimed, RunwayTask seen, Duration gap) {
        if (!Objects.equals(claimed.runway().status(), seen.status()) || !Objects.equals(claimed.runway().progress(), seen.progress())
                || claimed.stateReason() != null
                || claimed.leaseUntil() == null || claimed.dueAt() == null
                || !claimed.dueAt().equals(claimed.leaseUntil())) {
            return false;
        }
        long held = Duration.between(claimed.updatedAt(), claimed.leaseUntil()).toMillis();
        long next = gap.toMillis();
        return next >= held * GAP_LOWER && next <= held * GAP_UPPER;
    }

    private Outcome failed(AtomicReference<Task> current, RunwayTask seen, Long credits, Instant now) {
        Task claimed = current.get();
        String code = seen.failureCode();
        String failure = seen.failure() == null || seen.failure().isBlank() ? "Runway reported a failure" : seen.failure();
        List<Attempt> attempts = settleLast(claimed, AttemptOutcome.FAILED, code, failure);
        int created = createdCount(claimed);
        boolean retryable = policy.retryableFailures().retryable(code);
        Duration wait = schedule.backoff(null, null);
        boolean beforeDeadline = claimed.request().deadline() == null || now.plus(wait).isBefore(claimed.request().deadline());
        if (retryable && created < policy.maxAttempts() && beforeDeadline) {
            return write(current, claimed.next(now).state(TaskState.ACCEPTED)
                    .runwayTaskId(null).runwayStatus(null).progress(null).pollGap(null).waitedUntil(null)
                    .actualCredits(credits)
                    .attempts(attempts)
                    .stateReason("Runway task " + claimed.runway().taskId() + " failed ("
                            + (code == null ? "no failure code" : code) + "); creating attempt " + (created + 1)
                            + " of " + policy.maxAttempts())
                    .dueAt(now.plus(wait))
                    .withoutLease().build());
        }
        String why = !retryable ? "" : created >= policy.maxAttempts()
                ? " (after " + created + " attempts, the most allowed)"
                : " (no time left before the deadline for another attempt)";
        return write(current, claimed.next(now).state(TaskState.FAILED)
                .runwayStatus(RunwayStatus.FAILED).progress(null)
                .actualCredits(credits)
                .attempts(attempts)
                .failure(failure + why)
                .failureCode(code)
                .nodeErrorsJson(seen.nodeErrorsJson())
                .stateReason(null)
                .dueAt(null).withoutLease().build());
    }

    private Outcome expire(AtomicReference<Task> current, Instant now, Duration previousWait) {
        Task claimed = current.get();
        Task.Builder next;
        if (claimed.state() == TaskState.SUBMITTED && claimed.runway().taskId() != null) {
            CancelOutcome cancelled = runway.cancel(claimed.request().endpoint(), claimed.runway().taskId());
            if (cancelled instanceof CancelOutcome.Unavailable unavailable) {
                return reschedule(current, clock.instant(), unavailable.reason() + " (cancelling after the deadline)",
                        unavailable.retryAfter(), previousWait);
            }
            next = claimed.next(clock.instant())
                    .attempts(settleLast(claimed, AttemptOutcome.CANCELLED, null, "cancelled: the deadline passed"))
                    .runwayStatus(RunwayStatus.CANCELLED)
                    .failure("The deadline " + claimed.request().deadline() + " passed before the task finished;"
                            + " its Runway task was cancelled");
        } else {
            Attempt last = claimed.lastAttempt();
            boolean maybeCreated = last != null && last.is(AttemptOutcome.IN_FLIGHT);
            next = (maybeCreated ? markAmbiguous(claimed, now, last)
                    .possibleOrphanCredits(claimed.runway().possibleOrphanCredits() + creation.countOrphan(claimed))
                    : claimed.next(now))
                    .failure("The deadline " + claimed.request().deadline() + " passed before the task started"
                            + (maybeCreated ? "; a create may have reached Runway and could not be cancelled"
                            + " (its id is unknown)" : ""));
        }
        return write(current, next.state(TaskState.EXPIRED)
                .failureCode(Poller.DEADLINE_EXCEEDED)
                .progress(null)
                .dueAt(null).withoutLease().build());
    }

    private Outcome reschedule(AtomicReference<Task> current, Instant now, String reason, Duration retryAfter,
                               Duration previousWait) {
        Task claimed = current.get();
        Duration wait = schedule.backoff(previousWait, retryAfter);
        Outcome outcome = write(current, claimed.next(now)
                .backingOff(UNAVAILABLE_PREFIX + reason, wait)
                .dueAt(now.plus(wait))
                .withoutLease().build());
        return outcome == Outcome.ADVANCED ? Outcome.UNAVAILABLE : outcome;
    }

    /**
     * Replaces {@code current} with {@code next}; when the store reports a conflict, reads the task
     * back in case the conflict was with this very write: an SDK that retried a write which had
     * in fact succeeded sees its own version and reports a failed condition.
     */
    static boolean replaced(TaskRepository tasks, Task current, Task next) {
        if (tasks.replace(current, next)) {
            return true;
        }
        return tasks.find(next.id())
                .filter(stored -> stored.version() == next.version()
                        && stored.updatedAt().equals(next.updatedAt())
                        && Objects.equals(stored.leaseOwner(), next.leaseOwner()))
                .isPresent();
    }

    /** A create left IN_FLIGHT when the deadline passed: it may have reached Runway, and the task ends without it. */
    private static Task.Builder markAmbiguous(Task task, Instant now, Attempt inFlight) {
        List<Attempt> attempts = new ArrayList<>(task.runway().attempts());
        attempts.set(attempts.size() - 1, new Attempt(inFlight.number(), null, inFlight.startedAt(),
                AttemptOutcome.AMBIGUOUS, null,
                "the process sending the create stopped before recording its result"));
        return task.next(now)
                .attempts(attempts)
                .stateReason(TaskCreation.AMBIGUOUS)
                .failure("A create sent at " + inFlight.startedAt() + " was never answered on record; a Runway task"
                        + " may exist, so it is not sent again (no second task is billed)")
                .dueAt(null);
    }

    /** The attempts with the latest one marked as Runway finished it. */
    private static List<Attempt> settleLast(Task task, AttemptOutcome outcome, String failureCode, String failure) {
        List<Attempt> attempts = new ArrayList<>(task.runway().attempts());
        if (attempts.isEmpty()) {
            return attempts;
        }
        Attempt last = attempts.get(attempts.size() - 1);
        attempts.set(attempts.size() - 1,
                new Attempt(last.number(), last.runwayTaskId(), last.startedAt(), outcome, failureCode, failure));
        return attempts;
    }

    /** Runway tasks created so far (the ones that got an id). */
    private static int createdCount(Task task) {
        return (int) task.runway().attempts().stream().filter(a -> a.runwayTaskId() != null).count();
    }

    /** Credits charged across attempts: a retried task costs what each of its Runway tasks cost. */
    private static Long addCredits(Long sofar, Long more) {
        if (more == null) {
            return sofar;
        }
        return sofar == null ? more : sofar + more;
    }

    private Outcome write(AtomicReference<Task> current, Task next) {
        Task before = current.get();
        if (!replaced(tasks, before, next)) {
            return Outcome.LOST;
        }
        current.set(next);
        if (before.state() != next.state()) {
            counters.transitions.increment();
        }
        if (before.state() != next.state() || !Objects.equals(before.runway().status(), next.runway().status())) {
            log.transition(runId, before, next);
        }
        if (!before.state().isTerminal() && next.state().isTerminal()) {
            settle(next);
        }
        return Outcome.ADVANCED;
    }

    /**
     * Settles the app's reservation. Settling is idempotent; when it fails (or the process stops
     * before it) the task is already finished, and the notifier settles it from the stream.
     */
    private void settle(Task ended) {
        try {
            ledger.settle(Settlement.of(ended));
        } catch (RuntimeException e) {
            log.problem(runId, ended.id(), e);
        }
    }
}
