package com.runwayrelay.aws.dynamodb;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.poll.SubmittedClaims;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link SubmittedClaims} as one conditional {@code UpdateItem} on the task item: it sets exactly
 * the attributes {@link SubmittedClaims#leased} changes, in {@link TaskItems}' representation
 * (version, updatedAt as ISO text, leaseOwner, leaseUntil and dueAt as epoch millis, both
 * {@code now + pollGap}, or the default gap when the item has none; dueShard is already there
 * since the task is due), and returns the previous item. A refused claim returns
 * the stored item too ({@code ReturnValuesOnConditionCheckFailure}), so no read is needed either
 * way. Attributes it does not name, including any added later, are left as they are.
 */
public final class DynamoDbSubmittedClaims implements SubmittedClaims {
    private static final String CONDITION = "#state = :submitted AND #dueAt <= :now"
            + " AND (attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now)";
    private static final String UPDATE = "SET #version = #version + :one, #updatedAt = :updatedAt,"
            + " #leaseOwner = :owner, #leaseUntil = :now + if_not_exists(#pollGap, :defaultGap),"
            + " #dueAt = :now + if_not_exists(#pollGap, :defaultGap)";
    private static final Map<String, String> NAMES = Map.of(
            "#state", TaskItems.STATE, "#dueAt", TaskItems.DUE_AT, "#leaseUntil", TaskItems.LEASE_UNTIL,
            "#version", TaskItems.VERSION, "#updatedAt", TaskItems.UPDATED_AT, "#leaseOwner", TaskItems.LEASE_OWNER,
            "#pollGap", TaskItems.POLL_GAP);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbSubmittedClaims(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Claim claim(String taskId, String owner, Instant now, Duration defaultGap) {
        UpdateItemRequest request = UpdateItemRequest.builder()
                .tableName(table)
                .key(TaskItems.key(taskId))
                .conditionExpression(CONDITION)
                .updateExpression(UPDATE)
                .expressionAttributeNames(NAMES)
                .expressionAttributeValues(Map.of(
                        ":submitted", AttributeValue.fromS(TaskState.SUBMITTED.name()),
                        ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())),
                        ":one", AttributeValue.fromN("1"),
                        ":updatedAt", AttributeValue.fromS(now.toString()),
                        ":owner", AttributeValue.fromS(owner),
                        ":defaultGap", AttributeValue.fromN(Long.toString(defaultGap.toMillis()))))
                .returnValues(ReturnValue.ALL_OLD)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
        try {
            Task before = TaskItems.fromItem(dynamo.updateItem(request).attributes());
            return new Claim.Taken(before, SubmittedClaims.leased(before, owner, now, defaultGap));
        } catch (ConditionalCheckFailedException e) {
            return new Claim.Refused(e.hasItem() && !e.item().isEmpty() ? TaskItems.fromItem(e.item()) : null);
        }
    }
}
