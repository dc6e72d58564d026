package com.runwayrelay.domain.memory;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A {@link TaskRepository} that passes every call to another and lets a test step in: fail or
 * crash a write (throw from a hook), race it (write to the delegate from a hook, then let the call
 * proceed), lose its answer (apply it and report a failed condition), count the due-index
 * queries and counts, or fail a count. The one pass-through decorator tests use instead of copying the port's methods.
 *
 * <p>Hooks may be set while another thread uses the repository; each call reads them once.
 */
public final class InterceptingTaskRepository implements TaskRepository {
    /** A replacement in place of the delegate's: it decides whether, and when, to call {@code proceed}. */
    @FunctionalInterface
    public interface ReplaceAround {
        /**
         * @param proceed the wrapped repository; calling {@code proceed.replace(current, next)} writes
         * @return what the caller of {@link TaskRepository#replace} sees
         */
        boolean replace(Task current, Task next, TaskRepository proceed);
    }

    private static final ReplaceAround PASS = (current, next, proceed) -> proceed.replace(current, next);

    private final TaskRepository delegate;
    private volatile Consumer<Task> onInsert = task -> { };
    private volatile Consumer<String> onFind = id -> { };
    private final AtomicReference<Consumer<Task>> onNextInsert = new AtomicReference<>();
    private volatile ReplaceAround aroundReplace = PASS;
    private final AtomicReference<BiConsumer<Task, Task>> onNextReplace = new AtomicReference<>();
    private final AtomicInteger dueQueries = new AtomicInteger();
    private final AtomicInteger counts = new AtomicInteger();
    private volatile Runnable onCount = () -> { };

    public InterceptingTaskRepository(TaskRepository delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Runs {@code hook} before every insert; a hook that throws fails the insert before anything is written. */
    public InterceptingTaskRepository onInsert(Consumer<Task> hook) {
        onInsert = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /** Runs {@code hook} before the next insert only (then every insert passes through again). */
    public InterceptingTaskRepository onNextInsert(Consumer<Task> hook) {
        onNextInsert.set(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /** Runs {@code hook} with the id before every find; a hook that throws fails the read (a table gone). */
    public InterceptingTaskRepository onFind(Consumer<String> hook) {
        onFind = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /** Runs {@code hook} with (current, next) before every replace; a hook that throws fails it unwritten. */
    public InterceptingTaskRepository onReplace(BiConsumer<Task, Task> hook) {
        Objects.requireNonNull(hook, "hook");
        return aroundReplace((current, next, proceed) -> {
            hook.accept(current, next);
            return proceed.replace(current, next);
        });
    }

    /** Runs {@code hook} with (current, next) before the next replace only, e.g. another writer's race. */
    public InterceptingTaskRepository onNextReplace(BiConsumer<Task, Task> hook) {
        onNextReplace.set(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /** Every replace goes through {@code around} instead of straight to the delegate. */
    public InterceptingTaskRepository aroundReplace(ReplaceAround around) {
        aroundReplace = Objects.requireNonNull(around, "around");
        return this;
    }

    /** Runs {@code hook} before every {@link #countActive}; a hook that throws fails the count. */
    public InterceptingTaskRepository onCount(Runnable hook) {
        onCount = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /** How many counts of the due index ({@link #countActive}) were asked for so far, failed ones included. */
    public int counts() {
        return counts.get();
    }

    /** How many due-index queries ({@link #due}) reached this repository so far. */
    public int dueQueries() {
        return dueQueries.get();
    }

    @Override
    public void insert(Task task) {
        Consumer<Task> once = onNextInsert.getAndSet(null);
        if (once != null) {
            once.accept(task);
        }
        onInsert.accept(task);
        delegate.insert(task);
    }

    @Override
    public Optional<Task> find(String id) {
        onFind.accept(id);
        return delegate.find(id);
    }

    @Override
    public boolean replace(Task current, Task next) {
        BiConsumer<Task, Task> once = onNextReplace.getAndSet(null);
        if (once != null) {
            once.accept(current, next);
        }
        return aroundReplace.replace(current, next, delegate);
    }

    @Override
    public List<DueTask> due(int shard, Instant now, int limit) {
        dueQueries.incrementAndGet();
        return delegate.due(shard, now, limit);
    }

    @Override
    public long countActive() {
        counts.incrementAndGet();
        onCount.run();
        return delegate.countActive();
    }

    @Override
    public int shards() {
        return delegate.shards();
    }
}
