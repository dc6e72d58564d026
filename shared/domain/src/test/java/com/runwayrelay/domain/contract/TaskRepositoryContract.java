package com.runwayrelay.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.DueShards;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskAlreadyExistsException;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskRepository.DueTask;
import com.runwayrelay.domain.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskRepository} promises: reads return what was written, ids are unique,
 * replacements are conditional on the version read (one winner among concurrent writers), and the
 * due index lists exactly the tasks due by a given instant, each in its own shard.
 *
 * @param <R> the implementation under test
 */
public abstract class TaskRepositoryContract<R extends TaskRepository> {
    protected static final int SHARDS = 4;
    protected static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    protected R repo;

    /** An empty repository with {@code shards} due shards; called before every case. */
    protected abstract R emptyRepository(int shards);

    @BeforeEach
    final void openEmptyRepository() {
        repo = emptyRepository(SHARDS);
    }

    protected static Task newTask(Instant dueAt) {
        return Task.accepted(UUID.randomUUID().toString(), "app1", "text_to_image", "gen4_image",
                "{\"model\":\"gen4_image\"}", 5, T0).dueAt(dueAt).build();
    }

    @Test
    void insertedTaskReadsBackEqual() {
        Task task = newTask(T0);
        repo.insert(task);
        assertEquals(task, repo.find(task.id()).orElseThrow());
        assertTrue(repo.find("no-such-task").isEmpty());
    }

    @Test
    void insertFails_whenTheIdExists() {
        Task task = newTask(T0);
        repo.insert(task);
        assertThrows(TaskAlreadyExistsException.class, () -> repo.insert(task));
    }

    @Test
    void replaceWinsOnce_whenTwoWritersStartFromTheSameVersion() {
        Task t = newTask(T0);
        repo.insert(t);
        Task a = t.next(T0.plusSeconds(1)).state(TaskState.SUBMITTED).build();
        Task b = t.next(T0.plusSeconds(1)).state(TaskState.CANCELLED).build();

        assertTrue(repo.replace(t, a));
        assertFalse(repo.replace(t, b));
        assertEquals(TaskState.SUBMITTED, repo.find(t.id()).orElseThrow().state());
    }

    @Test
    void exactlyOneOfConcurrentReplacementsWins() throws Exception {
        Task task = newTask(T0);
        repo.insert(task);
        List<Callable<Boolean>> writers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String reason = "writer-" + i;
            writers.add(() -> repo.replace(task, task.next(T0).state(TaskState.SUBMITTED).stateReason(reason).build()));
        }
        int wins = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Boolean> f : pool.invokeAll(writers)) {
                wins += f.get() ? 1 : 0;
            }
        }
        assertEquals(1, wins);
        assertEquals(2, repo.find(task.id()).orElseThrow().version());
    }

    @Test
    void replaceRefusesAVersionJump() {
        Task t = newTask(T0);
        repo.insert(t);
        Task skipping = t.toBuilder().version(t.version() + 2).build();
        assertThrows(IllegalArgumentException.class, () -> repo.replace(t, skipping));
    }

    @Test
    void replaceFails_whenTheTaskVanished() {
        Task task = newTask(T0);
        assertFalse(repo.replace(task, task.next(T0).build()));
    }

    @Test
    void dueIndexHoldsOnlyTasksWithADueTime_andOnlyThoseDueByNow_eachInItsShard() {
        Task due = newTask(T0.minusSeconds(5));
        Task later = newTask(T0.plusSeconds(300));
        Task idle = newTask(null);
        repo.insert(due);
        repo.insert(later);
        repo.insert(idle);
        Task finished = due.next(T0).state(TaskState.ARCHIVED).dueAt(null).build();

        int shard = DueShards.shardOf(due.id(), SHARDS);
        assertEquals(List.of(due.id()), repo.due(shard, T0, 10).stream().map(DueTask::taskId).toList());
        assertEquals(List.of(due.id()), dueIds(T0));

        assertTrue(repo.replace(due, finished));
        assertEquals(List.of(), dueIds(T0));
        assertEquals(List.of(later.id()), dueIds(T0.plusSeconds(301)));
    }

    @Test
    void countActiveCountsEveryDueIndexEntry_overAllShards_dueNowOrLater() {
        assertEquals(0, repo.countActive());
        List<Task> active = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Task task = newTask(T0.plusSeconds(i % 2 == 0 ? -60 : 600));
            repo.insert(task);
            active.add(task);
        }
        repo.insert(newTask(null));

        assertEquals(12, repo.countActive());
        Task first = active.get(0);
        assertTrue(repo.replace(first, first.next(T0).state(TaskState.ARCHIVED).dueAt(null).build()));
        Task second = active.get(1);
        assertTrue(repo.replace(second, second.next(T0).leaseOwner("run-1").leaseUntil(T0.plusSeconds(30))
                .dueAt(T0.plusSeconds(30)).build()));
        assertEquals(11, repo.countActive());
        assertTrue(active.stream().map(t -> DueShards.shardOf(t.id(), SHARDS)).distinct().count() > 1,
                "the tasks lie in more than one shard");
    }

    /** The ids due by {@code at}, over every shard. */
    protected final List<String> dueIds(Instant at) {
        List<String> ids = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            repo.due(shard, at, 100).stream().map(DueTask::taskId).forEach(ids::add);
        }
        return ids;
    }
}
