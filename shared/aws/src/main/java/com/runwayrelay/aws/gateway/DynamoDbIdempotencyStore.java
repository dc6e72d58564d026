package com.runwayrelay.aws.gateway;

import com.runwayrelay.domain.gateway.IdempotencyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link IdempotencyStore} on the one table: item {@code idem#<appId>#<key>} with the request
 * fingerprint, the task id, the stored response, {@code leaseUntil} (epoch millis) and
 * {@code expiresAt} (epoch seconds, the table's TTL attribute). A claim is a put conditional on no
 * live item, so exactly one of any number of concurrent claims succeeds; a takeover is an update
 * conditional on the lease read (or its absence, for items from before leases), so exactly one of
 * several succeeds too. DynamoDB deletes expired items lazily; until then they are ignored.
 */
public final class DynamoDbIdempotencyStore implements IdempotencyStore {
    static final String PREFIX = "idem#";
    private static final int CLAIM_TRIES = 3;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbIdempotencyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Claim claim(IdempotencyRecord claim, Instant now) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.putItem(PutItemRequest.builder().tableName(table).item(toItem(claim))
                        .conditionExpression("attribute_not_exists(pk) OR expiresAt <= :now")
                        .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                        .build());
                return new Claim.Won();
            } catch (ConditionalCheckFailedException e) {
                Optional<IdempotencyRecord> existing = find(claim.appId(), claim.key(), now);
                // The holder may have released the key between our put and our read: claim again.
                if (existing.isPresent() || attempt == CLAIM_TRIES) {
                    return existing.<Claim>map(Claim.Taken::new).orElseThrow(() ->
                            new IllegalStateException("idempotency key kept changing while being claimed"));
                }
            }
        }
    }

    @Override
    public Optional<IdempotencyRecord> find(String appId, String key, Instant now) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(key(appId, key)).consistentRead(true).build()).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(fromItem(item)).filter(r -> r.liveAt(now));
    }

    @Override
    public boolean takeOver(IdempotencyRecord stale, Instant leaseUntil) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":task", AttributeValue.fromS(stale.taskId()),
                ":lease", AttributeValue.fromN(Long.toString(leaseUntil.toEpochMilli()))));
        String sameLease;
        if (stale.leaseUntil() == null) {
            sameLease = "attribute_not_exists(leaseUntil)";
        } else {
            sameLease = "leaseUntil = :old";
            values.put(":old", AttributeValue.fromN(Long.toString(stale.leaseUntil().toEpochMilli())));
        }
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key(stale.appId(), stale.key()))
                    .conditionExpression("taskId = :task AND attribute_not_exists(responseStatus) AND " + sameLease)
                    .updateExpression("SET leaseUntil = :lease")
                    .expressionAttributeValues(values)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void complete(String appId, String key, String taskId, StoredResponse response) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key(appId, key))
                    .conditionExpression("taskId = :task")
                    .updateExpression("SET responseStatus = :status, responseBody = :body")
                    .expressionAttributeValues(Map.of(
                            ":task", AttributeValue.fromS(taskId),
                            ":status", AttributeValue.fromN(Integer.toString(response.status())),
                            ":body", AttributeValue.fromS(response.body())))
                    .build());
        } catch (ConditionalCheckFailedException e) {
            // The key expired and was claimed by a newer request: that request owns it now.
        }
    }

    @Override
    public void release(String appId, String key, String taskId, Instant leaseUntil) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":task", AttributeValue.fromS(taskId)));
        String sameLease = "attribute_not_exists(leaseUntil)";
        if (leaseUntil != null) {
            sameLease = "leaseUntil = :lease";
            values.put(":lease", AttributeValue.fromN(Long.toString(leaseUntil.toEpochMilli())));
        }
        try {
            dynamo.deleteItem(DeleteItemRequest.builder().tableName(table).key(key(appId, key))
                    .conditionExpression("taskId = :task AND attribute_not_exists(responseStatus) AND " + sameLease)
                    .expressionAttributeValues(values)
                    .build());
        } catch (ConditionalCheckFailedException e) {
            // Completed, taken over, or no longer ours: nothing to release.
        }
    }

    private static Map<String, AttributeValue> key(String appId, String key) {
        return Map.of("pk", AttributeValue.fromS(PREFIX + appId + "#" + key));
    }

    static Map<String, AttributeValue> toItem(IdempotencyRecord r) {
        Map<String, AttributeValue> item = new HashMap<>(key(r.appId(), r.key()));
        item.put("type", AttributeValue.fromS("idempotency"));
        item.put("appId", AttributeValue.fromS(r.appId()));
        item.put("idempotencyKey", AttributeValue.fromS(r.key()));
        item.put("fingerprint", AttributeValue.fromS(r.fingerprint()));
        item.put("taskId", AttributeValue.fromS(r.taskId()));
        item.put("createdAt", AttributeValue.fromS(r.createdAt().toString()));
        // TTL attributes are whole epoch seconds; rounding up never shortens the promised lifetime.
        long expires = r.expiresAt().getEpochSecond() + (r.expiresAt().getNano() > 0 ? 1 : 0);
        item.put("expiresAt", AttributeValue.fromN(Long.toString(expires)));
        if (r.leaseUntil() != null) {
            item.put("leaseUntil", AttributeValue.fromN(Long.toString(r.leaseUntil().toEpochMilli())));
        }
        if (r.response() != null) {
            item.put("responseStatus", AttributeValue.fromN(Integer.toString(r.response().status())));
            item.put("responseBody", AttributeValue.fromS(r.response().body()));
        }
        return item;
    }

    static IdempotencyRecord fromItem(Map<String, AttributeValue> item) {
        StoredResponse response = item.containsKey("responseStatus")
                ? new StoredResponse(Integer.parseInt(item.get("responseStatus").n()), item.get("responseBody").s())
                : null;
        return new IdempotencyRecord(item.get("appId").s(), item.get("idempotencyKey").s(), item.get("fingerprint").s(),
                item.get("taskId").s(), response, Instant.parse(item.get("createdAt").s()),
                Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n())),
                item.containsKey("leaseUntil") ? Instant.ofEpochMilli(Long.parseLong(item.get("leaseUntil").n())) : null);
    }
}
