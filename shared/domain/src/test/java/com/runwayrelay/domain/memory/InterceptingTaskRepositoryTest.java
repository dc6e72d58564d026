package com.runwayrelay.domain.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InterceptingTaskRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private final InMemoryTaskRepository stored = new InMemoryTaskRepository(4);
    private final InterceptingTaskRepository repo = new InterceptingTaskRepository(stored);

    private static Task task(String id) {
        return Task.accepted(id, "app", "text_to_image", "gen4_image", "{}", 5, T0).build();
    }

    @Test
    void passesEveryCallThrough_whenNoHookIsSet() {
        Task t = task("a");
        repo.insert(t);
        Task next = t.next(T0).state(TaskState.SUBMITTED).build();

        assertTrue(repo.replace(t, next));
        assertEquals(next, stored.find("a").orElseThrow());
        assertEquals(next, repo.find("a").orElseThrow());
        assertEquals(4, repo.shards());
        assertEquals(0, repo.dueQueries());
        repo.due(0, T0, 10);
        assertEquals(1, repo.dueQueries());
    }

    @Test
    void countsTheDueIndexThrough_andFailsTheCount_whenTheCountHookThrows() {
        repo.insert(task("a"));
        repo.insert(task("b").toBuilder().dueAt(null).build());

        assertEquals(1, repo.countActive());
        assertEquals(1, repo.counts());
        repo.onCount(() -> {
            throw new IllegalStateException("throttled");
        });
        assertThrows(IllegalStateException.class, repo::countActive);
        assertEquals(2, repo.counts());
    }

    @Test
    void failsOnlyTheNextInsert_whenItsOneShotHookThrows() {
        repo.onNextInsert(t -> {
            throw new IllegalStateException("killed");
        });

        assertThrows(IllegalStateException.class, () -> repo.insert(task("a")));
        assertTrue(stored.find("a").isEmpty(), "nothing written");
        repo.insert(task("a"));
        assertTrue(stored.find("a").isPresent());
    }

    @Test
    void letsAnAroundHookApplyAWriteAndReportItLost_andARacerWinFirst() {
        Task t = task("a");
        repo.insert(t);
        repo.aroundReplace((current, next, proceed) -> {
            proceed.replace(current, next);
            return false;
        });

        assertFalse(repo.replace(t, t.next(T0).state(TaskState.SUBMITTED).build()));
        Task applied = stored.find("a").orElseThrow();
        assertEquals(TaskState.SUBMITTED, applied.state());

        repo.aroundReplace((current, next, proceed) -> proceed.replace(current, next));
        repo.onNextReplace((current, next) -> stored.replace(current, current.next(T0).build()));
        assertFalse(repo.replace(applied, applied.next(T0).state(TaskState.CANCELLED).build()), "the racer won");
        assertTrue(repo.replace(stored.find("a").orElseThrow(),
                stored.find("a").orElseThrow().next(T0).state(TaskState.CANCELLED).build()), "one-shot: no second race");
    }

    @Test
    void failsReads_whenTheFindHookThrows() {
        repo.insert(task("a"));
        repo.onFind(id -> {
            throw new IllegalStateException("table gone");
        });

        assertThrows(IllegalStateException.class, () -> repo.find("a"));
    }
}
