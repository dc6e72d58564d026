package com.runwayrelay.status;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.TaskVisibility;

/**
 * {@code GET /v1/tasks/{id}}: the app's own task, which {@link StatusApi} shows Runway-shaped with
 * links signed afresh; anyone else's, or a deleted one, is not found.
 */
final class TaskReads {
    private final TaskRepository tasks;

    TaskReads(TaskRepository tasks) {
        this.tasks = tasks;
    }

    Outcome get(App app, String taskId) {
        return tasks.find(taskId)
                .filter(task -> TaskVisibility.visibleTo(task, app.id()))
                .<Outcome>map(Outcome.Found::new)
                .orElseGet(Outcome.NotFound::new);
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
