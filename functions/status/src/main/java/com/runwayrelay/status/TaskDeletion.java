package com.runwayrelay.status;

import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.Problem;
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
 * one deleted; either way it is gone for the app afterwards (404 on read and on a repeat delete).
 *
 * <p>Order: cancel (or delete) at Runway first — if Runway cannot be reached the answer is 503 and
 * nothing changed, so a retry does it all; then delete our archived copies; then mark the task
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

    ApiResponse delete(App app, String taskId) {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            Task task = tasks.find(taskId).filter(t -> TaskVisibility.visibleTo(t, app.id())).orElse(null);
            if (task == null) {
                return Problem.taskNotFound().response();
            }
            if (task.runwayTaskId() != null
                    && runway.cancel(task.runwayTaskId()) instanceof CancelOutcome.Unavailable unavailable) {
                return Problem.of(503, "runway-unavailable", "Runway unavailable",
                                "Runway could not be reached to cancel the task (" + unavailable.reason() + "); try again")
                        .withRetryAfter(unavailable.retryAfter() != null ? unavailable.retryAfter() : Duration.ofSeconds(5))
                        .response();
            }
            archive.delete(task.archive().stream().map(ArchiveRecord::key).toList());
            Instant now = clock.instant();
            boolean finished = task.state().isTerminal();
            Task.Builder next = task.next(now).stateReason(TaskVisibility.DELETED).archive(List.of()).withoutLease();
            if (!finished) {
                next.state(TaskState.CANCELLED).dueAt(null);
            }
            if (tasks.replace(task, next.build())) {
                ledger.settle(Settlement.of(task, settledCredits(task)));
                return ApiResponse.noContent();
            }
        }
        return Problem.of(503, "busy", "Task busy", "The task kept changing while being deleted; try again")
                .withRetryAfter(Duration.ofSeconds(1)).response();
    }

    /**
     * What the task counts against the budget once deleted: Runway's charge when known; for a task
     * Runway finished successfully without reporting a charge, its estimate; for a task cancelled
     * before it finished (Runway refunds those) or that failed, nothing.
     */
    static long settledCredits(Task task) {
        if (task.actualCredits() != null) {
            return task.actualCredits();
        }
        return task.state() == TaskState.ARCHIVED || task.state() == TaskState.OUTPUT_READY ? task.estimatedCredits() : 0;
    }
}
