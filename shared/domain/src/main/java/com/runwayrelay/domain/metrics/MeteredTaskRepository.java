package com.runwayrelay.domain.metrics;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.gateway.UsageLedger.Settlement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A task repository that records {@link RelayMetric#TASKS_FINISHED} and {@link RelayMetric#CREDITS_CHARGED}
 * when a write ends a task. Every writer's terminal write is conditional (an insert, or a replace on
 * the version read), so only the writer that really ended the task counts it, whichever function
 * that is; a lost race counts nothing.
 */
public final class MeteredTaskRepository implements TaskRepository {
    private final TaskRepository tasks;
    private final Metrics metrics;

    public MeteredTaskRepository(TaskRepository tasks, Metrics metrics) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void insert(Task task) {
        tasks.insert(task);
        if (task.state().isTerminal()) {
            finished(task);
        }
    }

    @Override
    public Optional<Task> find(String id) {
        return tasks.find(id);
    }

    @Override
    public boolean replace(Task current, Task next) {
        boolean replaced = tasks.replace(current, next);
        if (replaced && next.state().isTerminal() && !current.state().isTerminal()) {
            finished(next);
        }
        return replaced;
    }

    @Override
    public List<DueTask> due(int shard, Instant now, int limit) {
        return tasks.due(shard, now, limit);
    }

    @Override
    public long countActive() {
        return tasks.countActive();
    }

    @Override
    public int shards() {
        return tasks.shards();
    }

    private void finished(Task task) {
        metrics.record(RelayMetric.TASKS_FINISHED, 1, task.state().name(), RelayMetric.failureCode(task.failureCode()));
        metrics.record(RelayMetric.CREDITS_CHARGED, Settlement.creditsOf(task), task.appId());
    }
}
