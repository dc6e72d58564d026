package com.runwayrelay.status;

import com.runwayrelay.aws.log.JsonLog;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.ArchiveAccess;
import com.runwayrelay.domain.gateway.TaskVisibility;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway.CancelOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code DELETE /v1/tasks/{id}}, Runway's semantics: an unfinished task is cancelled, a finished
 * one deleted; either way it is gone for the app afterwards (not found on read and on a repeat
 * delete). What became of the request is an {@link Outcome}, which {@link StatusApi} answers with.
 *
 * <p>Order: cancel (or delete) at Runway first — if Runway cannot be reached the outcome is
 * {@link Outcome.RunwayUnavailable} and nothing changed, so a retry does it all; then delete our archived copies; then mark the task
 * (CANCELLED if it was unfinished, and {@link TaskVisibility#DELETED} in every case) with a
 * conditional write, re-reading and starting over when another writer got there first; finally
 * settle the app's budget (idempotent).
 */
final class TaskDeletion {
    private static final int TRIES = 5;

    private final TaskRepository tasks;
    private final RunwayGateway runway;
    private final ArchiveAccess archive;
    private final UsageLedger ledger;
    private final Clock clock;

    TaskDeletion(TaskRepository tasks, RunwayGateway runway, ArchiveAccess archive, UsageLedger ledger, Clock clock) {
        this.tasks = tasks;
        this.runway = runway;
        this.archive = archive;
        this.ledger = ledger;
        this.clock = clock;
    }

    Outcome delete(App app, String taskId) {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            Task task = tasks.find(taskId).filter(t -> TaskVisibility.visibleTo(t, app.id())).orElse(null);
            if (task == null) {
                return new Outcome.NotFound();
            }
            if (task.runwayTaskId() != null
                    && runway.cancel(task.runwayTaskId()) instanceof CancelOutcome.Unavailable unavailable) {
                return new Outcome.RunwayUnavailable(unavailable.reason(),
                        unavailable.retryAfter() != null ? unavailable.retryAfter() : Duration.ofSeconds(5));
            }
            archive.delete(task.archive().stream().map(ArchiveRecord::key).toList());
            Instant now = clock.instant();
            boolean finished = task.state().isTerminal();
            Task.Builder next = task.next(now).stateReason(TaskVisibility.DELETED).archive(List.of()).withoutLease();
            if (!finished) {
                next.state(TaskState.CANCELLED).dueAt(null);
            }
            Task written = next.build();
            if (tasks.replace(task, written)) {
                ledger.settle(Settlement.of(task));
                JsonLog.STDOUT.event("status.deleted").taskId(task.id()).appId(task.appId())
                        .runwayTaskId(task.runwayTaskId()).state(written.state().name())
                        .field("previousState", task.state().name()).info();
                return new Outcome.Deleted();
            }
        }
        return new Outcome.Busy();
    }

    /** What became of a delete, free of HTTP. */
    sealed interface Outcome {
        /** The task is cancelled or deleted, and gone for the app. */
        record Deleted() implements Outcome {
        }

        /** No task of this id that the app may see; nothing changed. */
        record NotFound() implements Outcome {
        }

        /** Runway could not be reached to cancel the task; nothing changed. */
        record RunwayUnavailable(String reason, Duration retryAfter) implements Outcome {
        }

        /** The task kept changing under the delete; try again. */
        record Busy() implements Outcome {
        }
    }
}
