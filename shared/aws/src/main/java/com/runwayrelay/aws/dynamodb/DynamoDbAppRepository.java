package com.runwayrelay.aws.dynamodb;

import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.app.AppRepository;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link AppRepository} on the one table. Items: {@code app#<id>} (the app, with its key hashes),
 * {@code key#<sha256>} (points at the app; what authentication reads), and one {@code apps}
 * registry item listing app ids, so listing apps never scans the table.
 */
public final class DynamoDbAppRepository implements AppRepository {
    private static final String REGISTRY = "apps";
    /** Every attribute {@link #toItem} may write besides {@code pk}; {@link #replace} sets or removes each. */
    private static final List<String> APP_ATTRIBUTES = List.of("type", "id", "name", "dailyCreditBudget",
            "maxActiveTasks", "allowedEndpoints", "allowedModels", "webhookSecrets", "webhookDisabled", "disabled",
            "ambiguousCreates", "defaultCallbackUrl", "allowUnsafeLatest", "allowedWorkflows", "workflowCeilings",
            "allowedRouterConfigs", "createdAt", "version");

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbAppRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void create(App app, String keyHash) {
        Map<String, AttributeValue> item = toItem(app);
        item.put("keyHashes", AttributeValue.fromSs(List.of(keyHash)));
        transact("app " + app.id() + " or its key already exists",
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(pk)").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(keyItem(keyHash, app.id()))
                        .conditionExpression("attribute_not_exists(pk)").build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(REGISTRY))
                        .updateExpression("ADD ids :id")
                        .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(app.id()))))
                        .build()).build());
    }

    @Override
    public Optional<App> findByKeyHash(String keyHash) {
        Map<String, AttributeValue> keyItem = get("key#" + keyHash);
        if (keyItem == null) {
            return Optional.empty();
        }
        return find(keyItem.get("appId").s());
    }

    @Override
    public Optional<App> find(String appId) {
        return Optional.ofNullable(get("app#" + appId)).map(DynamoDbAppRepository::fromItem);
    }

    @Override
    public List<App> list() {
        Map<String, AttributeValue> registry = get(REGISTRY);
        if (registry == null || !registry.containsKey("ids")) {
            return List.of();
        }
        List<App> apps = new ArrayList<>();
        for (String id : registry.get("ids").ss()) {
            find(id).ifPresent(apps::add);
        }
        apps.sort(Comparator.comparing(App::createdAt));
        return apps;
    }

    @Override
    public void addKey(String appId, String keyHash) {
        transact("app " + appId + " does not exist, or the key already does",
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("app#" + appId))
                        .conditionExpression("attribute_exists(pk)")
                        .updateExpression("ADD keyHashes :h")
                        .expressionAttributeValues(Map.of(":h", AttributeValue.fromSs(List.of(keyHash))))
                        .build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(keyItem(keyHash, appId))
                        .conditionExpression("attribute_not_exists(pk)").build()).build());
    }

    /**
     * Deletes the key's item and takes its hash out of its app's set, in one transaction conditional on the
     * key item still pointing at the app (so a key another writer revoked first is not revoked again, nor
     * counted) and on the app existing: an update on a missing app would create a partial app item. A key
     * whose app is gone (an orphan) loses its item alone, if it still points at that app.
     */
    @Override
    public boolean revokeKey(String keyHash) {
        Map<String, AttributeValue> keyItem = get("key#" + keyHash);
        if (keyItem == null) {
            return false;
        }
        String appId = keyItem.get("appId").s();
        Map<String, AttributeValue> pointsAtApp = Map.of(":a", AttributeValue.fromS(appId));
        try {
            dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                    TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(key("key#" + keyHash))
                            .conditionExpression("appId = :a").expressionAttributeValues(pointsAtApp)
                            .build()).build(),
                    TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("app#" + appId))
                            .conditionExpression("attribute_exists(pk)")
                            .updateExpression("DELETE keyHashes :h")
                            .expressionAttributeValues(Map.of(":h", AttributeValue.fromSs(List.of(keyHash))))
                            .build()).build()).build());
            return true;
        } catch (TransactionCanceledException e) {
            Map<String, AttributeValue> now = get("key#" + keyHash);
            if (now == null || !appId.equals(now.get("appId").s())) {
                // Revoked by another writer meanwhile: not this call's.
                return false;
            }
            if (get("app#" + appId) != null) {
                throw new IllegalStateException("key changed while being revoked", e);
            }
            try {
                dynamo.deleteItem(DeleteItemRequest.builder().tableName(table).key(key("key#" + keyHash))
                        .conditionExpression("appId = :a").expressionAttributeValues(pointsAtApp).build());
                return true;
            } catch (ConditionalCheckFailedException gone) {
                // Revoked by another writer meanwhile: not this call's.
                return false;
            }
        }
    }

    @Override
    public List<String> keyHashes(String appId) {
        return hashesOf(get("app#" + appId));
    }

    /**
     * Sets the app's fields and version with one update conditional on the version read. The key set is
     * never written here: a key {@link #addKey added} since {@code current} was read stays in it.
     */
    @Override
    public boolean replace(App current, App next) {
        if (!current.id().equals(next.id()) || next.version() != current.version() + 1) {
            throw new IllegalArgumentException("next must be the following version of the same app");
        }
        Map<String, AttributeValue> item = toItem(next);
        item.remove("pk");
        if (!APP_ATTRIBUTES.containsAll(item.keySet())) {
            throw new IllegalStateException("app attributes not listed in APP_ATTRIBUTES: " + item.keySet());
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        int n = 0;
        for (String attribute : APP_ATTRIBUTES) {
            String name = "#a" + n;
            names.put(name, attribute);
            if (item.containsKey(attribute)) {
                values.put(":a" + n, item.get(attribute));
                sets.add(name + " = :a" + n);
            } else {
                removes.add(name);
            }
            n++;
        }
        names.put("#v", "version");
        values.put(":v", AttributeValue.fromN(Long.toString(current.version())));
        String update = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key("app#" + current.id()))
                    .updateExpression(update)
                    .conditionExpression("attribute_exists(pk) AND #v = :v")
                    .expressionAttributeNames(names).expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Deletes the app, every key in the set read just before, and its registry entry, conditional on the
     * version and on that set still being the stored one: a key added (or revoked) in between makes the
     * delete fail (empty, like a version conflict) instead of leaving an orphaned key item behind. So the
     * set read is exactly the set the successful transaction removed, and what it answers.
     */
    @Override
    public Optional<List<String>> delete(App current) {
        Map<String, AttributeValue> stored = get("app#" + current.id());
        if (stored == null) {
            return Optional.empty();
        }
        List<String> hashes = hashesOf(stored);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":v", AttributeValue.fromN(Long.toString(current.version())));
        String condition = "#v = :v AND ";
        if (hashes.isEmpty()) {
            condition += "attribute_not_exists(keyHashes)";
        } else {
            condition += "keyHashes = :h";
            values.put(":h", AttributeValue.fromSs(hashes));
        }
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(key("app#" + current.id()))
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#v", "version"))
                .expressionAttributeValues(values)
                .build()).build());
        for (String hash : hashes) {
            writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(key("key#" + hash))
                    .build()).build());
        }
        writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(REGISTRY))
                .updateExpression("DELETE ids :id")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(current.id()))))
                .build()).build());
        try {
            dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(writes).build());
            return Optional.of(hashes);
        } catch (TransactionCanceledException e) {
            return Optional.empty();
        }
    }

    private static List<String> hashesOf(Map<String, AttributeValue> appItem) {
        if (appItem == null || !appItem.containsKey("keyHashes")) {
            return List.of();
        }
        return appItem.get("keyHashes").ss().stream().sorted().toList();
    }

    private void transact(String conflictMessage, TransactWriteItem... items) {
        try {
            dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
        } catch (TransactionCanceledException e) {
            throw new IllegalStateException(conflictMessage, e);
        }
    }

    private Map<String, AttributeValue> get(String pk) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table).key(key(pk))
                .consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }

    private static Map<String, AttributeValue> keyItem(String keyHash, String appId) {
        return new HashMap<>(Map.of("pk", AttributeValue.fromS("key#" + keyHash), "type", AttributeValue.fromS("key"),
                "appId", AttributeValue.fromS(appId)));
    }

    static Map<String, AttributeValue> toItem(App app) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("app#" + app.id()));
        item.put("type", AttributeValue.fromS("app"));
        item.put("id", AttributeValue.fromS(app.id()));
        item.put("name", AttributeValue.fromS(app.name()));
        item.put("dailyCreditBudget", AttributeValue.fromN(Long.toString(app.dailyCreditBudget())));
        item.put("maxActiveTasks", AttributeValue.fromN(Integer.toString(app.maxActiveTasks())));
        if (!app.allowedEndpoints().isEmpty()) {
            item.put("allowedEndpoints", AttributeValue.fromSs(List.copyOf(app.allowedEndpoints())));
        }
        if (!app.allowedModels().isEmpty()) {
            item.put("allowedModels", AttributeValue.fromSs(List.copyOf(app.allowedModels())));
        }
        if (!app.webhookSecrets().isEmpty()) {
            item.put("webhookSecrets", AttributeValue.fromL(app.webhookSecrets().stream().map(s -> {
                Map<String, AttributeValue> m = new HashMap<>();
                m.put("secret", AttributeValue.fromS(s.secret()));
                m.put("createdAt", AttributeValue.fromS(s.createdAt().toString()));
                if (s.expiresAt() != null) {
                    m.put("expiresAt", AttributeValue.fromS(s.expiresAt().toString()));
                }
                return AttributeValue.fromM(m);
            }).toList()));
        }
        item.put("webhookDisabled", AttributeValue.fromBool(app.webhookDisabled()));
        item.put("disabled", AttributeValue.fromBool(app.disabled()));
        item.put("ambiguousCreates", AttributeValue.fromS(app.ambiguousCreates().wireName()));
        if (app.defaultCallbackUrl() != null) {
            item.put("defaultCallbackUrl", AttributeValue.fromS(app.defaultCallbackUrl()));
        }
        if (app.allowUnsafeLatest()) {
            item.put("allowUnsafeLatest", AttributeValue.fromBool(true));
        }
        if (!app.allowedWorkflows().isEmpty()) {
            item.put("allowedWorkflows", AttributeValue.fromSs(List.copyOf(app.allowedWorkflows())));
        }
        if (!app.workflowCeilings().isEmpty()) {
            Map<String, AttributeValue> ceilings = new HashMap<>();
            app.workflowCeilings().forEach((w, credits) -> ceilings.put(w, AttributeValue.fromN(Long.toString(credits))));
            item.put("workflowCeilings", AttributeValue.fromM(ceilings));
        }
        if (!app.allowedRouterConfigs().isEmpty()) {
            item.put("allowedRouterConfigs", AttributeValue.fromSs(List.copyOf(app.allowedRouterConfigs())));
        }
        item.put("createdAt", AttributeValue.fromS(app.createdAt().toString()));
        item.put("version", AttributeValue.fromN(Long.toString(app.version())));
        return item;
    }

    static App fromItem(Map<String, AttributeValue> item) {
        List<App.WebhookSecret> secrets = item.containsKey("webhookSecrets")
                ? item.get("webhookSecrets").l().stream().map(v -> new App.WebhookSecret(
                        v.m().get("secret").s(), Instant.parse(v.m().get("createdAt").s()),
                        v.m().containsKey("expiresAt") ? Instant.parse(v.m().get("expiresAt").s()) : null)).toList()
                : List.of();
        return new App(item.get("id").s(), item.get("name").s(),
                Long.parseLong(item.get("dailyCreditBudget").n()), Integer.parseInt(item.get("maxActiveTasks").n()),
                item.containsKey("allowedEndpoints") ? Set.copyOf(item.get("allowedEndpoints").ss()) : Set.of(),
                item.containsKey("allowedModels") ? Set.copyOf(item.get("allowedModels").ss()) : Set.of(),
                secrets, item.get("webhookDisabled").bool(), item.get("disabled").bool(),
                // Apps stored before the policy existed have none: the default.
                item.containsKey("ambiguousCreates") ? AmbiguousCreatePolicy.parse(item.get("ambiguousCreates").s()) : null,
                item.containsKey("defaultCallbackUrl") ? item.get("defaultCallbackUrl").s() : null,
                // Absent on apps stored before the flag existed and on apps without it: not allowed.
                item.containsKey("allowUnsafeLatest") && Boolean.TRUE.equals(item.get("allowUnsafeLatest").bool()),
                item.containsKey("allowedWorkflows") ? Set.copyOf(item.get("allowedWorkflows").ss()) : Set.of(),
                workflowCeilings(item),
                // A string set cannot be empty in DynamoDB: absent = no router allowed.
                item.containsKey("allowedRouterConfigs") ? Set.copyOf(item.get("allowedRouterConfigs").ss()) : Set.of(),
                Instant.parse(item.get("createdAt").s()), Long.parseLong(item.get("version").n()));
    }

    private static Map<String, Long> workflowCeilings(Map<String, AttributeValue> item) {
        if (!item.containsKey("workflowCeilings")) {
            return Map.of();
        }
        Map<String, Long> ceilings = new HashMap<>();
        item.get("workflowCeilings").m().forEach((w, v) -> ceilings.put(w, Long.parseLong(v.n())));
        return ceilings;
    }
}
