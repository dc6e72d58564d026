package com.runwayrelay.domain.poll;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Leases a due SUBMITTED task, the common case of a poll, in one step. Over DynamoDB that is one
 * conditional update returning the previous item, instead of a strongly consistent read followed
 * by a conditional write; {@link #over(TaskRepository)} does the read and the write for any other
 * store. Every other case (another state, not due, leased) is refused with the task as stored, and
 * the poller decides on that version as usual.
 *
 * <p>The lease lasts the task's {@link Task.RunwaySide#pollGap() poll gap} and the task is due again when it
 * lapses: a read of Runway that finds nothing new (same status, same progress, the same gap still
 * fitting) leaves the claimed version as the task's next state, so an unchanged poll costs one
 * write, the claim, instead of two.
 */
public interface SubmittedClaims {

    /**
     * Leases {@code taskId} to {@code owner} if, at the moment of the write, it is SUBMITTED, its
     * {@code dueAt} is at or before {@code now} and no unexpired lease is on it. The leased version
     * is exactly {@link #leased(Task, String, Instant, Duration)} of the version it replaced.
     *
     * @param defaultGap the hold for a task that has no {@link Task.RunwaySide#pollGap()} yet
     */
    Claim claim(String taskId, String owner, Instant now, Duration defaultGap);

    /** How a claim ended. */
    sealed interface Claim {
        /**
         * The task is leased.
         *
         * @param before  the version the claim replaced
         * @param claimed the version now stored
         */
        record Taken(Task before, Task claimed) implements Claim {
            public Taken {
                Objects.requireNonNull(before, "before");
                Objects.requireNonNull(claimed, "claimed");
            }
        }

        /**
         * Not leased.
         *
         * @param current the task as stored, or null when there is none
         */
        record Refused(Task current) implements Claim {
        }
    }

    /**
     * The leased version of {@code before}: next version, {@code updatedAt = now}, the lease, and
     * {@code dueAt = leaseUntil}, so the task leaves the due window while leased and comes back by
     * itself if the lease lapses.
     */
    static Task leased(Task before, String owner, Instant now, Instant leaseUntil) {
        return before.next(now).leaseOwner(owner).leaseUntil(leaseUntil).dueAt(leaseUntil).build();
    }

    /** What a SUBMITTED claim stores: {@link #leased} for the task's poll gap (or {@code defaultGap}). */
    static Task leased(Task before, String owner, Instant now, Duration defaultGap) {
        return leased(before, owner, now, now.plus(gapOf(before, defaultGap)));
    }

    /** The task's poll gap, or {@code defaultGap} when none was chosen yet. */
    static Duration gapOf(Task task, Duration defaultGap) {
        return task.runway().pollGap() != null ? task.runway().pollGap() : defaultGap;
    }

    /** Whether a claim may lease {@code task} at {@code now}. */
    static boolean claimable(Task task, Instant now) {
        return task.state() == TaskState.SUBMITTED && task.dueAt() != null && !task.dueAt().isAfter(now)
                && (task.leaseUntil() == null || !task.leaseUntil().isAfter(now));
    }

    /** Claims through a repository: a read, then a write conditional on the version read. */
    static SubmittedClaims over(TaskRepository tasks) {
        Objects.requireNonNull(tasks, "tasks");
        return (taskId, owner, now, defaultGap) -> {
            Task current = tasks.find(taskId).orElse(null);
            if (current == null || !claimable(current, now)) {
                return new Claim.Refused(current);
            }
            Task claimed = leased(current, owner, now, defaultGap);
            return TaskAdvancer.replaced(tasks, current, claimed)
                    ? new Claim.Taken(current, claimed)
                    : new Claim.Refused(tasks.find(taskId).orElse(null));
        };
    }
}
