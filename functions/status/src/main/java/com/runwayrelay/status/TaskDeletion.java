package com.runwayrelay.status;

import com.runwayrelay.aws.log.JsonLog;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.ArchiveAccess;
import com.runwayrelay.domain.gateway.TaskCancellation;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.runway.RunwayGateway;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code DELETE /v1/tasks/{id}}, Runway's semantics: an unfinished task is cancelled, a finished
 * one deleted; either way it is gone for the app afterwards (not found on read and on a repeat
 * delete). What became of the request is an {@link Outcome}, which {@link StatusApi} answers with.
 *
 * <p>The work is the domain's {@link TaskCancellation#deleteForApp} (shared with the operator's
 * cancel): Runway first, then our archived copies, then a conditional write, then settlement.
 */
final class TaskDeletion {
    private final TaskCancellation cancellation;

    TaskDeletion(TaskRepository tasks, RunwayGateway runway, ArchiveAccess archive, UsageLedger ledger, Clock clock) {
        this.cancellation = new TaskCancellation(tasks, runway, archive, ledger, clock);
    }

    Outcome delete(App app, String taskId) {
        return switch (cancellation.deleteForApp(app.id(), taskId)) {
            case TaskCancellation.Outcome.Ended ended -> {
                Task written = ended.task();
                JsonLog.STDOUT.event("status.deleted").taskId(written.id()).appId(written.appId())
                        .runwayTaskId(written.runway().taskId()).state(written.state().name()).info();
                yield new Outcome.Deleted();
            }
            case TaskCancellation.Outcome.NotFound notFound -> new Outcome.NotFound();
            case TaskCancellation.Outcome.AlreadyEnded ended ->
                    throw new IllegalStateException("the app's delete ends finished tasks too; only the operator's cancel answers AlreadyEnded");
            case TaskCancellation.Outcome.RunwayUnavailable u -> new Outcome.RunwayUnavailable(u.reason(), u.retryAfter());
            case TaskCancellation.Outcome.Busy busy -> new Outcome.Busy();
        };
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
