package com.runwayrelay.bench.poller;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link TaskRepository} decorator that notes, per task, when the poller first wrote the
 * result of a step (a write that ends the run's lease), and how much it read.
 */
final class AdvanceTracker implements TaskRepository {
    private final TaskRepository tasks;
    private final Set<String> advanced = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastFirstAdvanceNanos = new AtomicLong();
    private final LongAdder dueEntries = new LongAdder();
    private final Set<String> dueTasks = ConcurrentHashMap.newKeySet();
    private final LongAdder finds = new LongAdder();

    AdvanceTracker(TaskRepository tasks) {
        this.tasks = tasks;
    }

    @Override
    public void insert(Task task) {
        tasks.insert(task);
    }

    @Override
    public Optional<Task> find(String id) {
        finds.increment();
        return tasks.find(id);
    }

    @Override
    public boolean replace(Task current, Task next) {
        boolean written = tasks.replace(current, next);
        if (written && current.leaseOwner() != null && next.leaseOwner() == null && advanced.add(next.id())) {
            lastFirstAdvanceNanos.accumulateAndGet(System.nanoTime(), Math::max);
        }
        return written;
    }

    @Override
    public List<DueTask> due(int shard, Instant now, int limit) {
        List<DueTask> due = tasks.due(shard, now, limit);
        dueEntries.add(due.size());
        due.forEach(d -> dueTasks.add(d.taskId()));
        return due;
    }

    @Override
    public int shards() {
        return tasks.shards();
    }

    /** Distinct tasks advanced at least once. */
    int advanced() {
        return advanced.size();
    }

    /** {@link System#nanoTime()} of the latest first advance. */
    long lastFirstAdvanceNanos() {
        return lastFirstAdvanceNanos.get();
    }

    long dueEntries() {
        return dueEntries.sum();
    }

    /** Distinct tasks the due index returned. */
    int distinctDueTasks() {
        return dueTasks.size();
    }

    long finds() {
        return finds.sum();
    }
}
