package com.runwayrelay.aws.dynamodb;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskAlreadyExistsException;
import com.runwayrelay.domain.TaskListing;
import com.runwayrelay.domain.TaskPage;
import com.runwayrelay.domain.TaskQuery;
import com.runwayrelay.domain.TaskRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * {@link TaskRepository} on the one DynamoDB table. Inserts are conditional on the key not
 * existing, replacements on the stored {@code version}; due work is read from the sparse
 * {@value #DUE_INDEX} GSI (keys only), one query per shard, and counted there ({@code Select.COUNT},
 * every page of every shard). The operator's {@link TaskListing}
 * reads the {@value #APP_INDEX} and {@value #LIST_INDEX} GSIs (see {@link TaskLists}); the item's
 * state history is written by the same conditional put as the state.
 */
public final class DynamoDbTaskRepository implements TaskRepository, TaskListing {
    /** Name of the due-index GSI in {@code template.yaml}. */
    public static final String DUE_INDEX = "due-index";
    /** Name of the GSI listing one app's tasks by creation. */
    public static final String APP_INDEX = TaskLists.APP_INDEX;
    /** Name of the GSI listing every task by creation, unfinished and ended apart. */
    public static final String LIST_INDEX = TaskLists.LIST_INDEX;

    private final DynamoDbClient dynamo;
    private final String table;
    private final int shards;
    private final TaskLists lists;
    /** Items a count reads per page, or null for DynamoDB's own page (1 MB); small only in tests. */
    private final Integer countPage;

    public DynamoDbTaskRepository(DynamoDbClient dynamo, String table, int shards) {
        this(dynamo, table, shards, null);
    }

    /** As above, with counts read {@code countPage} index entries a page (to test the paging). */
    DynamoDbTaskRepository(DynamoDbClient dynamo, String table, int shards, Integer countPage) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be >= 1");
        }
        if (countPage != null && countPage < 1) {
            throw new IllegalArgumentException("countPage must be >= 1, got " + countPage);
        }
        this.dynamo = dynamo;
        this.table = table;
        this.shards = shards;
        this.lists = new TaskLists(dynamo, table);
        this.countPage = countPage;
    }

    @Override
    public TaskPage list(TaskQuery query) {
        return lists.list(query);
    }

    @Override
    public OpenTasks openTasks(Instant createdBefore, int oldest) {
        return lists.openTasks(createdBefore, oldest);
    }

    @Override
    public void insert(Task task) {
        try {
            dynamo.putItem(PutItemRequest.builder()
                    .tableName(table)
                    .item(TaskItems.toItem(task, shards))
                    .conditionExpression("attribute_not_exists(pk)")
                    .build());
        } catch (ConditionalCheckFailedException e) {
            throw new TaskAlreadyExistsException(task.id());
        }
    }

    @Override
    public Optional<Task> find(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(table)
                .key(TaskItems.key(id))
                .consistentRead(true)
                .build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(TaskItems.fromItem(item));
    }

    @Override
    public boolean replace(Task current, Task next) {
        TaskRepository.checkSuccessor(current, next);
        try {
            dynamo.putItem(PutItemRequest.builder()
                    .tableName(table)
                    .item(TaskItems.toItem(next, shards))
                    .conditionExpression("#v = :expected")
                    .expressionAttributeNames(Map.of("#v", TaskItems.VERSION))
                    .expressionAttributeValues(Map.of(":expected",
                            AttributeValue.fromN(Long.toString(current.version()))))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public List<DueTask> due(int shard, Instant now, int limit) {
        return dynamo.query(QueryRequest.builder()
                        .tableName(table)
                        .indexName(DUE_INDEX)
                        .keyConditionExpression("dueShard = :shard AND dueAt <= :now")
                        .expressionAttributeValues(Map.of(
                                ":shard", AttributeValue.fromN(Integer.toString(shard)),
                                ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli()))))
                        .limit(limit)
                        .build())
                .items().stream()
                .map(item -> new DueTask(
                        item.get("pk").s().substring(TaskItems.KEY_PREFIX.length()),
                        Instant.ofEpochMilli(Long.parseLong(item.get(TaskItems.DUE_AT).n()))))
                .toList();
    }

    /**
     * One {@code Select.COUNT} query per shard on the keys-only due index, following
     * {@code LastEvaluatedKey}: a page reads up to 1 MB of index entries (a few thousand tasks), so
     * the cost grows with the active tasks, never with the table.
     */
    @Override
    public long countActive() {
        long count = 0;
        for (int shard = 0; shard < shards; shard++) {
            Map<String, AttributeValue> after = null;
            do {
                QueryResponse page = dynamo.query(QueryRequest.builder()
                        .tableName(table)
                        .indexName(DUE_INDEX)
                        .keyConditionExpression("dueShard = :shard")
                        .expressionAttributeValues(Map.of(":shard", AttributeValue.fromN(Integer.toString(shard))))
                        .select(Select.COUNT)
                        .limit(countPage)
                        .exclusiveStartKey(after)
                        .build());
                count += page.count();
                after = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (after != null);
        }
        return count;
    }

    @Override
    public int shards() {
        return shards;
    }
}
