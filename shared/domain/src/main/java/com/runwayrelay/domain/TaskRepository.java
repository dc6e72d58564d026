package com.runwayrelay.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where tasks live. Every write is conditional, so two writers never silently overwrite each
 * other: a lost race shows up as {@code false} from {@link #replace}, and the caller re-reads.
 *
 * <p>Tasks with a non-null {@link Task#dueAt()} are in the due index, spread over
 * {@link #shards()} shards by task id; background work finds them only through
 * {@link #due}, so its cost grows with active work, never with the table.
 */
public interface TaskRepository {

    /**
     * Stores a new task.
     *
     * @throws TaskAlreadyExistsException when a task with the same id exists
     */
    void insert(Task task);

    /** The task with this id, if any. */
    Optional<Task> find(String id);

    /**
     * Replaces {@code current} with {@code next} if the stored version still equals
     * {@code current.version()}.
     *
     * @return true when written; false when the task changed (or vanished) since {@code current} was read
     * @throws IllegalArgumentException when {@code next} is not {@code current}'s next version of the same task
     */
    boolean replace(Task current, Task next);

    /**
     * Tasks of one shard whose {@code dueAt} is at or before {@code now}, soonest first.
     *
     * @param limit at most this many
     */
    List<DueTask> due(int shard, Instant now, int limit);

    /**
     * Number of entries in the due index: every task with a {@link Task#dueAt()}, over all shards,
     * whether due now or later (leased ones included). Every unfinished task the poller still works
     * on is among them, so this bounds from above how many are THROTTLED at Runway. Counts the
     * index, never the table; may read several pages per shard.
     */
    long countActive();

    /** Number of due-index shards, at least 1. */
    int shards();

    /**
     * Checks the contract of {@link #replace}: same id, version exactly one higher.
     *
     * @throws IllegalArgumentException when {@code next} does not follow {@code current}
     */
    static void checkSuccessor(Task current, Task next) {
        if (!current.id().equals(next.id())) {
            throw new IllegalArgumentException("replace must keep the task id");
        }
        if (next.version() != current.version() + 1) {
            throw new IllegalArgumentException("next version must be " + (current.version() + 1)
                    + " (got " + next.version() + ")");
        }
    }

    /**
     * A due-index entry: enough to fetch and claim the task.
     *
     * @param taskId the task
     * @param dueAt  when it became due
     */
    record DueTask(String taskId, Instant dueAt) {
    }
}
