package com.runwayrelay.aws.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.OutputDelivery;
import com.runwayrelay.domain.Attempt;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.WebhookDelivery;
import com.runwayrelay.domain.gateway.ArchiveAccess;
import com.runwayrelay.domain.runway.TaskCreation;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A stored task as the Runway task object an SDK expects ({@code GET /v1/tasks/{id}}), with the
 * gateway's own details grouped under {@code relay}, which the SDKs ignore.
 *
 * <p>Wire status (DESIGN §3): ACCEPTED → PENDING; SUBMITTED → Runway's PENDING, THROTTLED or
 * RUNNING (with {@code progress}); OUTPUT_READY → RUNNING with progress 1; ARCHIVED → SUCCEEDED
 * with {@code output} = links to our S3 copies, signed on every call; FAILED → FAILED with
 * {@code failure} and {@code failureCode}; CANCELLED → CANCELLED; EXPIRED → CANCELLED with
 * {@code failure}. A task whose create was ambiguous and is not created again is FAILED with
 * failureCode {@value #AMBIGUOUS_FAILURE_CODE}; records written before that was a terminal state
 * hold it as ACCEPTED with that reason, and are shown the same way. One waiting for the
 * create {@code retry-once} allows after an ambiguous one is PENDING. {@code relay.possibleOrphanCredits}
 * shows the estimate of the task's creates that may have made a billed Runway task nobody can see.
 * A routed generation ({@code generate/*}) carries Runway's {@code routing} object once created.
 */
public final class WireTask {
    /** failureCode shown for a create that may or may not have reached Runway. */
    public static final String AMBIGUOUS_FAILURE_CODE = TaskCreation.AMBIGUOUS_FAILURE_CODE;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final BiFunction<String, Duration, ArchiveAccess.Link> links;

    /** Renders with links signed by {@code archive} (the status function's). */
    public WireTask(ArchiveAccess archive) {
        this(archive::link);
    }

    /**
     * Renders with links signed by {@code links}: an archived object's key and the task's own link
     * lifetime (null: the deployment's) to a fresh link. Submit signs them without the S3 client.
     */
    public WireTask(BiFunction<String, Duration, ArchiveAccess.Link> links) {
        this.links = Objects.requireNonNull(links, "links");
    }

    /** A fresh link to the archived object {@code key}, signed as the task object's output links are. */
    public ArchiveAccess.Link link(String key, Duration ttl) {
        return links.apply(key, ttl);
    }

    /** The task object; output links are signed anew on every call. */
    public ObjectNode render(Task task) {
        ObjectNode wire = ApiResponse.JSON.createObjectNode();
        wire.put("id", task.id());
        RunwayStatus.Known status = status(task);
        wire.put("status", status.wire());
        wire.put("createdAt", time(task.createdAt()));
        ObjectNode relay = relay(task);
        switch (status) {
            case PENDING, THROTTLED -> wire.putObject("estimatedCost").put("credits", task.request().estimatedCredits());
            case RUNNING -> {
                wire.putObject("estimatedCost").put("credits", task.request().estimatedCredits());
                wire.put("progress", task.state() == TaskState.OUTPUT_READY ? 1.0
                        : task.runway().progress() != null ? task.runway().progress() : 0.0);
            }
            case SUCCEEDED -> {
                wire.putObject("cost").put("credits", cost(task));
                ArrayNode output = wire.putArray("output");
                ArrayNode copies = (ArrayNode) relay.get("archive");
                int index = 0;
                for (ArchiveRecord record : task.archive().records()) {
                    ArchiveAccess.Link link = links.apply(record.key(), task.request().linkTtl());
                    output.add(link.url().toString());
                    copies.addObject().put("index", index++).put("contentType", record.contentType())
                            .put("size", record.size()).put("sha256", record.sha256())
                            .put("url", link.url().toString()).put("expiresAt", time(link.expiresAt()));
                }
            }
            default -> {
                wire.putObject("cost").put("credits", cost(task));
                if (status == RunwayStatus.FAILED || task.state() == TaskState.EXPIRED) {
                    wire.put("failure", failure(task));
                    String code = failureCode(task);
                    if (code != null) {
                        wire.put("failureCode", code);
                    }
                }
            }
        }
        routing(task).ifPresent(routing -> wire.set("routing", routing));
        wire.set("relay", relay);
        return wire;
    }

    /**
     * The Model Router's {@code routing} object of a routed generation as Runway answered its
     * create, once known (the SDK's {@code generate.*.create} result carries it; the task object shows
     * it too, so an app polling the task sees which model served it).
     */
    public static Optional<JsonNode> routing(Task task) {
        String json = task.runway().routingJson();
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ApiResponse.JSON.readTree(json));
        } catch (JsonProcessingException e) {
            // Stored from Runway's parsed answer, so always JSON; an unreadable one is left out, not fatal.
            return Optional.empty();
        }
    }

    /**
     * The Runway status an app sees. A SUBMITTED task shows the Runway status last seen while it is
     * active; any other (a status Runway added, or a terminal one not yet acted on) shows RUNNING.
     */
    public static RunwayStatus.Known status(Task task) {
        return switch (task.state()) {
            case ACCEPTED -> ambiguous(task) ? RunwayStatus.FAILED : RunwayStatus.PENDING;
            case SUBMITTED -> task.runway().status() == null ? RunwayStatus.PENDING
                    : task.runway().status() instanceof RunwayStatus.Known known && known.active() ? known
                    : RunwayStatus.RUNNING;
            case OUTPUT_READY -> RunwayStatus.RUNNING;
            case ARCHIVED -> RunwayStatus.SUCCEEDED;
            case FAILED -> RunwayStatus.FAILED;
            case CANCELLED, EXPIRED -> RunwayStatus.CANCELLED;
        };
    }

    private static boolean ambiguous(Task task) {
        return TaskCreation.AMBIGUOUS.equals(task.stateReason());
    }

    /** What the task cost: Runway's final charge when known; else the estimate for a success, nothing otherwise. */
    public static long cost(Task task) {
        if (task.runway().actualCredits() != null) {
            return task.runway().actualCredits();
        }
        return task.state() == TaskState.ARCHIVED ? task.request().estimatedCredits() : 0;
    }

    private static String failure(Task task) {
        if (task.failure() != null) {
            return task.failure();
        }
        return task.state() == TaskState.EXPIRED ? "The task's deadline passed; it was cancelled" : "The task failed";
    }

    private static String failureCode(Task task) {
        if (task.state() == TaskState.ACCEPTED && ambiguous(task)) {
            return AMBIGUOUS_FAILURE_CODE;
        }
        if (task.failureCode() != null) {
            return task.failureCode();
        }
        return task.state() == TaskState.EXPIRED ? "RELAY.DEADLINE_EXPIRED" : null;
    }

    private static ObjectNode relay(Task task) {
        ObjectNode relay = ApiResponse.JSON.createObjectNode();
        relay.put("state", task.state().name());
        relay.put("stateReason", task.stateReason());
        relay.put("endpoint", task.request().endpoint());
        relay.put("model", task.request().model());
        relay.put("runwayTaskId", task.runway().taskId());
        relay.put("runwayStatus", RunwayStatus.wireOf(task.runway().status()));
        relay.put("estimatedCredits", task.request().estimatedCredits());
        if (task.runway().actualCredits() != null) {
            relay.put("actualCredits", task.runway().actualCredits());
        }
        relay.put("ambiguousCreates", task.request().ambiguousCreates().wireName());
        relay.put("possibleOrphanCredits", task.runway().possibleOrphanCredits());
        relay.put("updatedAt", time(task.updatedAt()));
        if (task.request().deadline() != null) {
            relay.put("deadline", time(task.request().deadline()));
        }
        if (task.request().linkTtl() != null) {
            relay.put("linkTtlSeconds", task.request().linkTtl().toSeconds());
        }
        if (task.request().webhookEvents() != null) {
            ArrayNode events = relay.putArray("webhookEvents");
            task.request().webhookEvents().stream().sorted().forEach(e -> events.add(e.wireName()));
        }
        if (task.request().metadataJson() != null) {
            relay.set("metadata", metadata(task.request().metadataJson()));
        }
        relay.putArray("archive");
        ArrayNode attempts = relay.putArray("attempts");
        for (Attempt attempt : task.runway().attempts()) {
            ObjectNode a = attempts.addObject();
            a.put("number", attempt.number());
            a.put("runwayTaskId", attempt.runwayTaskId());
            a.put("startedAt", time(attempt.startedAt()));
            a.put("outcome", attempt.outcome() == null ? null : attempt.outcome().name());
            a.put("failureCode", attempt.failureCode());
            a.put("failure", attempt.failure());
        }
        if (task.request().deliverTo() != null) {
            // Present while pending too (empty): the app asked for delivery and sees it has not been recorded yet.
            // Never the URLs: their query is the app's credential to its storage.
            ArrayNode deliveries = relay.putArray("deliveries");
            for (OutputDelivery delivery : task.deliveries()) {
                ObjectNode d = deliveries.addObject();
                d.put("index", delivery.index());
                d.put("outcome", delivery.outcome().wireName());
                d.put("httpStatus", delivery.httpStatus());
                d.put("bytes", delivery.bytes());
                if (delivery.sha256() != null) {
                    d.put("sha256", delivery.sha256());
                }
                d.put("attempts", delivery.attempts());
                if (delivery.error() != null) {
                    d.put("error", delivery.error());
                }
                d.put("at", time(delivery.at()));
            }
        }
        WebhookDelivery webhook = task.webhook();
        if (webhook != null) {
            ObjectNode w = relay.putObject("webhook");
            w.put("status", webhook.status().name());
            w.put("eventType", webhook.eventType());
            w.put("attempts", webhook.attempts().size());
            if (!webhook.attempts().isEmpty()) {
                w.put("lastHttpStatus", webhook.attempts().getLast().httpStatus());
            }
            if (webhook.nextAt() != null) {
                w.put("nextAttemptAt", time(webhook.nextAt()));
            }
        }
        return relay;
    }

    private static JsonNode metadata(String json) {
        try {
            return ApiResponse.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // Stored by submit from a parsed object, so this does not happen; show it as text rather than fail the read.
            return ApiResponse.JSON.getNodeFactory().textNode(json);
        }
    }

    public static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }
}
