package com.runwayrelay.aws.gateway;

import com.runwayrelay.domain.gateway.UsageLedger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link UsageLedger} on the one table.
 *
 * <ul>
 *   <li>{@code usage#<appId>#<yyyy-mm-dd>}: {@code usedCredits}, {@code tasks}, one
 *       {@code model:<name>} task counter and one {@code modelCredits:<name>} credit counter per model,
 *       for one UTC day; expires after {@value #USAGE_RETENTION_DAYS} days. The per-model credits move
 *       with {@code usedCredits} in the same updates (admission, settlement, possible orphans), so they
 *       cost no extra write.</li>
 *   <li>{@code active#<appId>}: {@code slots}, a string set of {@code <taskId>@<epoch millis>}.</li>
 *   <li>{@code settled#<taskId>}: marks a settled task, so settling twice changes nothing.</li>
 *   <li>{@code orphan#<appId>#<taskId>#<attempt>}: marks a counted possible orphan, so counting twice changes
 *       nothing; the day's item adds {@code possibleOrphans} and {@code possibleOrphanCredits}.</li>
 * </ul>
 * Admission is one transaction of two conditional updates (budget: {@code usedCredits <=
 * budget - credits}; slots: {@code size(slots) < max} and the task's slot not yet there, so a
 * repeated admission of the same task and instant adds nothing); settlement is one transaction
 * that puts the marker (only if absent), adjusts the credits and removes the slot; an orphan's
 * count is one transaction that puts its marker (only if absent) and adds to the day's counters
 * (within the budget, when one is given).
 */
public final class DynamoDbUsageLedger implements UsageLedger {
    static final int USAGE_RETENTION_DAYS = 400;
    private static final String MODEL_PREFIX = "model:";
    private static final String MODEL_CREDITS_PREFIX = "modelCredits:";
    /** BatchGetItem's limit of keys per call. */
    private static final int BATCH_GET = 100;
    private static final int TRIES = 5;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbUsageLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Admission admit(Reservation r) {
        long limit = r.dailyBudget() - r.credits();
        if (limit < 0) {
            return new Admission.OverBudget(usage(r.appId(), r.day()).usedCredits(), r.dailyBudget(), r.credits());
        }
        Map<String, String> names = new HashMap<>(Map.of("#d", "day"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":c", n(r.credits()), ":one", n(1), ":limit", n(limit), ":app", s(r.appId()),
                ":day", s(r.day().toString()), ":exp", n(expiry(r.day())), ":type", s("usage")));
        String add = "ADD usedCredits :c, tasks :one";
        if (r.model() != null) {
            names.put("#m", MODEL_PREFIX + r.model());
            names.put("#mc", MODEL_CREDITS_PREFIX + r.model());
            add += ", #m :one, #mc :c";
        }
        Update usage = Update.builder().tableName(table).key(usageKey(r.appId(), r.day()))
                .updateExpression(add + " SET expiresAt = if_not_exists(expiresAt, :exp), appId = :app, #d = :day, #t = :type")
                .conditionExpression("attribute_not_exists(usedCredits) OR usedCredits <= :limit")
                .expressionAttributeNames(with(names, "#t", "type"))
                .expressionAttributeValues(values)
                .build();
        Update slot = Update.builder().tableName(table).key(activeKey(r.appId()))
                .updateExpression("ADD slots :slot SET appId = :app, #t = :type")
                .conditionExpression("(attribute_not_exists(slots) OR size(slots) < :max) AND NOT contains(slots, :token)")
                .expressionAttributeNames(Map.of("#t", "type"))
                .expressionAttributeValues(Map.of(":slot", AttributeValue.fromSs(List.of(r.slot().token())),
                        ":token", s(r.slot().token()),
                        ":app", s(r.appId()), ":max", n(r.maxActiveTasks()), ":type", s("active")))
                .build();
        for (int attempt = 1; ; attempt++) {
            try {
                transact(TransactWriteItem.builder().update(usage).build(), TransactWriteItem.builder().update(slot).build());
                return new Admission.Admitted();
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if ((failedCondition(reasons, 0) || failedCondition(reasons, 1)) && holds(r.appId(), r.slot())) {
                    // Admitted before (a request that stopped after its admission, taken over): nothing to add.
                    return new Admission.Admitted();
                }
                if (failedCondition(reasons, 0)) {
                    return new Admission.OverBudget(usage(r.appId(), r.day()).usedCredits(), r.dailyBudget(), r.credits());
                }
                if (failedCondition(reasons, 1)) {
                    return new Admission.TooManyActive(activeSlots(r.appId()).size(), r.maxActiveTasks());
                }
                if (attempt == TRIES) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    /** Whether the app's slots hold this one (compared as stored: the instant in whole milliseconds). */
    private boolean holds(String appId, ActiveSlot slot) {
        return activeSlots(appId).stream().anyMatch(held -> held.token().equals(slot.token()));
    }

    @Override
    public void settle(Settlement s) {
        Map<String, AttributeValue> marker = new HashMap<>(Map.of(
                "pk", s("settled#" + s.taskId()), "type", s("settlement"), "appId", s(s.appId()),
                "reservedCredits", n(s.reservedCredits()), "actualCredits", n(s.actualCredits()),
                "expiresAt", n(expiry(s.day()))));
        TransactWriteItem putMarker = TransactWriteItem.builder().put(Put.builder().tableName(table).item(marker)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
        Update.Builder adjustUsage = Update.builder().tableName(table)
                .key(usageKey(s.appId(), s.day()))
                .expressionAttributeValues(Map.of(":delta", n(s.actualCredits() - s.reservedCredits()),
                        ":exp", n(expiry(s.day()))));
        if (s.model() != null) {
            adjustUsage.updateExpression("ADD usedCredits :delta, #mc :delta SET expiresAt = if_not_exists(expiresAt, :exp)")
                    .expressionAttributeNames(Map.of("#mc", MODEL_CREDITS_PREFIX + s.model()));
        } else {
            adjustUsage.updateExpression("ADD usedCredits :delta SET expiresAt = if_not_exists(expiresAt, :exp)");
        }
        TransactWriteItem adjust = TransactWriteItem.builder().update(adjustUsage.build()).build();
        TransactWriteItem free = TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(activeKey(s.appId()))
                .updateExpression("DELETE slots :slot")
                .expressionAttributeValues(Map.of(":slot", AttributeValue.fromSs(List.of(s.slot().token()))))
                .build()).build();
        for (int attempt = 1; ; attempt++) {
            try {
                transact(putMarker, adjust, free);
                return;
            } catch (TransactionCanceledException e) {
                if (failedCondition(e.cancellationReasons(), 0)) {
                    // Settled before: the credits are right; make sure the slot is gone too.
                    freeSlot(s.appId(), s.slot());
                    return;
                }
                if (attempt == TRIES) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    @Override
    public Admission reserveOrphan(OrphanReservation r) {
        Map<String, AttributeValue> marker = new HashMap<>(Map.of(
                "pk", s("orphan#" + r.appId() + "#" + r.taskId() + "#" + r.attempt()), "type", s("possible-orphan"),
                "appId", s(r.appId()), "taskId", s(r.taskId()), "attempt", n(r.attempt()),
                "credits", n(r.credits()), "day", s(r.day().toString()), "expiresAt", n(expiry(r.day()))));
        TransactWriteItem putMarker = TransactWriteItem.builder().put(Put.builder().tableName(table).item(marker)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":c", n(r.credits()), ":one", n(1),
                ":app", s(r.appId()), ":day", s(r.day().toString()), ":exp", n(expiry(r.day())), ":type", s("usage")));
        Map<String, String> orphanNames = new HashMap<>(Map.of("#d", "day", "#t", "type"));
        String orphanAdd = "ADD usedCredits :c, possibleOrphans :one, possibleOrphanCredits :c";
        if (r.model() != null) {
            orphanNames.put("#mc", MODEL_CREDITS_PREFIX + r.model());
            orphanAdd += ", #mc :c";
        }
        Update.Builder usage = Update.builder().tableName(table).key(usageKey(r.appId(), r.day()))
                .updateExpression(orphanAdd
                        + " SET expiresAt = if_not_exists(expiresAt, :exp), appId = :app, #d = :day, #t = :type")
                .expressionAttributeNames(orphanNames);
        if (r.dailyBudget() != null) {
            long limit = r.dailyBudget() - r.credits();
            if (limit < 0) {
                return new Admission.OverBudget(usage(r.appId(), r.day()).usedCredits(), r.dailyBudget(), r.credits());
            }
            values.put(":limit", n(limit));
            usage.conditionExpression("attribute_not_exists(usedCredits) OR usedCredits <= :limit");
        }
        TransactWriteItem add = TransactWriteItem.builder().update(usage.expressionAttributeValues(values).build()).build();
        for (int attempt = 1; ; attempt++) {
            try {
                transact(putMarker, add);
                return new Admission.Admitted();
            } catch (TransactionCanceledException e) {
                if (failedCondition(e.cancellationReasons(), 0)) {
                    return new Admission.Admitted();
                }
                if (failedCondition(e.cancellationReasons(), 1)) {
                    return new Admission.OverBudget(usage(r.appId(), r.day()).usedCredits(), r.dailyBudget(), r.credits());
                }
                if (attempt == TRIES) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    @Override
    public void freeSlot(String appId, ActiveSlot slot) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(activeKey(appId))
                    .conditionExpression("attribute_exists(pk)")
                    .updateExpression("DELETE slots :slot")
                    .expressionAttributeValues(Map.of(":slot", AttributeValue.fromSs(List.of(slot.token()))))
                    .build());
        } catch (ConditionalCheckFailedException e) {
            // No slots at all: nothing to free.
        }
    }

    @Override
    public List<ActiveSlot> activeSlots(String appId) {
        Map<String, AttributeValue> item = get(activeKey(appId));
        if (item == null || !item.containsKey("slots")) {
            return List.of();
        }
        List<ActiveSlot> slots = new ArrayList<>();
        item.get("slots").ss().forEach(token -> slots.add(ActiveSlot.parse(token)));
        slots.sort(Comparator.comparing(ActiveSlot::admittedAt));
        return slots;
    }

    @Override
    public DailyUsage usage(String appId, LocalDate day) {
        return dailyUsage(day, get(usageKey(appId, day)));
    }

    /**
     * The days' items in BatchGetItem calls of up to {@value #BATCH_GET} keys (a 92-day range: one call),
     * eventually consistent: a report, not an admission decision. Unprocessed keys are asked again.
     */
    @Override
    public List<DailyUsage> usage(String appId, LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from must not be after to");
        }
        List<LocalDate> days = from.datesUntil(to.plusDays(1)).toList();
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        for (int start = 0; start < days.size(); start += BATCH_GET) {
            List<Map<String, AttributeValue>> keys = days.subList(start, Math.min(days.size(), start + BATCH_GET))
                    .stream().map(day -> usageKey(appId, day)).toList();
            Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(keys).build());
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                BatchGetItemResponse response = dynamo.batchGetItem(BatchGetItemRequest.builder()
                        .requestItems(pending).build());
                response.responses().getOrDefault(table, List.of())
                        .forEach(item -> found.put(item.get("pk").s(), item));
                pending = response.unprocessedKeys() == null ? Map.of() : response.unprocessedKeys();
                if (!pending.isEmpty()) {
                    if (attempt == TRIES) {
                        throw new IllegalStateException("DynamoDB left usage keys unprocessed " + TRIES + " times");
                    }
                    backOff(attempt);
                }
            }
        }
        return days.stream().map(day -> dailyUsage(day, found.get(usageKey(appId, day).get("pk").s()))).toList();
    }

    private static DailyUsage dailyUsage(LocalDate day, Map<String, AttributeValue> item) {
        if (item == null) {
            return new DailyUsage(day, 0, 0, Map.of());
        }
        Map<String, Long> byModel = new TreeMap<>();
        Map<String, Long> creditsByModel = new TreeMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith(MODEL_PREFIX)) {
                byModel.put(name.substring(MODEL_PREFIX.length()), Long.parseLong(value.n()));
            } else if (name.startsWith(MODEL_CREDITS_PREFIX)) {
                creditsByModel.put(name.substring(MODEL_CREDITS_PREFIX.length()), Long.parseLong(value.n()));
            }
        });
        return new DailyUsage(day, number(item, "usedCredits"), number(item, "tasks"), byModel,
                number(item, "possibleOrphans"), number(item, "possibleOrphanCredits"), creditsByModel);
    }

    private void transact(TransactWriteItem... items) {
        dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
    }

    private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table).key(key)
                .consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static boolean failedCondition(List<CancellationReason> reasons, int index) {
        return reasons != null && reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static void backOff(int attempt) {
        try {
            // Another transaction touched the same item: a short, growing pause before the next try.
            Thread.sleep(Duration.ofMillis(10L * attempt * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a usage transaction", e);
        }
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private static long expiry(LocalDate day) {
        return day.plusDays(USAGE_RETENTION_DAYS).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }

    private static Map<String, AttributeValue> usageKey(String appId, LocalDate day) {
        return Map.of("pk", s("usage#" + appId + "#" + day));
    }

    private static Map<String, AttributeValue> activeKey(String appId) {
        return Map.of("pk", s("active#" + appId));
    }

    private static Map<String, String> with(Map<String, String> names, String name, String value) {
        Map<String, String> more = new HashMap<>(names);
        more.put(name, value);
        return more;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
