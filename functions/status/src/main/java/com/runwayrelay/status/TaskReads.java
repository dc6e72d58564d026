package com.runwayrelay.status;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.TaskVisibility;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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
    static final Duration MAX_WAIT = Duration.ofSeconds(25);
    /** The first pause between two reads of a waited-for task; each next one is half as long again. */
    static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    /** The longest pause between two reads. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(2);

    private final TaskRepository tasks;
    private final Clock clock;
    private final Sleeper sleeper;

    /**
     * @param clock   measures a wait
     * @param sleeper pauses between reads of a waited-for task ({@code Thread::sleep} in production)
     */
    TaskReads(TaskRepository tasks, Clock clock, Sleeper sleeper) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    Outcome get(App app, String taskId) {
        return get(app, taskId, Duration.ZERO);
    }

    /**
     * The task, once the app sees it ended ({@link WireTask#status}) or {@code wait} (at most {@link #MAX_WAIT}) has passed, whichever
     * comes first. A task the app may not see is not found at once, and so is one deleted meanwhile.
     * An interrupted wait answers with the task as last read.
     */
    Outcome get(App app, String taskId, Duration wait) {
        Duration limit = wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
        Instant until = clock.instant().plus(limit);
        Duration pause = FIRST_PAUSE;
        while (true) {
            Optional<Task> found = tasks.find(taskId).filter(task -> TaskVisibility.visibleTo(task, app.id()));
            if (found.isEmpty()) {
                return new Outcome.NotFound();
            }
            Task task = found.get();
            Duration left = Duration.between(clock.instant(), until);
            if (WireTask.status(task).terminal() || left.isZero() || left.isNegative()) {
                return new Outcome.Found(task);
            }
            try {
                sleeper.sleep(pause.compareTo(left) < 0 ? pause : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.Found(task);
            }
            Duration longer = pause.plus(pause.dividedBy(2));
            pause = longer.compareTo(MAX_PAUSE) < 0 ? longer : MAX_PAUSE;
        }
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
