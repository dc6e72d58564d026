package com.runwayrelay.domain.memory;

import com.runwayrelay.domain.DueShards;
import com.runwayrelay.domain.InvalidCursorException;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskAlreadyExistsException;
import com.runwayrelay.domain.TaskListing;
import com.runwayrelay.domain.TaskPage;
import com.runwayrelay.domain.TaskQuery;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link TaskRepository} in a map, with the same conditional semantics as the DynamoDB one, and
 * the same {@link TaskListing} answers (order, filters, cursors bound to their query, summaries
 * without {@code updatedAt}).
 * For unit tests and benchmarks; thread-safe.
 */
public final class InMemoryTaskRepository implements TaskRepository, TaskListing {
    private static final Comparator<Task> NEWEST_FIRST =
            Comparator.comparing(Task::createdAt).thenComparing(Task::id).reversed();

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
    public long countActive() {
        return tasks.values().stream().filter(t -> t.dueAt() != null).count();
    }

    @Override
    public int shards() {
        return shards;
    }

    @Override
    public TaskPage list(TaskQuery query) {
        String fingerprint = fingerprint(query);
        String after = query.cursor() == null ? null : decode(query.cursor(), fingerprint);
        List<Task> matching = tasks.values().stream()
                .filter(t -> query.matches(TaskSummary.of(t)))
                .sorted(NEWEST_FIRST)
                .filter(t -> after == null || sortKey(t).compareTo(after) < 0)
                .limit(query.limit() + 1L)
                .toList();
        boolean more = matching.size() > query.limit();
        List<Task> page = more ? matching.subList(0, query.limit()) : matching;
        String next = more ? encode(fingerprint, sortKey(page.get(page.size() - 1))) : null;
        return new TaskPage(page.stream().map(TaskSummary::indexed).toList(), next);
    }

    @Override
    public OpenTasks openTasks(Instant createdBefore, int oldest) {
        if (oldest < 0 || oldest > 100) {
            throw new IllegalArgumentException("oldest must be 0..100");
        }
        List<Task> open = tasks.values().stream()
                .filter(t -> !t.state().isTerminal() && t.createdAt().isBefore(createdBefore))
                .sorted(NEWEST_FIRST.reversed())
                .toList();
        return new OpenTasks(open.size(), open.stream().limit(oldest).map(TaskSummary::indexed).toList());
    }

    private static String sortKey(Task t) {
        return String.format("%020d%09d#%s", t.createdAt().getEpochSecond(), t.createdAt().getNano(), t.id());
    }

    private static String fingerprint(TaskQuery q) {
        return Integer.toHexString(String.join("|", String.valueOf(q.appId()), String.valueOf(q.state()),
                String.valueOf(q.endpoint()), String.valueOf(q.model()), String.valueOf(q.createdAfter()),
                String.valueOf(q.createdBefore())).hashCode());
    }

    private static String encode(String fingerprint, String key) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("mem|" + fingerprint + "|" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor, String fingerprint) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException("the cursor is not one this gateway issued");
        }
        String[] parts = text.split("\\|", 3);
        if (parts.length != 3 || !parts[0].equals("mem")) {
            throw new InvalidCursorException("the cursor is not one this gateway issued");
        }
        if (!parts[1].equals(fingerprint)) {
            throw new InvalidCursorException("the cursor belongs to a list with other filters");
        }
        return parts[2];
    }

    /** Every task stored, in no particular order. */
    public List<Task> all() {
        return List.copyOf(tasks.values());
    }
}
