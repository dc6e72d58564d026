package com.runwayrelay.notifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.s3.LinkSigner.SignedLink;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.OutputDelivery;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.webhook.EventPayloads;
import com.runwayrelay.domain.webhook.WebhookEvent;
import java.util.Objects;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * Renders webhook bodies as {@code {"type", "timestamp", "data"}}. {@code data} summarises the
 * task the way the status endpoint does: {@code id}, the Runway-compatible {@code status},
 * {@code sequence}, timestamps, {@code failure}/{@code failureCode} when it failed, and one entry
 * per archived output with a freshly pre-signed {@code url}, its expiry, size, type and SHA-256.
 *
 * <p>Bodies stay under {@link EventPayloads#MAX_BYTES}: when the full rendering is too large
 * (many outputs with long links, big metadata), the app's metadata is left out first, then the
 * links ({@code linksOmitted: true}; the status endpoint hands out fresh ones), then the archive
 * list and all but the start of the failure text. Each output's delivery to the app's storage
 * ({@code relay.deliverTo}) is listed under {@code deliveries} once recorded, at every level of detail.
 */
final class JsonEventPayloads implements EventPayloads {
    private static final int SHORT_FAILURE_CHARS = 1_000;

    private final ObjectMapper json;
    private final BiFunction<String, Duration, SignedLink> links;

    /**
     * @param links signs a link to an archived object key for the task's own link lifetime (null: the
     *              deployment's); in production {@code LinkSigner::sign}
     */
    JsonEventPayloads(ObjectMapper json, BiFunction<String, Duration, SignedLink> links) {
        this.json = Objects.requireNonNull(json, "json");
        this.links = Objects.requireNonNull(links, "links");
    }

    @Override
    public byte[] render(Task task, WebhookEvent event) {
        for (Detail detail : Detail.values()) {
            byte[] body = write(envelope(task, event, detail));
            if (body.length <= MAX_BYTES) {
                return body;
            }
        }
        throw new IllegalStateException("task " + task.id() + ": even the minimal webhook body exceeds " + MAX_BYTES + " bytes");
    }

    private ObjectNode envelope(Task task, WebhookEvent event, Detail detail) {
        ObjectNode root = json.createObjectNode();
        root.put("type", event.type().wireName());
        root.put("timestamp", event.timestamp().toString());
        ObjectNode data = root.putObject("data");
        data.put("id", task.id());
        data.put("status", wireStatus(task).wire());
        data.put("sequence", event.sequence());
        data.put("createdAt", task.createdAt().toString());
        data.put("updatedAt", task.updatedAt().toString());
        Double progress = task.state() == TaskState.OUTPUT_READY ? Double.valueOf(1.0)
                : task.state().isTerminal() ? null : task.runway().progress();
        if (progress != null) {
            // The latest progress the poller saw; a task.progress event is about it.
            data.put("progress", progress);
        }
        data.put("endpoint", task.request().endpoint());
        if (task.request().model() != null) {
            data.put("model", task.request().model());
        }
        if (task.failure() != null) {
            data.put("failure", detail == Detail.MINIMAL ? shorten(task.failure()) : task.failure());
        }
        if (task.failureCode() != null) {
            data.put("failureCode", task.failureCode());
        }
        if (task.runway().actualCredits() != null) {
            data.put("creditsCharged", task.runway().actualCredits());
        }
        if (detail == Detail.MINIMAL) {
            data.put("outputCount", task.archive().records().size());
        } else if (!task.archive().records().isEmpty()) {
            ArrayNode outputs = data.putArray("outputs");
            for (ArchiveRecord record : task.archive().records()) {
                ObjectNode output = outputs.addObject();
                if (detail != Detail.WITHOUT_LINKS) {
                    SignedLink link = links.apply(record.key(), task.request().linkTtl());
                    output.put("url", link.url().toString());
                    output.put("expiresAt", link.expiresAt().toString());
                }
                output.put("contentType", record.contentType());
                output.put("size", record.size());
                output.put("sha256", record.sha256());
            }
            if (detail == Detail.WITHOUT_LINKS) {
                data.put("linksOmitted", true);
            }
        }
        if (!task.deliveries().isEmpty()) {
            ArrayNode deliveries = data.putArray("deliveries");
            for (OutputDelivery delivery : task.deliveries()) {
                deliveries.add(deliveryNode(json, delivery));
            }
        }
        if (detail == Detail.FULL && task.request().metadataJson() != null) {
            JsonNode metadata = parse(task.request().metadataJson());
            if (metadata != null) {
                data.set("metadata", metadata);
            }
        }
        return root;
    }

    /**
     * One output's delivery to the app's storage as apps see it, in webhooks and status reads alike:
     * {@code index}, {@code outcome}, {@code httpStatus}, {@code bytes}, {@code sha256}, {@code attempts},
     * {@code error} and {@code at}; never the URL (its query is the app's credential).
     */
    static ObjectNode deliveryNode(ObjectMapper json, OutputDelivery delivery) {
        ObjectNode node = json.createObjectNode();
        node.put("index", delivery.index());
        node.put("outcome", delivery.outcome().wireName());
        node.put("httpStatus", delivery.httpStatus());
        node.put("bytes", delivery.bytes());
        if (delivery.sha256() != null) {
            node.put("sha256", delivery.sha256());
        }
        node.put("attempts", delivery.attempts());
        if (delivery.error() != null) {
            node.put("error", delivery.error());
        }
        node.put("at", delivery.at().toString());
        return node;
    }

    /** The status an app sees on the Runway-compatible task object. */
    static RunwayStatus wireStatus(Task task) {
        return switch (task.state()) {
            case ARCHIVED -> RunwayStatus.SUCCEEDED;
            case FAILED -> RunwayStatus.FAILED;
            case CANCELLED, EXPIRED -> RunwayStatus.CANCELLED;
            case ACCEPTED -> RunwayStatus.PENDING;
            case SUBMITTED -> task.runway().status() == null ? RunwayStatus.PENDING : task.runway().status();
            case OUTPUT_READY -> RunwayStatus.RUNNING;
        };
    }

    private JsonNode parse(String metadataJson) {
        try {
            return json.readTree(metadataJson);
        } catch (JsonProcessingException e) {
            // Metadata is the app's opaque echo; if it is not JSON it is simply not echoed.
            return null;
        }
    }

    private byte[] write(ObjectNode root) {
        try {
            return json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a webhook body", e);
        }
    }

    private static String shorten(String text) {
        return text.length() <= SHORT_FAILURE_CHARS ? text : text.substring(0, SHORT_FAILURE_CHARS) + "…";
    }

    private enum Detail { FULL, WITHOUT_METADATA, WITHOUT_LINKS, MINIMAL }
}
