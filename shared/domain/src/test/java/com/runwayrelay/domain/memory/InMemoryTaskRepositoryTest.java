package com.runwayrelay.domain.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.DueShards;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskAlreadyExistsException;
import com.runwayrelay.domain.TaskState;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InMemoryTaskRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private final InMemoryTaskRepository repo = new InMemoryTaskRepository(4);

    private static Task task(Instant dueAt) {
        return Task.accepted(UUID.randomUUID().toString(), "app1", "text_to_image", "gen4_image", "{}", 5, T0)
                .dueAt(dueAt).build();
    }

    @Test
    void insertRejectsADuplicateId() {
        Task t = task(T0);
        repo.insert(t);
        assertThrows(TaskAlreadyExistsException.class, () -> repo.insert(t));
    }

    @Test
    void replaceWinsOnce_whenTwoWritersStartFromTheSameVersion() {
        Task t = task(T0);
        repo.insert(t);
        Task a = t.next(T0.plusSeconds(1)).state(TaskState.SUBMITTED).build();
        Task b = t.next(T0.plusSeconds(1)).state(TaskState.CANCELLED).build();

        assertTrue(repo.replace(t, a));
        assertFalse(repo.replace(t, b));
        assertEquals(TaskState.SUBMITTED, repo.find(t.id()).orElseThrow().state());
    }

    @Test
    void replaceRefusesAVersionJump() {
        Task t = task(T0);
        repo.insert(t);
        Task skipping = t.toBuilder().version(t.version() + 2).build();
        assertThrows(IllegalArgumentException.class, () -> repo.replace(t, skipping));
    }

    @Test
    void dueListsOnlyTasksDueByNow_inTheirShard() {
        Task early = task(T0.minusSeconds(10));
        Task later = task(T0.plusSeconds(60));
        Task notDue = task(null);
        repo.insert(early);
        repo.insert(later);
        repo.insert(notDue);

        int shard = DueShards.shardOf(early.id(), 4);
        assertEquals(1, repo.due(shard, T0, 10).stream().filter(d -> d.taskId().equals(early.id())).count());
        int total = 0;
        for (int s = 0; s < 4; s++) {
            total += repo.due(s, T0, 10).size();
        }
        assertEquals(1, total);
    }

    @Test
    void shardOfIsStableAndInRange() {
        assertEquals(DueShards.shardOf("abc", 16), DueShards.shardOf("abc", 16));
        for (int i = 0; i < 1000; i++) {
            int s = DueShards.shardOf(UUID.randomUUID().toString(), 16);
            assertTrue(s >= 0 && s < 16);
        }
    }
}
