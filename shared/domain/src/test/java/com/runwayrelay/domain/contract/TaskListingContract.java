package com.runwayrelay.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.InvalidCursorException;
import com.runwayrelay.domain.StateChange;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskListing;
import com.runwayrelay.domain.TaskListing.OpenTasks;
import com.runwayrelay.domain.TaskPage;
import com.runwayrelay.domain.TaskQuery;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.TaskSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskListing} promises over the tasks its {@link TaskRepository} holds: lists
 * newest first (ties broken by id, never merged), filtered by app, state, endpoint, model and
 * creation range, paged by cursors bound to their filters (a forged or foreign cursor is refused);
 * summaries carry the indexed attributes only; open tasks are counted and shown oldest first; the
 * state history is written with each transition.
 *
 * @param <R> the implementation under test
 */
public abstract class TaskListingContract<R extends TaskRepository & TaskListing> {
    protected static final int SHARDS = 4;
    protected static final Instant T0 = Instant.parse("2026-12-03T08:00:00.123456789Z");
    protected R repo;

    /** An empty repository with {@code shards} due shards; called before every case. */
    protected abstract R emptyRepository(int shards);

    @BeforeEach
    final void openEmptyRepository() {
        repo = emptyRepository(SHARDS);
    }

    protected final Task stored(String id, String app, String model, TaskState state, Instant createdAt) {
        Task t = Task.accepted(id, app, "text_to_image", model, "{}", 8, createdAt).state(state)
                .dueAt(state.isTerminal() ? null : createdAt).build();
        repo.insert(t);
        return t;
    }

    protected static List<String> ids(TaskPage page) {
        return page.tasks().stream().map(TaskSummary::id).toList();
    }

    protected static TaskQuery query(String app, TaskState state, String model, int limit) {
        return new TaskQuery(app, state, null, model, null, null, limit, null);
    }

    /** Follows the cursor to the end; every page at most {@code limit} long. */
    protected final List<String> all(TaskQuery first) {
        List<String> ids = new ArrayList<>();
        TaskQuery q = first;
        for (int pages = 0; pages < 100; pages++) {
            TaskPage page = repo.list(q);
            assertTrue(page.tasks().size() <= q.limit());
            ids.addAll(ids(page));
            if (page.nextCursor() == null) {
                return ids;
            }
            q = q.withCursor(page.nextCursor());
        }
        throw new AssertionError("more than 100 pages");
    }

    @Test
    void listsOneAppsTasksNewestFirst_acrossPages_withoutOtherAppsTasks() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            stored("mine-" + i, "appA", "gen4_image", i % 3 == 0 ? TaskState.SUBMITTED : TaskState.ARCHIVED,
                    T0.plusSeconds(i));
            stored("other-" + i, "appB", "gen4_image", TaskState.ARCHIVED, T0.plusSeconds(i));
            expected.addFirst("mine-" + i);
        }

        TaskPage first = repo.list(query("appA", null, null, 3));

        assertEquals(expected.subList(0, 3), ids(first));
        assertNotNull(first.nextCursor());
        assertEquals(expected, all(query("appA", null, null, 3)));
    }

    @Test
    void summaryCarriesTheIndexedAttributes_andNoUpdatedAt() {
        Task t = stored("t1", "appA", "gen4_image", TaskState.ARCHIVED, T0);

        TaskSummary summary = repo.list(query("appA", null, null, 10)).tasks().getFirst();

        assertEquals(new TaskSummary(t.id(), "appA", "text_to_image", "gen4_image", TaskState.ARCHIVED, null, T0, null,
                8, null, null, null), summary);
    }

    @Test
    void listsEveryAppsTasksNewestFirst_mergingUnfinishedAndEndedTasks() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            TaskState state = i % 2 == 0 ? TaskState.SUBMITTED : TaskState.FAILED;
            stored("t" + i, i % 3 == 0 ? "appA" : "appB", "gen4_image", state, T0.plusSeconds(i));
            expected.addFirst("t" + i);
        }

        assertEquals(expected, all(query(null, null, null, 4)));
        assertEquals(expected.subList(0, 4), ids(repo.list(query(null, null, null, 4))));
    }

    @Test
    void appliesStateModelEndpointAndRangeFilters_onBothIndexes() {
        stored("old", "appA", "gen4_image", TaskState.ARCHIVED, T0.minusSeconds(60));
        stored("match", "appA", "gen4_image", TaskState.ARCHIVED, T0);
        stored("failed", "appA", "gen4_image", TaskState.FAILED, T0.plusSeconds(1));
        stored("turbo", "appA", "gen4_turbo", TaskState.ARCHIVED, T0.plusSeconds(2));
        stored("otherApp", "appB", "gen4_image", TaskState.ARCHIVED, T0.plusSeconds(3));
        stored("running", "appB", "gen4_image", TaskState.SUBMITTED, T0.plusSeconds(4));
        stored("atUpperBound", "appA", "gen4_image", TaskState.ARCHIVED, T0.plusSeconds(10));

        TaskQuery appQuery = new TaskQuery("appA", TaskState.ARCHIVED, "text_to_image", "gen4_image", T0,
                T0.plusSeconds(10), 50, null);
        TaskQuery everyApp = new TaskQuery(null, TaskState.ARCHIVED, null, "gen4_image", T0, T0.plusSeconds(10), 50, null);
        TaskQuery unfinished = new TaskQuery(null, TaskState.SUBMITTED, null, null, null, null, 50, null);
        TaskQuery otherEndpoint = new TaskQuery("appA", null, "image_to_video", null, null, null, 50, null);

        assertEquals(List.of("match"), all(appQuery));
        assertEquals(List.of("otherApp", "match"), all(everyApp));
        assertEquals(List.of("running"), all(unfinished));
        assertEquals(List.of(), all(otherEndpoint));
    }

    @Test
    void pagesThroughARareFilter_withoutLosingOrRepeatingTasks() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            boolean rare = i % 10 == 0;
            stored("t" + i, "appA", rare ? "gen4_turbo" : "gen4_image", TaskState.ARCHIVED, T0.plusSeconds(i));
            if (rare) {
                expected.addFirst("t" + i);
            }
        }
        assertEquals(expected, all(query("appA", null, "gen4_turbo", 1)));
    }

    @Test
    void keepsTasksCreatedInTheSameInstantDistinct() {
        stored("a", "appA", "gen4_image", TaskState.ARCHIVED, T0);
        stored("b", "appA", "gen4_image", TaskState.ARCHIVED, T0);
        stored("c", "appA", "gen4_image", TaskState.ARCHIVED, T0);

        assertEquals(List.of("c", "b", "a"), all(query("appA", null, null, 1)));
    }

    @Test
    void refusesACursorItDidNotIssue_orOneFromOtherFilters() {
        for (int i = 0; i < 3; i++) {
            stored("t" + i, "appA", "gen4_image", TaskState.ARCHIVED, T0.plusSeconds(i));
        }
        String cursor = repo.list(query("appA", null, null, 1)).nextCursor();
        String forged = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("c1|0|not-a-key".getBytes(StandardCharsets.UTF_8));

        assertThrows(InvalidCursorException.class, () -> repo.list(query("appA", null, null, 1).withCursor("%%%")));
        assertThrows(InvalidCursorException.class, () -> repo.list(query("appA", null, null, 1).withCursor(forged)));
        InvalidCursorException other = assertThrows(InvalidCursorException.class,
                () -> repo.list(query("appB", null, null, 1).withCursor(cursor)));
        assertTrue(other.getMessage().contains("other filters"), other.getMessage());
        assertEquals(List.of("t1"), ids(repo.list(query("appA", null, null, 1).withCursor(cursor))),
                "a changed limit keeps the cursor valid");
    }

    @Test
    void countsUnfinishedTasksOlderThanTheBound_andShowsTheOldestFirst() {
        stored("ended", "appA", "gen4_image", TaskState.ARCHIVED, T0.minusSeconds(7200));
        stored("oldest", "appA", "gen4_image", TaskState.SUBMITTED, T0.minusSeconds(7200));
        stored("older", "appB", "gen4_image", TaskState.ACCEPTED, T0.minusSeconds(5400));
        stored("old", "appA", "gen4_image", TaskState.OUTPUT_READY, T0.minusSeconds(3700));
        stored("young", "appA", "gen4_image", TaskState.SUBMITTED, T0.minusSeconds(60));

        OpenTasks open = repo.openTasks(T0.minusSeconds(3600), 2);

        assertEquals(3, open.count());
        assertEquals(List.of("oldest", "older"), open.oldest().stream().map(TaskSummary::id).toList());
        assertEquals(0, repo.openTasks(T0.minusSeconds(3600), 0).oldest().size());
    }

    @Test
    void aTaskLeavesTheOpenPart_whenItEnds() {
        Task t = stored("t1", "appA", "gen4_image", TaskState.SUBMITTED, T0.minusSeconds(7200));
        assertEquals(1, repo.openTasks(T0, 10).count());

        repo.replace(t, t.next(T0).state(TaskState.ARCHIVED).dueAt(null).build());

        assertEquals(0, repo.openTasks(T0, 10).count());
        assertEquals(List.of("t1"), all(query(null, TaskState.ARCHIVED, null, 10)));
    }

    @Test
    void writesTheStateHistoryWithTheTransition_andReadsItBack() {
        Task t = stored("t1", "appA", "gen4_image", TaskState.ACCEPTED, T0);
        Task submitted = t.next(T0.plusSeconds(1)).state(TaskState.SUBMITTED).build();
        repo.replace(t, submitted);
        Task failed = submitted.next(T0.plusSeconds(5)).state(TaskState.FAILED).failureCode("INTERNAL").dueAt(null).build();
        repo.replace(submitted, failed);

        assertEquals(List.of(new StateChange(TaskState.ACCEPTED, T0, null),
                new StateChange(TaskState.SUBMITTED, T0.plusSeconds(1), null),
                new StateChange(TaskState.FAILED, T0.plusSeconds(5), "INTERNAL")), repo.find("t1").orElseThrow().history());
    }
}
