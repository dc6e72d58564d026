package com.runwayrelay.aws.dynamodb;

import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.DueShards;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.StateChange;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.OutputDelivery;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.delivery.DeliverTo;
import com.runwayrelay.domain.runway.AmbiguousCreatePolicy;
import com.runwayrelay.domain.webhook.DeliveryStatus;
import com.runwayrelay.domain.webhook.WebhookEventType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps a {@link Task} to its DynamoDB item and back. Attribute names are part of the contract
 * with {@code template.yaml} (stream filters read {@code state} and {@code callbackUrl}) and with
 * {@code events/}. Null fields are left out, which is what keeps the due index sparse.
 */
public final class TaskItems {
    /** The table's partition key attribute. */
    public static final String PK = "pk";
    /** Prefix of a task item's partition key. */
    public static final String KEY_PREFIX = "task#";
    /** {@link Task#state()}: the enum's name (stream filters read it). */
    public static final String STATE = "state";
    /** {@link Task#version()}, raised by every conditional write. */
    public static final String VERSION = "version";
    /** {@link Task#updatedAt()} as ISO-8601 text. */
    public static final String UPDATED_AT = "updatedAt";
    /** {@link Task#dueAt()} in epoch milliseconds: the due index's range key. */
    public static final String DUE_AT = "dueAt";
    /** {@link Task#leaseOwner()}. */
    public static final String LEASE_OWNER = "leaseOwner";
    /** {@link Task#leaseUntil()} in epoch milliseconds. */
    public static final String LEASE_UNTIL = "leaseUntil";
    /** {@link Task.RunwaySide#pollGap()} in milliseconds (read by the poller's one-step claim). */
    public static final String POLL_GAP = "pollGap";
    /** {@link Task.Request#webhookEvents()} as a list of event names; absent for every event. */
    static final String WEBHOOK_EVENTS = "webhookEvents";
    /** {@link Task.Request#deliverTo()}: {@code {urls: [..]}} or {@code {template: ".."}}; absent without one. */
    static final String DELIVER_TO = "deliverTo";
    /** {@link Task#deliveries()}, one map per output; absent until recorded. */
    static final String DELIVERIES = "deliveries";
    /** {@link Task.RunwaySide#backoff()} in milliseconds; absent on tasks written before it was recorded. */
    public static final String POLL_BACKOFF = "pollBackoff";
    /**
     * {@link Task.RunwaySide#waitedUntil()} in epoch milliseconds; absent on tasks never seen leaving
     * PENDING or THROTTLED and on tasks written before it was recorded.
     */
    public static final String WAITED_UNTIL = "waitedUntil";
    /** {@link Task.Archive#attempts()}, when any was made; absent on tasks written before it was recorded. */
    public static final String ARCHIVE_ATTEMPTS = "archiveAttempts";
    /** {@link Task.Archive#lastError()}. */
    public static final String ARCHIVE_ERROR = "archiveError";
    /**
     * {@link #createdKey}: the sort key of the app and list indexes, on every task item written since
     * they exist.
     */
    public static final String CREATED_KEY = "createdKey";
    /** {@link #OPEN} while the task is not terminal, else {@link #ENDED}: the list index's partition key. */
    public static final String LIST_PART = "listPart";
    /** {@link #LIST_PART} of an unfinished task. */
    public static final String OPEN = "open";
    /** {@link #LIST_PART} of a terminal task. */
    public static final String ENDED = "ended";
    /** {@link Task#history()}: a list of maps {@code {state, at, reason}}. */
    public static final String HISTORY = "history";

    /** Fixed width, so text order is time order (Instant#toString drops trailing zero digits). */
    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private TaskItems() {
    }

    public static Map<String, AttributeValue> key(String taskId) {
        return Map.of(PK, s(KEY_PREFIX + taskId));
    }

    /**
     * The sort key listing tasks by creation: {@code <createdAt, fixed-width UTC, nanoseconds>#<taskId>},
     * so tasks created in the same instant still have distinct, stable keys.
     */
    public static String createdKey(Instant createdAt, String taskId) {
        return createdBound(createdAt) + "#" + taskId;
    }

    /**
     * The text every {@link #createdKey} of a task created at {@code instant} starts with; it sorts
     * before all of them and after every key of an earlier instant.
     */
    public static String createdBound(Instant instant) {
        return SORTABLE.format(instant);
    }

    public static Map<String, AttributeValue> toItem(Task t, int shards) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(KEY_PREFIX + t.id()));
        item.put("type", s("task"));
        item.put("id", s(t.id()));
        item.put("appId", s(t.appId()));
        item.put("endpoint", s(t.request().endpoint()));
        putS(item, "model", t.request().model());
        item.put(STATE, s(t.state().name()));
        item.put(VERSION, n(t.version()));
        putS(item, "request", t.request().json());
        putS(item, "idempotencyKey", t.request().idempotencyKey());
        putS(item, "runwayTaskId", t.runway().taskId());
        putS(item, "runwayStatus", RunwayStatus.wireOf(t.runway().status()));
        if (t.runway().progress() != null) {
            item.put("progress", AttributeValue.fromN(t.runway().progress().toString()));
        }
        if (!t.runway().attempts().isEmpty()) {
            item.put("attempts", AttributeValue.fromL(t.runway().attempts().stream().map(TaskItems::attempt).toList()));
        }
        item.put("estimatedCredits", n(t.request().estimatedCredits()));
        if (t.runway().actualCredits() != null) {
            item.put("actualCredits", n(t.runway().actualCredits()));
        }
        if (!t.runway().outputs().isEmpty()) {
            item.put("outputs", AttributeValue.fromL(t.runway().outputs().stream().map(TaskItems::s).toList()));
        }
        if (!t.runway().outputNodes().isEmpty()) {
            item.put("outputNodes", AttributeValue.fromL(t.runway().outputNodes().stream().map(TaskItems::s).toList()));
        }
        putS(item, "nodeErrors", t.runway().nodeErrorsJson());
        putS(item, "routing", t.runway().routingJson());
        if (!t.archive().records().isEmpty()) {
            item.put("archive", AttributeValue.fromL(t.archive().records().stream().map(TaskItems::archive).toList()));
        }
        putS(item, "callbackUrl", t.request().callbackUrl());
        putS(item, "metadata", t.request().metadataJson());
        putInstant(item, "deadline", t.request().deadline());
        putS(item, "failure", t.failure());
        putS(item, "failureCode", t.failureCode());
        putS(item, "stateReason", t.stateReason());
        item.put("createdAt", s(t.createdAt().toString()));
        item.put(CREATED_KEY, s(createdKey(t.createdAt(), t.id())));
        item.put(LIST_PART, s(t.state().isTerminal() ? ENDED : OPEN));
        if (!t.history().isEmpty()) {
            item.put(HISTORY, AttributeValue.fromL(t.history().stream().map(TaskItems::stateChange).toList()));
        }
        item.put(UPDATED_AT, s(t.updatedAt().toString()));
        if (t.dueAt() != null) {
            item.put("dueShard", n(DueShards.shardOf(t.id(), shards)));
            item.put(DUE_AT, n(t.dueAt().toEpochMilli()));
        }
        putS(item, LEASE_OWNER, t.leaseOwner());
        putInstant(item, LEASE_UNTIL, t.leaseUntil());
        if (t.webhook() != null) {
            item.put("webhook", webhook(t.webhook()));
        }
        if (t.runway().pollGap() != null) {
            item.put(POLL_GAP, n(t.runway().pollGap().toMillis()));
        }
        if (t.runway().backoff() != null) {
            item.put(POLL_BACKOFF, n(t.runway().backoff().toMillis()));
        }
        putInstant(item, WAITED_UNTIL, t.runway().waitedUntil());
        if (t.archive().attempts() > 0) {
            item.put(ARCHIVE_ATTEMPTS, n(t.archive().attempts()));
        }
        putS(item, ARCHIVE_ERROR, t.archive().lastError());
        item.put("ambiguousCreates", s(t.request().ambiguousCreates().wireName()));
        if (t.request().admittedBudget() != null) {
            item.put("admittedBudget", n(t.request().admittedBudget()));
        }
        if (t.request().linkTtl() != null) {
            item.put("linkTtlSeconds", n(t.request().linkTtl().toSeconds()));
        }
        if (t.request().webhookEvents() != null) {
            // A list, not a string set: an empty choice (no webhooks) must differ from none (every event).
            item.put(WEBHOOK_EVENTS, AttributeValue.fromL(t.request().webhookEvents().stream()
                    .map(WebhookEventType::wireName).sorted().map(TaskItems::s).toList()));
        }
        if (t.runway().possibleOrphanCredits() > 0) {
            item.put("possibleOrphanCredits", n(t.runway().possibleOrphanCredits()));
        }
        if (t.request().deliverTo() != null) {
            item.put(DELIVER_TO, deliverTo(t.request().deliverTo()));
        }
        if (!t.deliveries().isEmpty()) {
            item.put(DELIVERIES, AttributeValue.fromL(t.deliveries().stream().map(TaskItems::delivery).toList()));
        }
        return item;
    }

    public static Task fromItem(Map<String, AttributeValue> item) {
        return new Task.Builder()
                .id(str(item, "id"))
                .appId(str(item, "appId"))
                .endpoint(str(item, "endpoint"))
                .model(str(item, "model"))
                .state(TaskState.valueOf(str(item, STATE)))
                .version(num(item, VERSION))
                .requestJson(str(item, "request"))
                .idempotencyKey(str(item, "idempotencyKey"))
                .runwayTaskId(str(item, "runwayTaskId"))
                .runwayStatus(RunwayStatus.fromWire(str(item, "runwayStatus")))
                .progress(item.containsKey("progress") ? Double.valueOf(item.get("progress").n()) : null)
                .attempts(list(item, "attempts").stream().map(v -> attempt(v.m())).toList())
                .estimatedCredits(item.containsKey("estimatedCredits") ? num(item, "estimatedCredits") : 0)
                .actualCredits(item.containsKey("actualCredits") ? num(item, "actualCredits") : null)
                .outputs(list(item, "outputs").stream().map(AttributeValue::s).toList())
                .outputNodes(list(item, "outputNodes").stream().map(AttributeValue::s).toList())
                .nodeErrorsJson(str(item, "nodeErrors"))
                .routingJson(str(item, "routing"))
                .archive(list(item, "archive").stream().map(v -> archive(v.m())).toList())
                .callbackUrl(str(item, "callbackUrl"))
                .metadataJson(str(item, "metadata"))
                .deadline(instant(item, "deadline"))
                .failure(str(item, "failure"))
                .failureCode(str(item, "failureCode"))
                .stateReason(str(item, "stateReason"))
                .createdAt(Instant.parse(str(item, "createdAt")))
                .updatedAt(Instant.parse(str(item, UPDATED_AT)))
                .dueAt(instant(item, DUE_AT))
                .leaseOwner(str(item, LEASE_OWNER))
                .leaseUntil(instant(item, LEASE_UNTIL))
                .webhook(item.containsKey("webhook") ? webhook(item.get("webhook").m()) : null)
                .pollGap(item.containsKey(POLL_GAP) ? Duration.ofMillis(num(item, POLL_GAP)) : null)
                // After the reason, which clears it. Older tasks have none (the domain reads their reason).
                .pollBackoff(item.containsKey(POLL_BACKOFF) ? Duration.ofMillis(num(item, POLL_BACKOFF)) : null)
                .waitedUntil(instant(item, WAITED_UNTIL))
                .archiveAttempts(item.containsKey(ARCHIVE_ATTEMPTS) ? (int) num(item, ARCHIVE_ATTEMPTS) : 0)
                .archiveError(str(item, ARCHIVE_ERROR))
                // Tasks written before the policy existed have none: the default.
                .ambiguousCreates(item.containsKey("ambiguousCreates")
                        ? AmbiguousCreatePolicy.parse(str(item, "ambiguousCreates")) : null)
                .admittedBudget(item.containsKey("admittedBudget") ? num(item, "admittedBudget") : null)
                .linkTtl(item.containsKey("linkTtlSeconds") ? Duration.ofSeconds(num(item, "linkTtlSeconds")) : null)
                .webhookEvents(item.containsKey(WEBHOOK_EVENTS) ? list(item, WEBHOOK_EVENTS).stream()
                        .map(AttributeValue::s).map(WebhookEventType::ofWireName).flatMap(Optional::stream)
                        .collect(Collectors.toSet()) : null)
                .possibleOrphanCredits(item.containsKey("possibleOrphanCredits") ? num(item, "possibleOrphanCredits") : 0)
                .deliverTo(item.containsKey(DELIVER_TO) ? deliverTo(item.get(DELIVER_TO).m()) : null)
                .deliveries(list(item, DELIVERIES).stream().map(v -> delivery(v.m())).toList())
                // Tasks written before the history existed have none.
                .history(list(item, HISTORY).stream().map(v -> stateChange(v.m())).toList())
                .build();
    }

    private static AttributeValue attempt(Attempt a) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("number", n(a.number()));
        putS(m, "runwayTaskId", a.runwayTaskId());
        m.put("startedAt", s(a.startedAt().toString()));
        putS(m, "outcome", a.outcome() == null ? null : a.outcome().name());
        putS(m, "failureCode", a.failureCode());
        putS(m, "failure", a.failure());
        return AttributeValue.fromM(m);
    }

    private static Attempt attempt(Map<String, AttributeValue> m) {
        return new Attempt((int) num(m, "number"), str(m, "runwayTaskId"), Instant.parse(str(m, "startedAt")),
                AttemptOutcome.fromStored(str(m, "outcome")), str(m, "failureCode"), str(m, "failure"));
    }

    private static AttributeValue stateChange(StateChange c) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("state", s(c.state().name()));
        m.put("at", s(c.at().toString()));
        putS(m, "reason", c.reason());
        return AttributeValue.fromM(m);
    }

    private static StateChange stateChange(Map<String, AttributeValue> m) {
        return new StateChange(TaskState.valueOf(str(m, "state")), Instant.parse(str(m, "at")), str(m, "reason"));
    }

    private static AttributeValue archive(ArchiveRecord r) {
        Map<String, AttributeValue> m = new HashMap<>(Map.of("key", s(r.key()), "size", n(r.size()),
                "sha256", s(r.sha256()), "contentType", s(r.contentType())));
        if (r.node() != null) {
            m.put("node", s(r.node()));
        }
        return AttributeValue.fromM(m);
    }

    private static ArchiveRecord archive(Map<String, AttributeValue> m) {
        return new ArchiveRecord(str(m, "key"), num(m, "size"), str(m, "sha256"), str(m, "contentType"), str(m, "node"));
    }

    private static AttributeValue deliverTo(DeliverTo d) {
        return AttributeValue.fromM(d.template() != null ? Map.of("template", s(d.template()))
                : Map.of("urls", AttributeValue.fromL(d.urls().stream().map(TaskItems::s).toList())));
    }

    private static DeliverTo deliverTo(Map<String, AttributeValue> m) {
        return m.containsKey("template") ? DeliverTo.template(str(m, "template"))
                : DeliverTo.of(list(m, "urls").stream().map(AttributeValue::s).toList());
    }

    private static AttributeValue delivery(OutputDelivery d) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("index", n(d.index()));
        m.put("outcome", s(d.outcome().wireName()));
        m.put("httpStatus", n(d.httpStatus()));
        m.put("bytes", n(d.bytes()));
        putS(m, "sha256", d.sha256());
        m.put("attempts", n(d.attempts()));
        putS(m, "error", d.error());
        m.put("at", s(d.at().toString()));
        return AttributeValue.fromM(m);
    }

    private static OutputDelivery delivery(Map<String, AttributeValue> m) {
        return new OutputDelivery((int) num(m, "index"), OutputDelivery.Outcome.fromStored(str(m, "outcome")),
                (int) num(m, "httpStatus"), num(m, "bytes"), str(m, "sha256"), (int) num(m, "attempts"), str(m, "error"),
                Instant.parse(str(m, "at")));
    }

    private static AttributeValue webhook(WebhookDelivery w) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("status", s(w.status().name()));
        putS(m, "messageId", w.messageId());
        putS(m, "eventType", w.eventType());
        m.put("sequence", n(w.sequence()));
        if (!w.attempts().isEmpty()) {
            m.put("attempts", AttributeValue.fromL(w.attempts().stream().map(a -> {
                Map<String, AttributeValue> am = new HashMap<>();
                am.put("at", s(a.at().toString()));
                am.put("httpStatus", n(a.httpStatus()));
                putS(am, "error", a.error());
                return AttributeValue.fromM(am);
            }).toList()));
        }
        putInstant(m, "nextAt", w.nextAt());
        return AttributeValue.fromM(m);
    }

    private static WebhookDelivery webhook(Map<String, AttributeValue> m) {
        List<WebhookDelivery.DeliveryAttempt> attempts = list(m, "attempts").stream()
                .map(v -> new WebhookDelivery.DeliveryAttempt(Instant.parse(str(v.m(), "at")),
                        (int) num(v.m(), "httpStatus"), str(v.m(), "error")))
                .toList();
        return new WebhookDelivery(DeliveryStatus.fromStored(str(m, "status")), str(m, "messageId"), str(m, "eventType"),
                num(m, "sequence"), attempts, instant(m, "nextAt"));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static void putS(Map<String, AttributeValue> m, String name, String value) {
        if (value != null) {
            m.put(name, s(value));
        }
    }

    private static void putInstant(Map<String, AttributeValue> m, String name, Instant value) {
        if (value != null) {
            m.put(name, n(value.toEpochMilli()));
        }
    }

    private static String str(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null ? null : v.s();
    }

    private static long num(Map<String, AttributeValue> m, String name) {
        return Long.parseLong(m.get(name).n());
    }

    private static Instant instant(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null ? null : Instant.ofEpochMilli(Long.parseLong(v.n()));
    }

    private static List<AttributeValue> list(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null ? List.of() : v.l();
    }
}
