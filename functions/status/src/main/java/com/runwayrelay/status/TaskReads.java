package com.runwayrelay.status;

import com.runwayrelay.aws.gateway.TaskWait;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.TaskVisibility;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code GET /v1/tasks/{id}}: the app's own task, which {@link StatusApi} shows Runway-shaped with
 * links signed afresh; anyone else's, or a deleted one, is not found.
 *
 * <p>A read may wait ({@code Prefer: wait=N}) for the task to end: it re-reads the stored task, with a
 * growing pause between reads, until the app would see it end (SUCCEEDED only once its outputs are
 * archived, so with links; FAILED; CANCELLED) or the wait is
 * over. It rides on what the poller and the archiver write; it never asks Runway itself.
 */
final class TaskReads {
    /** The longest wait a read may hold: API Gateway's 30 s integration limit minus a margin. */
    static final Duration MAX_WAIT = TaskWait.MAX_WAIT;
    /** The first pause between two reads of a waited-for task; each next one is half as long again. */
    static final Duration FIRST_PAUSE = TaskWait.FIRST_PAUSE;
    /** The longest pause between two reads. */
    static final Duration MAX_PAUSE = TaskWait.MAX_PAUSE;

    private final TaskWait waits;

    /**
     * @param clock   measures a wait
     * @param sleeper pauses between reads of a waited-for task ({@code Thread::sleep} in production)
     */
    TaskReads(TaskRepository tasks, Clock clock, Sleeper sleeper) {
        Objects.requireNonNull(sleeper, "sleeper");
        this.waits = new TaskWait(tasks, clock, sleeper::sleep);
    }

    Outcome get(App app, String taskId) {
        return get(app, taskId, Duration.ZERO);
    }

    /**
     * The task, once the app sees it ended ({@link com.runwayrelay.aws.gateway.WireTask#status}) or {@code wait} (at most {@link #MAX_WAIT}) has passed, whichever
     * comes first. A task the app may not see is not found at once, and so is one deleted meanwhile.
     * An interrupted wait answers with the task as last read.
     */
    Outcome get(App app, String taskId, Duration wait) {
        return waits.await(taskId, task -> TaskVisibility.visibleTo(task, app.id()), wait)
                .<Outcome>map(Outcome.Found::new).orElseGet(Outcome.NotFound::new);
    }

    /** Pauses; {@code Thread::sleep} in production, a clock-advancing fake in tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** What a read found, free of HTTP. */
    sealed interface Outcome {
        /** The app's task, as stored. */
        record Found(Task task) implements Outcome {
        }

        /** No task of this id that the app may see. */
        record NotFound() implements Outcome {
        }
    }
}
