package com.runwayrelay.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.domain.StateChange;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskPage;
import com.runwayrelay.domain.TaskQuery;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.contract.TaskListingContract;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The operator's list, open-task and history reads against DynamoDB Local, the table made from the
 * template: the {@link TaskListingContract}, and what only the DynamoDB adapter has (cursors over
 * its key bounds, items written before the history and list keys existed).
 */
@WithAwsEmulators
class DynamoDbTaskListingIT extends TaskListingContract<DynamoDbTaskRepository> {
    private final AwsEmulators aws;
    private DynamoDbClient dynamo;

    DynamoDbTaskListingIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @Override
    protected DynamoDbTaskRepository emptyRepository(int shards) {
        aws.resetData();
        dynamo = new AwsClients(AwsSettings.from(aws.environment())).dynamoDb();
        return new DynamoDbTaskRepository(dynamo, aws.tableName(), shards);
    }

    @Test
    void endsTheList_whenTheCursorIsAtTheRangesStart() {
        stored("t0", "appA", "gen4_image", TaskState.ARCHIVED, T0);
        stored("t1", "appA", "gen4_image", TaskState.ARCHIVED, T0.plusSeconds(1));
        TaskQuery ranged = new TaskQuery("appA", null, null, null, T0, null, 1, null);
        String cursor = repo.list(ranged).nextCursor();
        TaskPage second = repo.list(ranged.withCursor(cursor));
        assertEquals(List.of("t0"), ids(second));

        TaskPage past = repo.list(ranged.withCursor(Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                        .replace(TaskItems.createdBound(T0.plusSeconds(1)), TaskItems.createdBound(T0.minusSeconds(1)))
                        .getBytes(StandardCharsets.UTF_8))));

        assertEquals(List.of(), ids(past));
        assertNull(past.nextCursor());
    }

    @Test
    void readsATaskWrittenBeforeHistoryAndListKeysExisted() {
        Map<String, AttributeValue> item = new HashMap<>(TaskItems.toItem(
                Task.accepted("old", "appA", "text_to_image", "gen4_image", "{}", 8, T0).build(), SHARDS));
        item.remove(TaskItems.HISTORY);
        item.remove(TaskItems.CREATED_KEY);
        item.remove(TaskItems.LIST_PART);
        dynamo.putItem(b -> b.tableName(aws.tableName()).item(item));

        Task old = repo.find("old").orElseThrow();

        assertEquals(List.of(), old.history());
        assertNull(repo.list(query("appA", null, null, 10)).nextCursor());
        assertEquals(List.of(), ids(repo.list(query("appA", null, null, 10))), "not in the list indexes until written again");
        Task next = old.next(T0.plusSeconds(1)).state(TaskState.SUBMITTED).build();
        repo.replace(old, next);
        assertEquals(List.of("old"), ids(repo.list(query("appA", null, null, 10))));
        assertEquals(List.of(new StateChange(TaskState.SUBMITTED, T0.plusSeconds(1), null)),
                repo.find("old").orElseThrow().history());
    }
}
