package com.runwayrelay.domain.runway;

import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.runway.RunwayGateway.CreateOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One Runway create for an ACCEPTED task, and the task's next version for each outcome. Shared
 * by the submit function (first try) and the poller (later tries), so both record attempts and
 * treat ambiguity the same way.
 *
 * <p>The caller must have written the task (ACCEPTED, with the attempt about to be made counted
 * by {@link #begin}) <em>before</em> calling {@link #send}: a crash between the create and the
 * write of its result then leaves a visible in-flight attempt rather than an unknown task.
 */
public final class TaskCreation {
    /** Reason recorded on a task whose create may or may not have reached Runway. */
    public static final String AMBIGUOUS = "AMBIGUOUS_CREATE";
    /** Outcome recorded on an attempt started but not yet answered. */
    public static final String IN_FLIGHT = "IN_FLIGHT";

    private final RunwayGateway runway;

    public TaskCreation(RunwayGateway runway) {
        this.runway = runway;
    }

    /**
     * The version to write before sending: a new IN_FLIGHT attempt is appended, so a crash after
     * the create leaves evidence that one may exist. A task whose last attempt is still
     * IN_FLIGHT must not be sent again: see {@link #mayCreate}.
     */
    public static Task begin(Task accepted, Instant now) {
        requireAccepted(accepted);
        List<Attempt> attempts = new ArrayList<>(accepted.attempts());
        attempts.add(new Attempt(attempts.size() + 1, null, now, IN_FLIGHT, null, null));
        return accepted.next(now).attempts(attempts).build();
    }

    /**
     * Whether a create may be sent for this task: ACCEPTED, not marked ambiguous, and with no
     * attempt left in flight by a crashed run.
     */
    public static boolean mayCreate(Task task) {
        Attempt last = task.lastAttempt();
        return task.state() == TaskState.ACCEPTED && !AMBIGUOUS.equals(task.stateReason())
                && (last == null || !IN_FLIGHT.equals(last.outcome()));
    }

    /**
     * Sends the create for a task written by {@link #begin} and returns its next version:
     * SUBMITTED with the Runway id; FAILED when Runway rejected the request; ACCEPTED and due
     * again later when nothing was created; ACCEPTED, out of the due index and marked
     * {@link #AMBIGUOUS} when a task may exist.
     *
     * @param retryDelay how long to wait before the next try after a clear failure without a retry-after
     */
    public Task send(Task begun, Instant now, Duration retryDelay) {
        requireAccepted(begun);
        Attempt inFlight = begun.lastAttempt();
        if (inFlight == null || !IN_FLIGHT.equals(inFlight.outcome())) {
            throw new IllegalStateException("task " + begun.id() + " has no attempt in flight; call begin first");
        }
        CreateOutcome outcome = runway.create(begun.endpoint(), begun.requestJson());
        Task.Builder next = begun.next(now);
        return switch (outcome) {
            case CreateOutcome.Created created -> next.state(TaskState.SUBMITTED)
                    .runwayTaskId(created.runwayTaskId())
                    .runwayStatus("PENDING")
                    .attempts(replaceLast(begun, inFlight, created.runwayTaskId(), "CREATED", null, null))
                    .stateReason(null)
                    .dueAt(now.plusSeconds(5))
                    .build();
            case CreateOutcome.Rejected rejected -> next.state(TaskState.FAILED)
                    .attempts(replaceLast(begun, inFlight, null, "REJECTED", "RUNWAY.BAD_REQUEST", rejected.error()))
                    .failure("Runway rejected the request: " + rejected.error())
                    .failureCode("RUNWAY.BAD_REQUEST")
                    .dueAt(null)
                    .build();
            case CreateOutcome.Unavailable unavailable -> next
                    .attempts(replaceLast(begun, inFlight, null, "NOT_CREATED", null, unavailable.reason()))
                    .stateReason("Runway unavailable: " + unavailable.reason())
                    .dueAt(now.plus(unavailable.retryAfter() != null ? unavailable.retryAfter() : retryDelay))
                    .build();
            case CreateOutcome.Ambiguous ambiguous -> next
                    .attempts(replaceLast(begun, inFlight, null, "AMBIGUOUS", null, ambiguous.reason()))
                    .stateReason(AMBIGUOUS)
                    .failure("The create request may have reached Runway (" + ambiguous.reason()
                            + "); it is not repeated, so no second task is billed")
                    .dueAt(null)
                    .build();
        };
    }

    private static List<Attempt> replaceLast(Task task, Attempt inFlight, String runwayTaskId, String outcome,
                                             String failureCode, String failure) {
        List<Attempt> attempts = new ArrayList<>(task.attempts());
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
