package com.runwayrelay.aws.dynamodb;

import com.runwayrelay.domain.owned.CreateIntent;
import com.runwayrelay.domain.owned.Ownership;
import com.runwayrelay.domain.owned.OwnershipStore;
import com.runwayrelay.domain.owned.ResourceKind;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link OwnershipStore} on the one table: item {@code owned#<kind>#<runwayId>} (one owner per
 * resource, a put conditional on no item) with {@code ownerApp}, {@code name}, {@code createdAt},
 * {@code updatedAt}, an unsettled charge's {@code chargeLedgerId} and {@code chargeCredits}, a settled
 * session's {@code measuredSeconds} (none projected into the index, so listed records carry none), and
 * the keys of the sparse {@value #INDEX}: {@code ownedPart} ({@code <appId>#<kind>}) and {@code ownedKey}
 * ({@code <createdAt, fixed width>#<runwayId>}), so an app's list is one Query on its own partition, in
 * creation order, ties by id. While a record holds a charge it also carries the due index's keys, in a
 * shard of its own that no task uses ({@value #CHARGE_SHARD}; the poller's task queries name shards 0 and
 * up): {@code dueShard} and {@code dueAt} = the charge's check time in epoch millis, so the settlement
 * pass finds the due charges of every app with one Query and no index of their own. The items carry
 * none of the task list indexes' keys ({@code appId}, {@code listPart}, {@code createdKey}) and no
 * {@code state}, so they stay out of the task lists and the stream's filters. Lists read the index,
 * which is eventually consistent: a record written a moment ago may be missing from a list.
 *
 * <p>A {@link CreateIntent} is item {@code intent#<kind>#<intentId>} with {@code ownerApp}, {@code kind},
 * {@code name}, {@code createdAt} (the intent's start), {@code expiresAt} (the table's TTL, epoch seconds,
 * {@link CreateIntent#KEEP} after the start) and, once reported, {@code reportedAt} and {@code reportClaim} (a
 * random token of the claim that reported it, so a claim whose answer was lost, and whose retry then found the
 * intent reported or whose client gave up, still knows the report is its own). It is in the owned
 * index under partition {@code #intent#<kind>} (no app id starts with '#') keyed by start time, so the
 * orphan scan's hints for one page are one Query; while unreported it is also in the due index's shard
 * {@value #INTENT_SHARD} at its start time, so the poller's sweep finds the old ones with one Query, and
 * reporting it (conditional on that key) takes it out.
 */
public final class DynamoDbOwnershipStore implements OwnershipStore {
    static final String PREFIX = "owned#";
    /** The GSI of ownership records, by app and kind. */
    public static final String INDEX = "owned-index";
    /** The due-index shard of charged ownership records; task shards are 0 and up. */
    public static final int CHARGE_SHARD = -1;
    static final String INTENT_PREFIX = "intent#";
    /** The due-index shard of unreported create intents (the sweep's query); task shards are 0 and up. */
    public static final int INTENT_SHARD = -2;
    private static final int BATCH = 100;
    private static final DateTimeFormatter FIXED = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbOwnershipStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean record(Ownership ownership) {
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(toItem(ownership))
                    .conditionExpression("attribute_not_exists(pk)").build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean transfer(Ownership next, String fromAppId) {
        try {
            // A whole new item: its index keys move it into the new owner's list.
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(toItem(next))
                    .conditionExpression("ownerApp = :from")
                    .expressionAttributeValues(Map.of(":from", AttributeValue.fromS(fromAppId))).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Ownership> find(ResourceKind kind, String runwayId) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(key(kind, runwayId)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public boolean update(Ownership ownership) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":n", AttributeValue.fromS(ownership.name()),
                ":u", AttributeValue.fromS(ownership.updatedAt().toString())));
        String expression = "SET #n = :n, updatedAt = :u";
        List<String> removed = new java.util.ArrayList<>();
        if (ownership.charge() == null) {
            removed.addAll(List.of("chargeLedgerId", "chargeCredits", "dueShard", "dueAt"));
        } else {
            expression += ", chargeLedgerId = :cl, chargeCredits = :cc, dueShard = :ds, dueAt = :da";
            values.put(":cl", AttributeValue.fromS(ownership.charge().ledgerId()));
            values.put(":cc", AttributeValue.fromN(Long.toString(ownership.charge().reservedCredits())));
            values.put(":ds", AttributeValue.fromN(Integer.toString(CHARGE_SHARD)));
            values.put(":da", AttributeValue.fromN(Long.toString(ownership.charge().checkAt().toEpochMilli())));
        }
        if (ownership.measuredSeconds() == null) {
            removed.add("measuredSeconds");
        } else {
            expression += ", measuredSeconds = :ms";
            values.put(":ms", number(ownership.measuredSeconds()));
        }
        if (!removed.isEmpty()) {
            expression += " REMOVE " + String.join(", ", removed);
        }
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key(ownership.kind(), ownership.runwayId()))
                    .conditionExpression("attribute_exists(pk)")
                    .updateExpression(expression)
                    .expressionAttributeNames(Map.of("#n", "name"))
                    .expressionAttributeValues(values)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Map<String, Ownership> findAll(ResourceKind kind, Collection<String> runwayIds) {
        Map<String, Ownership> found = new HashMap<>();
        List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(runwayIds));
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + BATCH)).stream()
                    .map(id -> key(kind, id)).toList();
            Map<String, KeysAndAttributes> pending = Map.of(table,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            while (!pending.isEmpty()) {
                BatchGetItemResponse response = dynamo.batchGetItem(BatchGetItemRequest.builder()
                        .requestItems(pending).build());
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                    Ownership o = fromItem(item);
                    found.put(o.runwayId(), o);
                }
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return found;
    }

    @Override
    public List<Ownership> chargesDue(Instant now, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        List<Map<String, AttributeValue>> keys = dynamo.query(QueryRequest.builder().tableName(table)
                .indexName(DynamoDbTaskRepository.DUE_INDEX)
                .keyConditionExpression("dueShard = :shard AND dueAt <= :now")
                .expressionAttributeValues(Map.of(":shard", AttributeValue.fromN(Integer.toString(CHARGE_SHARD)),
                        ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli()))))
                .limit(limit).build()).items();
        List<Ownership> due = new java.util.ArrayList<>();
        for (Map<String, AttributeValue> key : keys) {
            // The index lags the table: read the record itself, and let the caller skip one settled meanwhile.
            Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                    .key(Map.of("pk", key.get("pk"))).consistentRead(true).build()).item();
            if (item != null && !item.isEmpty()) {
                due.add(fromItem(item));
            }
        }
        return due;
    }

    @Override
    public boolean moveCheck(ResourceKind kind, String runwayId, Ownership.Charge expected, Instant checkAt) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key(kind, runwayId))
                    .conditionExpression("chargeLedgerId = :cl AND dueAt = :old")
                    .updateExpression("SET dueAt = :new")
                    .expressionAttributeValues(Map.of(":cl", AttributeValue.fromS(expected.ledgerId()),
                            ":old", AttributeValue.fromN(Long.toString(expected.checkAt().toEpochMilli())),
                            ":new", AttributeValue.fromN(Long.toString(checkAt.toEpochMilli()))))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void remove(ResourceKind kind, String runwayId) {
        dynamo.deleteItem(DeleteItemRequest.builder().tableName(table).key(key(kind, runwayId)).build());
    }

    @Override
    public Page list(String appId, ResourceKind kind, boolean descending, Position after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":p", AttributeValue.fromS(part(appId, kind)));
        String condition = "ownedPart = :p";
        if (after != null) {
            // A bound on the sort key rather than an ExclusiveStartKey: the partition stays the caller's.
            condition += descending ? " AND ownedKey < :k" : " AND ownedKey > :k";
            values.put(":k", AttributeValue.fromS(sortKey(after.createdAt(), after.runwayId())));
        }
        List<Map<String, AttributeValue>> items = dynamo.query(QueryRequest.builder().tableName(table).indexName(INDEX)
                .keyConditionExpression(condition).expressionAttributeValues(values)
                .scanIndexForward(!descending).limit(limit + 1).build()).items();
        List<Ownership> page = items.stream().limit(limit).map(DynamoDbOwnershipStore::fromItem).toList();
        return new Page(page, items.size() > limit);
    }

    @Override
    public void recordIntent(CreateIntent intent) {
        Map<String, AttributeValue> item = new HashMap<>(intentKey(intent.kind(), intent.intentId()));
        item.put("ownerApp", AttributeValue.fromS(intent.appId()));
        item.put("kind", AttributeValue.fromS(intent.kind().wireName()));
        item.put("name", AttributeValue.fromS(intent.name()));
        item.put("createdAt", AttributeValue.fromS(intent.startedAt().toString()));
        item.put("ownedPart", AttributeValue.fromS(intentPart(intent.kind())));
        item.put("ownedKey", AttributeValue.fromS(sortKey(intent.startedAt(), intent.intentId())));
        item.put("dueShard", AttributeValue.fromN(Integer.toString(INTENT_SHARD)));
        item.put("dueAt", AttributeValue.fromN(Long.toString(intent.startedAt().toEpochMilli())));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(intent.startedAt().plus(CreateIntent.KEEP).getEpochSecond())));
        dynamo.putItem(PutItemRequest.builder().tableName(table).item(item).build());
    }

    @Override
    public void removeIntent(ResourceKind kind, String intentId) {
        dynamo.deleteItem(DeleteItemRequest.builder().tableName(table).key(intentKey(kind, intentId)).build());
    }

    @Override
    public boolean markIntentReported(CreateIntent intent, Instant at) {
        // A token of this claim: when the client retries an update that landed but whose answer was lost, the
        // retry's condition fails on our own write, and the token tells it from another caller's claim.
        String claim = UUID.randomUUID().toString();
        try {
            // Out of the due index: the sweep never finds it again; the owned index keeps it for the scan's hints.
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(intentKey(intent.kind(), intent.intentId()))
                    .conditionExpression("attribute_exists(dueAt)")
                    .updateExpression("SET reportedAt = :at, reportClaim = :claim REMOVE dueShard, dueAt")
                    .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(at.toString()),
                            ":claim", AttributeValue.fromS(claim)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            AttributeValue stored = e.hasItem() ? e.item().get("reportClaim") : null;
            return stored != null && claim.equals(stored.s());
        } catch (RuntimeException e) {
            // The client gave up, perhaps after an attempt that landed: then the intent has left the due index and
            // no later sweep would find it, so the report is this caller's to make now.
            if (claimed(intent, claim, e)) {
                return true;
            }
            throw e;
        }
    }

    /** Whether the intent carries {@code claim}, read consistently; a failed read adds to {@code failure}. */
    private boolean claimed(CreateIntent intent, String claim, RuntimeException failure) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                    .key(intentKey(intent.kind(), intent.intentId())).consistentRead(true).build()).item();
            AttributeValue stored = item == null ? null : item.get("reportClaim");
            return stored != null && claim.equals(stored.s());
        } catch (RuntimeException readFailure) {
            failure.addSuppressed(readFailure);
            return false;
        }
    }

    @Override
    public List<CreateIntent> intentsDue(Instant startedBy, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        List<Map<String, AttributeValue>> keys = dynamo.query(QueryRequest.builder().tableName(table)
                .indexName(DynamoDbTaskRepository.DUE_INDEX)
                .keyConditionExpression("dueShard = :shard AND dueAt <= :by")
                .expressionAttributeValues(Map.of(":shard", AttributeValue.fromN(Integer.toString(INTENT_SHARD)),
                        ":by", AttributeValue.fromN(Long.toString(startedBy.toEpochMilli()))))
                .limit(limit).build()).items();
        List<CreateIntent> due = new java.util.ArrayList<>();
        for (Map<String, AttributeValue> key : keys) {
            // The index lags the table: read the intent itself; one removed meanwhile is gone, one reported carries it.
            Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                    .key(Map.of("pk", key.get("pk"))).consistentRead(true).build()).item();
            if (item != null && !item.isEmpty()) {
                due.add(intentFromItem(item));
            }
        }
        return due;
    }

    @Override
    public List<CreateIntent> intentsStarted(ResourceKind kind, Instant from, Instant to, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        // Sort keys are <startedAt, fixed width>#<intentId>; '~' follows every character of an intent id.
        List<Map<String, AttributeValue>> items = dynamo.query(QueryRequest.builder().tableName(table).indexName(INDEX)
                .keyConditionExpression("ownedPart = :p AND ownedKey BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(intentPart(kind)),
                        ":from", AttributeValue.fromS(FIXED.format(from)),
                        ":to", AttributeValue.fromS(FIXED.format(to) + "#~")))
                .limit(limit).build()).items();
        return items.stream().map(DynamoDbOwnershipStore::intentFromItem).map(i -> i.reported(null)).toList();
    }

    private static Map<String, AttributeValue> intentKey(ResourceKind kind, String intentId) {
        return Map.of("pk", AttributeValue.fromS(INTENT_PREFIX + kind.wireName() + "#" + intentId));
    }

    /** The owned index's partition of a kind's intents: no app id starts with '#', so no app's list shares it. */
    private static String intentPart(ResourceKind kind) {
        return "#intent#" + kind.wireName();
    }

    private static CreateIntent intentFromItem(Map<String, AttributeValue> item) {
        String pk = item.get("pk").s();
        String kind = item.get("kind").s();
        String intentId = pk.substring(INTENT_PREFIX.length() + kind.length() + 1);
        return new CreateIntent(intentId, kindOf(kind), item.get("ownerApp").s(), item.get("name").s(),
                Instant.parse(item.get("createdAt").s()),
                item.containsKey("reportedAt") ? Instant.parse(item.get("reportedAt").s()) : null);
    }

    private static ResourceKind kindOf(String wireName) {
        return ResourceKind.byWireName(wireName)
                .orElseThrow(() -> new IllegalStateException("unknown resource kind in the table: " + wireName));
    }

    private static AttributeValue number(double value) {
        return AttributeValue.fromN(java.math.BigDecimal.valueOf(value).toPlainString());
    }

    private static Map<String, AttributeValue> key(ResourceKind kind, String runwayId) {
        return Map.of("pk", AttributeValue.fromS(PREFIX + kind.wireName() + "#" + runwayId));
    }

    private static String part(String appId, ResourceKind kind) {
        return appId + "#" + kind.wireName();
    }

    private static String sortKey(Instant createdAt, String runwayId) {
        return FIXED.format(createdAt) + "#" + runwayId;
    }

    private static Map<String, AttributeValue> toItem(Ownership o) {
        Map<String, AttributeValue> item = new HashMap<>(key(o.kind(), o.runwayId()));
        item.put("ownerApp", AttributeValue.fromS(o.appId()));
        item.put("kind", AttributeValue.fromS(o.kind().wireName()));
        item.put("runwayId", AttributeValue.fromS(o.runwayId()));
        item.put("name", AttributeValue.fromS(o.name()));
        item.put("createdAt", AttributeValue.fromS(o.createdAt().toString()));
        item.put("updatedAt", AttributeValue.fromS(o.updatedAt().toString()));
        item.put("ownedPart", AttributeValue.fromS(part(o.appId(), o.kind())));
        item.put("ownedKey", AttributeValue.fromS(sortKey(o.createdAt(), o.runwayId())));
        if (o.charge() != null) {
            item.put("chargeLedgerId", AttributeValue.fromS(o.charge().ledgerId()));
            item.put("chargeCredits", AttributeValue.fromN(Long.toString(o.charge().reservedCredits())));
            item.put("dueShard", AttributeValue.fromN(Integer.toString(CHARGE_SHARD)));
            item.put("dueAt", AttributeValue.fromN(Long.toString(o.charge().checkAt().toEpochMilli())));
        }
        if (o.measuredSeconds() != null) {
            item.put("measuredSeconds", number(o.measuredSeconds()));
        }
        return item;
    }

    private static Ownership fromItem(Map<String, AttributeValue> item) {
        String kind = item.get("kind").s();
        ResourceKind resourceKind = java.util.Arrays.stream(ResourceKind.values())
                .filter(k -> k.wireName().equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown resource kind in the table: " + kind));
        Instant createdAt = Instant.parse(item.get("createdAt").s());
        // A charge written before check times existed is due at once (it is in no index, so only a read finds it).
        Ownership.Charge charge = item.containsKey("chargeLedgerId")
                ? new Ownership.Charge(item.get("chargeLedgerId").s(), Long.parseLong(item.get("chargeCredits").n()),
                item.containsKey("dueAt") ? Instant.ofEpochMilli(Long.parseLong(item.get("dueAt").n())) : createdAt)
                : null;
        Double measured = item.containsKey("measuredSeconds") ? Double.valueOf(item.get("measuredSeconds").n()) : null;
        return new Ownership(item.get("ownerApp").s(), resourceKind, item.get("runwayId").s(), item.get("name").s(),
                createdAt, Instant.parse(item.get("updatedAt").s()), charge, measured);
    }
}
