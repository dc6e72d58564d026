package com.runwayrelay.bench.poller;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.poll.PollLog;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link TaskRepository} decorator that notes how much the poller read and, as the run's
 * {@link PollLog} observer, when each task first had a step's outcome on record (the step's
 * write, or its claim when the read of Runway found nothing new).
 */
final class AdvanceTracker implements TaskRepository, PollLog {
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
        return tasks.replace(current, next);
    }

    @Override
    public void stepped(String runId, Task onRecord) {
        if (advanced.add(onRecord.id())) {
            lastFirstAdvanceNanos.accumulateAndGet(System.nanoTime(), Math::max);
        }
    }

    @Override
    public void transition(String runId, Task before, Task after) {
    }

    @Override
    public void problem(String runId, String taskId, RuntimeException error) {
    }

    @Override
    public List<DueTask> due(int shard, Instant now, int limit) {
        List<DueTask> due = tasks.due(shard, now, limit);
        dueEntries.add(due.size());
        due.forEach(d -> dueTasks.add(d.taskId()));
        return due;
    }

    @Override
    public long countActive() {
        return tasks.countActive();
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
