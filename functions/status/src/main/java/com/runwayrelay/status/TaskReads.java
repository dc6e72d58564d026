package com.runwayrelay.status;

import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.TaskVisibility;

/** {@code GET /v1/tasks/{id}}: the app's own task, Runway-shaped, links signed afresh; anyone else's is 404. */
final class TaskReads {
    private final TaskRepository tasks;
    private final WireTask wire;

    TaskReads(TaskRepository tasks, WireTask wire) {
        this.tasks = tasks;
        this.wire = wire;
    }

    ApiResponse get(App app, String taskId) {
        return tasks.find(taskId)
                .filter(task -> TaskVisibility.visibleTo(task, app.id()))
                .map(task -> ApiResponse.json(200, wire.render(task)))
                .orElseGet(() -> Problem.taskNotFound().response());
    }
}
