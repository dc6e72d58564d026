package com.runwayrelay.aws.dynamodb;

import com.runwayrelay.domain.router.RouterCap;
import com.runwayrelay.domain.router.RouterCaps;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * {@link RouterCaps} as one item per slug ({@code pk = router#<slug>}) in the gateway's table; the
 * caps are a map of kind to whole credits. Reads are strongly consistent, so a cap the operator
 * just changed is the one the next generation reserves.
 */
public final class DynamoDbRouterCaps implements RouterCaps {
    private static final String PREFIX = "router#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbRouterCaps(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public void put(RouterCap cap) {
        dynamo.putItem(PutItemRequest.builder().tableName(table).item(toItem(cap)).build());
    }

    @Override
    public Optional<RouterCap> find(String slug) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table).key(key(slug))
                .consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public void remove(String slug) {
        dynamo.deleteItem(DeleteItemRequest.builder().tableName(table).key(key(slug)).build());
    }

    static Map<String, AttributeValue> toItem(RouterCap cap) {
        Map<String, AttributeValue> item = new HashMap<>(key(cap.slug()));
        item.put("type", AttributeValue.fromS("router"));
        item.put("slug", AttributeValue.fromS(cap.slug()));
        item.put("runwayId", AttributeValue.fromS(cap.runwayId()));
        Map<String, AttributeValue> caps = new HashMap<>();
        cap.maxCredits().forEach((kind, credits) -> caps.put(kind, AttributeValue.fromN(Long.toString(credits))));
        item.put("maxCredits", AttributeValue.fromM(caps));
        item.put("seenAt", AttributeValue.fromS(cap.seenAt().toString()));
        return item;
    }

    static RouterCap fromItem(Map<String, AttributeValue> item) {
        Map<String, Long> caps = new HashMap<>();
        item.get("maxCredits").m().forEach((kind, credits) -> caps.put(kind, Long.parseLong(credits.n())));
        return new RouterCap(item.get("slug").s(), item.get("runwayId").s(), caps, Instant.parse(item.get("seenAt").s()));
    }

    private static Map<String, AttributeValue> key(String slug) {
        return Map.of("pk", AttributeValue.fromS(PREFIX + slug));
    }
}
