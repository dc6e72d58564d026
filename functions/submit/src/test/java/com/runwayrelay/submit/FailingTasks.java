package com.runwayrelay.submit;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An in-memory task repository whose inserts or replacements fail, as a throttled table would. */
final class FailingTasks implements TaskRepository {
    private final TaskRepository delegate = new InMemoryTaskRepository(8);
    private final boolean failInsert;
    private final boolean failReplace;

    FailingTasks(boolean failInsert, boolean failReplace) {
        this.failInsert = failInsert;
        this.failReplace = failReplace;
    }

    @Override
    public void insert(Task task) {
        if (failInsert) {
            throw new IllegalStateException("table unavailable");
        }
        delegate.insert(task);
    }

    @Override
    public Optional<Task> find(String id) {
        return delegate.find(id);
    }

    @Override
    public boolean replace(Task current, Task next) {
        if (failReplace) {
            throw new IllegalStateException("throttled");
        }
        return delegate.replace(current, next);
    }

    @Override
    public List<DueTask> due(int shard, Instant now, int limit) {
        return delegate.due(shard, now, limit);
    }

    @Override
    public int shards() {
        return delegate.shards();
    }
}
