package com.runwayrelay.domain.gateway;

import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway.CancelOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Ending a task from outside: the app's {@code DELETE /v1/tasks/{id}} ({@link #deleteForApp}) and the
 * operator's cancel ({@link #cancelForOperator}). Both follow one order:
 * cancel (or delete) at Runway first — if Runway cannot be reached the outcome is
 * {@link Outcome.RunwayUnavailable} and nothing changed, so a retry does it all; then (app delete only)
 * delete our archived copies; then mark the task with a conditional write, re-reading and starting over
 * when another writer got there first; finally settle the app's budget (idempotent).
 *
 * <p>The app's delete follows Runway: an unfinished task is cancelled, a finished one deleted, and
 * either way it is gone for the app afterwards ({@link TaskVisibility#DELETED}). The operator's cancel
 * only cancels an unfinished task ({@link #CANCELLED_BY_OPERATOR} as its reason); the app still sees
 * it, as CANCELLED, and gets its webhook; a finished task is {@link Outcome.AlreadyEnded} and unchanged.
 */
public final class TaskCancellation {
    /** {@link Task#stateReason()} of a task the operator cancelled. */
    public static final String CANCELLED_BY_OPERATOR = "CANCELLED_BY_OPERATOR";

    private static final int TRIES = 5;
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final TaskRepository tasks;
    private final RunwayGateway runway;
    private final ArchiveAccess archive;
    private final UsageLedger ledger;
    private final Clock clock;

    public TaskCancellation(TaskRepository tasks, RunwayGateway runway, ArchiveAccess archive, UsageLedger ledger,
                            Clock clock) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.runway = Objects.requireNonNull(runway, "runway");
        this.archive = Objects.requireNonNull(archive, "archive");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The app's delete: cancels an unfinished task, deletes a finished one's archived outputs, and hides
     * the task from the app.
     *
     * @return {@link Outcome.Ended}, {@link Outcome.NotFound} (no such task visible to the app),
     *         {@link Outcome.RunwayUnavailable} or {@link Outcome.Busy}
     */
    public Outcome deleteForApp(String appId, String taskId) {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            Task task = tasks.find(taskId).filter(t -> TaskVisibility.visibleTo(t, appId)).orElse(null);
            if (task == null) {
                return new Outcome.NotFound();
            }
            Outcome unavailable = cancelAtRunway(task);
            if (unavailable != null) {
                return unavailable;
            }
            archive.delete(task.archive().records().stream().map(ArchiveRecord::key).toList());
            Task.Builder next = task.next(clock.instant()).stateReason(TaskVisibility.DELETED).archive(List.of())
                    .withoutLease();
            if (!task.state().isTerminal()) {
                next.state(TaskState.CANCELLED).dueAt(null);
            }
            Task written = next.build();
            if (tasks.replace(task, written)) {
                ledger.settle(Settlement.of(task));
                return new Outcome.Ended(written);
            }
        }
        return new Outcome.Busy();
    }

    /**
     * The operator's cancel of any app's task: an unfinished task is cancelled at Runway and marked
     * CANCELLED ({@link #CANCELLED_BY_OPERATOR}); its archive, visibility and webhook are as for any
     * cancelled task.
     *
     * @return {@link Outcome.Ended}, {@link Outcome.NotFound}, {@link Outcome.AlreadyEnded} (a terminal
     *         task; nothing changed), {@link Outcome.RunwayUnavailable} or {@link Outcome.Busy}
     */
    public Outcome cancelForOperator(String taskId) {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            Task task = tasks.find(taskId).orElse(null);
            if (task == null) {
                return new Outcome.NotFound();
            }
            if (task.state().isTerminal()) {
                return new Outcome.AlreadyEnded(task);
            }
            Outcome unavailable = cancelAtRunway(task);
            if (unavailable != null) {
                return unavailable;
            }
            Instant now = clock.instant();
            Task written = task.next(now).state(TaskState.CANCELLED).stateReason(CANCELLED_BY_OPERATOR).dueAt(null)
                    .withoutLease().build();
            if (tasks.replace(task, written)) {
                ledger.settle(Settlement.of(task));
                return new Outcome.Ended(written);
            }
        }
        return new Outcome.Busy();
    }

    /** Null when Runway has no task of ours running any more, else the outcome to answer with. */
    private Outcome cancelAtRunway(Task task) {
        if (task.runway().taskId() != null
                && runway.cancel(task.request().endpoint(), task.runway().taskId()) instanceof CancelOutcome.Unavailable unavailable) {
            return new Outcome.RunwayUnavailable(unavailable.reason(),
                    unavailable.retryAfter() != null ? unavailable.retryAfter() : DEFAULT_RETRY_AFTER);
        }
        return null;
    }

    /** What became of a cancel or delete, free of HTTP. */
    public sealed interface Outcome {
        /** Cancelled (or, for the app's delete of a finished task, deleted); {@code task} as written. */
        record Ended(Task task) implements Outcome {
        }

        /** No such task (for the app: none it may see); nothing changed. */
        record NotFound() implements Outcome {
        }

        /** The operator asked to cancel a task that had already ended; nothing changed. */
        record AlreadyEnded(Task task) implements Outcome {
        }

        /** Runway could not be reached to cancel the task; nothing changed. */
        record RunwayUnavailable(String reason, Duration retryAfter) implements Outcome {
        }

        /** The task kept changing under the request; try again. */
        record Busy() implements Outcome {
        }
    }
}
