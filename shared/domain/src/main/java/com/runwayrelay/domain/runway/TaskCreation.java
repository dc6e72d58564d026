package com.runwayrelay.domain.runway;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.UsageLedger.Admission;
import com.runwayrelay.domain.gateway.UsageLedger.OrphanReservation;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import com.runwayrelay.domain.runway.RunwayGateway.CreateOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One Runway create for an ACCEPTED task, and the task's next version for each outcome. Shared
 * by the submit function (first try) and the poller (later tries), so both record attempts and
 * treat ambiguity the same way.
 *
 * <p><b>Write-ahead.</b> The caller must have written the task (ACCEPTED, with the attempt about
 * to be made counted by {@link #begin}) <em>before</em> calling {@link #send}: a crash between the
 * create and the write of its result then leaves a visible in-flight attempt rather than an
 * unknown task.
 *
 * <p><b>Ambiguity.</b> A create that may or may not have made a Runway task (its answer was lost,
 * or its sender stopped: {@link #abandoned}) is resolved by the task's
 * {@link AmbiguousCreatePolicy}. Either way the attempt is marked {@code AMBIGUOUS}, its estimate
 * is added to {@link Task.RunwaySide#possibleOrphanCredits()} and counted in the app's usage as a possible
 * orphan ({@link UsageLedger#reserveOrphan}). With {@code FAIL} (or when a retry is not allowed)
 * the task ends FAILED with failure code {@value #AMBIGUOUS_FAILURE_CODE} and reason {@link #AMBIGUOUS}
 * (terminal, so the app gets its {@code task.failed} webhook), and its own reservation is settled
 * at zero (the orphan's count replaces it). Older records may still hold such a task as ACCEPTED
 * with reason {@link #AMBIGUOUS}; readers treat both alike. With {@code RETRY_ONCE}, once
 * per task and only when the app's budget can hold the orphan's estimate on top, the task stays
 * ACCEPTED with reason {@link #AMBIGUOUS_RETRY}, due at once, and its reservation covers the next
 * create.
 */
public final class TaskCreation {
    /** Reason recorded on a task whose create may or may not have reached Runway, and which is not created again. */
    public static final String AMBIGUOUS = "AMBIGUOUS_CREATE";
    /** Reason recorded on a task created again after an ambiguous create (policy {@code retry-once}). */
    public static final String AMBIGUOUS_RETRY = "AMBIGUOUS_CREATE_RETRY";
    /**
     * Start of the reason recorded on a task whose create or read could not reach Runway; the wait
     * chosen before the next try is {@link Task.RunwaySide#backoff()}.
     */
    public static final String UNAVAILABLE = "Runway unavailable: ";
    /** Failure code of a task that ends because its create may or may not have reached Runway. */
    public static final String AMBIGUOUS_FAILURE_CODE = "RELAY.AMBIGUOUS_CREATE";

    private final RunwayGateway runway;
    private final UsageLedger ledger;

    /**
     * @param ledger counts possible orphans and settles tasks an ambiguous create ends
     */
    public TaskCreation(RunwayGateway runway, UsageLedger ledger) {
        this.runway = Objects.requireNonNull(runway, "runway");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /**
     * The version to write before sending: a new IN_FLIGHT attempt is appended, so a crash after
     * the create leaves evidence that one may exist. A task whose last attempt is still
     * IN_FLIGHT must not be sent again: see {@link #mayCreate}.
     */
    public static Task begin(Task accepted, Instant now) {
        requireAccepted(accepted);
        List<Attempt> attempts = new ArrayList<>(accepted.runway().attempts());
        attempts.add(new Attempt(attempts.size() + 1, null, now, AttemptOutcome.IN_FLIGHT, null, null));
        return accepted.next(now).attempts(attempts).build();
    }

    /**
     * Whether a create may be sent for this task: ACCEPTED, not marked ambiguous, and with no
     * attempt left in flight by a crashed run.
     */
    public static boolean mayCreate(Task task) {
        Attempt last = task.lastAttempt();
        return task.state() == TaskState.ACCEPTED && !AMBIGUOUS.equals(task.stateReason())
                && (last == null || !last.is(AttemptOutcome.IN_FLIGHT));
    }

    /** Whether the task's last attempt was sent and never answered on record. */
    public static boolean inFlight(Task task) {
        Attempt last = task.lastAttempt();
        return last != null && last.is(AttemptOutcome.IN_FLIGHT);
    }

    /**
     * Sends the create for a task written by {@link #begin} and returns Runway's answer (which a
     * caller answering for the create, like the submit function, needs whole) with the task's next
     * version: SUBMITTED with the Runway id; FAILED when Runway rejected the request; ACCEPTED and
     * due again later when nothing was created; after an ambiguous create, as the task's policy
     * says (see the class comment).
     *
     * @param retryDelay how long to wait before the next try after a clear failure without a retry-after
     */
    public Sent send(Task begun, Instant now, Duration retryDelay) {
        requireAccepted(begun);
        Attempt inFlight = begun.lastAttempt();
        if (inFlight == null || !inFlight.is(AttemptOutcome.IN_FLIGHT)) {
            throw new IllegalStateException("task " + begun.id() + " has no attempt in flight; call begin first");
        }
        CreateOutcome outcome = runway.create(begun.request().endpoint(), begun.request().json());
        Task.Builder next = begun.next(now);
        return new Sent(outcome, switch (outcome) {
            case CreateOutcome.Created created -> next.state(TaskState.SUBMITTED)
                    .runwayTaskId(created.runwayTaskId())
                    .runwayStatus(RunwayStatus.PENDING)
                    .routingJson(created.routingJson())
                    .attempts(replaceLast(begun, inFlight, created.runwayTaskId(), AttemptOutcome.CREATED, null, null))
                    .stateReason(null)
                    .dueAt(now.plusSeconds(5))
                    .build();
            case CreateOutcome.Rejected rejected -> next.state(TaskState.FAILED)
                    .attempts(replaceLast(begun, inFlight, null, AttemptOutcome.REJECTED, "RUNWAY.BAD_REQUEST", rejected.error()))
                    .failure("Runway rejected the request: " + rejected.error())
                    .failureCode("RUNWAY.BAD_REQUEST")
                    .dueAt(null)
                    .build();
            case CreateOutcome.Unavailable unavailable -> {
                Duration wait = unavailable.retryAfter() != null ? unavailable.retryAfter() : retryDelay;
                yield next.attempts(replaceLast(begun, inFlight, null, AttemptOutcome.NOT_CREATED, null,
                                unavailable.reason()))
                        .backingOff(UNAVAILABLE + unavailable.reason(), wait)
                        .dueAt(now.plus(wait))
                        .build();
            }
            case CreateOutcome.Ambiguous ambiguous -> resolve(begun, next, inFlight, ambiguous.reason(), now);
        });
    }

    /**
     * One create sent: Runway's answer and the task's next version.
     *
     * @param outcome what Runway answered
     * @param next    the task's next version, to write
     */
    public record Sent(CreateOutcome outcome, Task next) {
        public Sent {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(next, "next");
        }
    }

    /**
     * The next version of an ACCEPTED task whose last create is IN_FLIGHT and whose sender has
     * surely stopped (its lease or grace ended): the create may have reached Runway, so it is
     * resolved like any ambiguous create.
     */
    public Task abandoned(Task task, Instant now) {
        requireAccepted(task);
        Attempt inFlight = task.lastAttempt();
        if (inFlight == null || !inFlight.is(AttemptOutcome.IN_FLIGHT)) {
            throw new IllegalStateException("task " + task.id() + " has no attempt in flight");
        }
        return resolve(task, task.next(now), inFlight,
                "the process sending the create stopped before recording its result", now);
    }

    /**
     * Counts the in-flight create of a task that ends without it (its deadline passed) as a
     * possible orphan, unconditionally, and returns the credits to add to the task's
     * {@link Task.RunwaySide#possibleOrphanCredits()}.
     */
    public long countOrphan(Task task) {
        Attempt inFlight = task.lastAttempt();
        ledger.reserveOrphan(new OrphanReservation(task.appId(), task.id(), inFlight.number(), task.createdAt(),
                task.request().estimatedCredits(), null, task.request().model()));
        return task.request().estimatedCredits();
    }

    /** Whether this version is waiting for the one create {@code retry-once} allows after an ambiguous one. */
    public static boolean retryingAmbiguous(Task task) {
        return task.state() == TaskState.ACCEPTED && AMBIGUOUS_RETRY.equals(task.stateReason())
                && task.lastAttempt() != null && task.lastAttempt().is(AttemptOutcome.AMBIGUOUS);
    }

    /**
     * A version from {@link #send} (its {@code next}) or {@link #abandoned} that chose to create again
     * ({@link #retryingAmbiguous}), turned into one that does not, because the caller cannot make
     * that create ({@code why}). The orphan's count stays; the task's own reservation is settled
     * at zero, as under {@code fail}.
     */
    public Task withoutRetry(Task retrying, String why) {
        if (!retryingAmbiguous(retrying)) {
            throw new IllegalStateException("task " + retrying.id() + " is not waiting for a retry-once create");
        }
        ledger.settle(Settlement.of(retrying, 0));
        Attempt last = retrying.lastAttempt();
        return retrying.toBuilder()
                .state(TaskState.FAILED)
                .failureCode(AMBIGUOUS_FAILURE_CODE)
                .stateReason(AMBIGUOUS)
                .failure("The create request may have reached Runway (" + last.failure() + "); it is not repeated"
                        + " (" + why + ")")
                .dueAt(null)
                .build();
    }

    private Task resolve(Task task, Task.Builder next, Attempt inFlight, String reason, Instant now) {
        long credits = task.request().estimatedCredits();
        List<Attempt> attempts = replaceLast(task, inFlight, null, AttemptOutcome.AMBIGUOUS, null, reason);
        long orphans = task.runway().possibleOrphanCredits() + credits;
        String refused = retryRefusal(task);
        if (refused == null) {
            Admission held = ledger.reserveOrphan(new OrphanReservation(task.appId(), task.id(), inFlight.number(),
                    task.createdAt(), credits, task.request().admittedBudget(), task.request().model()));
            if (held instanceof Admission.Admitted) {
                return next.attempts(attempts)
                        .possibleOrphanCredits(orphans)
                        .stateReason(AMBIGUOUS_RETRY)
                        .failure(null)
                        .dueAt(now)
                        .build();
            }
            Admission.OverBudget over = (Admission.OverBudget) held;
            refused = "retry-once did not create again: the app's daily budget (" + over.dailyBudget() + ", "
                    + over.usedCredits() + " used) cannot also hold the possible orphan's " + credits + " credits";
        }
        // Counted unconditionally: the task's own reservation, settled at zero right after, held these credits.
        ledger.reserveOrphan(new OrphanReservation(task.appId(), task.id(), inFlight.number(), task.createdAt(),
                credits, null, task.request().model()));
        ledger.settle(Settlement.of(task, 0));
        return next.attempts(attempts)
                .possibleOrphanCredits(orphans)
                .state(TaskState.FAILED)
                .failureCode(AMBIGUOUS_FAILURE_CODE)
                .stateReason(AMBIGUOUS)
                .failure("The create request may have reached Runway (" + reason + "); it is not repeated, so no"
                        + " second task is billed" + (refused.isEmpty() ? "" : " (" + refused + ")"))
                .dueAt(null)
                .build();
    }

    /** Why the task may not be created again after an ambiguous create: null when it may, "" under {@code fail}. */
    private static String retryRefusal(Task task) {
        if (task.request().ambiguousCreates() != AmbiguousCreatePolicy.RETRY_ONCE) {
            return "";
        }
        if (task.runway().attempts().stream().filter(a -> a.is(AttemptOutcome.AMBIGUOUS)).count() > 0) {
            return "retry-once already created again once after an ambiguous create";
        }
        if (task.request().admittedBudget() == null) {
            return "retry-once needs the app's budget on the task, which this older task lacks";
        }
        return null;
    }

    private static List<Attempt> replaceLast(Task task, Attempt inFlight, String runwayTaskId, AttemptOutcome outcome,
                                             String failureCode, String failure) {
        List<Attempt> attempts = new ArrayList<>(task.runway().attempts());
        attempts.set(attempts.size() - 1,
                new Attempt(inFlight.number(), runwayTaskId, inFlight.startedAt(), outcome, failureCode, failure));
        return attempts;
    }

    private static void requireAccepted(Task task) {
        if (task.state() != TaskState.ACCEPTED) {
            throw new IllegalStateException("task " + task.id() + " is " + task.state() + ", not ACCEPTED");
        }
    }
}
