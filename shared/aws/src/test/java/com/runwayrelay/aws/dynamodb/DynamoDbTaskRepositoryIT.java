package com.runwayrelay.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskAlreadyExistsException;
import com.runwayrelay.domain.TaskRepository.DueTask;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The repository against DynamoDB Local, with clients built the way a function builds them. */
@WithAwsEmulators
class DynamoDbTaskRepositoryIT {
    private static final int SHARDS = 4;
    private final AwsEmulators aws;
    private DynamoDbTaskRepository repo;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    DynamoDbTaskRepositoryIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeEach
    void setUp() {
        aws.resetData();
        AwsClients clients = new AwsClients(AwsSettings.from(aws.environment()));
        repo = new DynamoDbTaskRepository(clients.dynamoDb(), aws.tableName(), SHARDS);
    }

    private Task newTask(Instant dueAt) {
        return Task.accepted(UUID.randomUUID().toString(), "app1", "text_to_image", "gen4_image",
                "{\"model\":\"gen4_image\"}", 5, now).dueAt(dueAt).build();
    }

    @Test
    void insertedTaskReadsBackEqual() {
        Task task = newTask(now);
        repo.insert(task);
        assertEquals(task, repo.find(task.id()).orElseThrow());
        assertTrue(repo.find("no-such-task").isEmpty());
    }

    @Test
    void insertFails_whenTheIdExists() {
        Task task = newTask(now);
        repo.insert(task);
        assertThrows(TaskAlreadyExistsException.class, () -> repo.insert(task));
    }

    @Test
    void exactlyOneOfConcurrentReplacementsWins() throws Exception {
        Task task = newTask(now);
        repo.insert(task);
        List<Callable<Boolean>> writers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String reason = "writer-" + i;
            writers.add(() -> repo.replace(task, task.next(now).state(TaskState.SUBMITTED).stateReason(reason).build()));
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
    void replaceFails_whenTheTaskVanished() {
        Task task = newTask(now);
        assertFalse(repo.replace(task, task.next(now).build()));
    }

    @Test
    void dueIndexHoldsOnlyTasksWithADueTime_andOnlyThoseDueByNow() {
        Task due = newTask(now.minusSeconds(5));
        Task later = newTask(now.plusSeconds(300));
        Task idle = newTask(null);
        repo.insert(due);
        repo.insert(later);
        repo.insert(idle);
        Task finished = due.next(now).state(TaskState.ARCHIVED).dueAt(null).build();

        List<String> dueIds = dueIds(now);
        assertEquals(List.of(due.id()), dueIds);

        assertTrue(repo.replace(due, finished));
        assertEquals(List.of(), dueIds(now));
        assertEquals(List.of(later.id()), dueIds(now.plusSeconds(301)));
    }

    private List<String> dueIds(Instant at) {
        List<String> ids = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            repo.due(shard, at, 100).stream().map(DueTask::taskId).forEach(ids::add);
        }
        return ids;
    }
}
