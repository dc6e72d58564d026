package com.runwayrelay.domain.memory;

import com.runwayrelay.domain.DueShards;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskAlreadyExistsException;
import com.runwayrelay.domain.TaskRepository;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link TaskRepository} in a map, with the same conditional semantics as the DynamoDB one.
 * For unit tests and benchmarks; thread-safe.
 */
public final class InMemoryTaskRepository implements TaskRepository {
    private final ConcurrentMap<String, Task> tasks = new ConcurrentHashMap<>();
    private final int shards;

    public InMemoryTaskRepository(int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be >= 1");
        }
        this.shards = shards;
    }

    @Override
    public void insert(Task task) {
        if (tasks.putIfAbsent(task.id(), task) != null) {
            throw new TaskAlreadyExistsException(task.id());
        }
    }

    @Override
    public Optional<Task> find(String id) {
        return Optional.ofNullable(tasks.get(id));
    }

    @Override
    public boolean replace(Task current, Task next) {
        TaskRepository.checkSuccessor(current, next);
        boolean[] written = {false};
        tasks.computeIfPresent(current.id(), (id, stored) -> {
            if (stored.version() == current.version()) {
                written[0] = true;
                return next;
            }
            return stored;
        });
        return written[0];
    }

    @Override
    public List<DueTask> due(int shard, Instant now, int limit) {
        return tasks.values().stream()
                .filter(t -> t.dueAt() != null && !t.dueAt().isAfter(now))
                .filter(t -> DueShards.shardOf(t.id(), shards) == shard)
                .sorted(Comparator.comparing(Task::dueAt))
                .limit(limit)
                .map(t -> new DueTask(t.id(), t.dueAt()))
                .toList();
    }

    @Override
    public int shards() {
        return shards;
    }

    /** Every task stored, in no particular order. */
    public List<Task> all() {
        return List.copyOf(tasks.values());
    }
}
