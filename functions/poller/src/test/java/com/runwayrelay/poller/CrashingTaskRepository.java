package com.runwayrelay.poller;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a poller killed in the middle of its run leaves behind: its claims (and the IN_FLIGHT
 * attempts written before creates) reach the table, nothing written after that does.
 */
final class CrashingTaskRepository implements TaskRepository {
    private final TaskRepository tasks;

    CrashingTaskRepository(TaskRepository tasks) {
        this.tasks = tasks;
    }

    @Override
    public void insert(Task task) {
        tasks.insert(task);
    }

    @Override
    public Optional<Task> find(String id) {
        return tasks.find(id);
    }

    @Override
    public boolean replace(Task current, Task next) {
        if (next.leaseOwner() == null) {
            throw new IllegalStateException("the poller process was killed before this write");
        }
        return tasks.replace(current, next);
    }

    @Override
    public List<DueTask> due(int shard, Instant now, int limit) {
        return tasks.due(shard, now, limit);
    }

    @Override
    public int shards() {
        return tasks.shards();
    }
}
