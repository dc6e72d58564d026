package com.runwayrelay.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.delivery.DeliverTo;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import com.runwayrelay.domain.webhook.WebhookEventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The gateway-only part of a request: the optional top-level {@code relay} object, removed before
 * the body goes to Runway.
 *
 * <pre>{@code "relay": {"callbackUrl": "https://app.example.com/hooks/runway",
 *            "metadata": {"orderId": 42},
 *            "deadline": "2026-11-21T07:00:00Z",
 *            "linkTtlSeconds": 600,
 *            "webhookEvents": ["task.succeeded", "task.failed"],
 *            "deliverTo": [{"url": "https://bucket.s3.amazonaws.com/out-0.png?X-Amz-Signature=..."}]}}</pre>
 *
 * @param callbackUrl  where the webhook goes when the task ends, or null
 * @param metadataJson a JSON object echoed in the task and its webhooks, or null
 * @param deadline     when the app stops caring (the task is cancelled and EXPIRED), or null
 * @param linkTtl      lifetime of the links this task's reads hand out, or null for the deployment's
 * @param webhookEvents the events to send webhooks for, or null for every event
 * @param deliverTo    where the archived outputs are PUT, or null; see {@link DeliverToOption}
 */
record RelayOptions(String callbackUrl, String metadataJson, Instant deadline, Duration linkTtl,
                    Set<WebhookEventType> webhookEvents, DeliverTo deliverTo) {
    /** The body field that holds the options. */
    static final String FIELD = "relay";
    static final int MAX_CALLBACK_URL_CHARS = 2048;
    static final int MAX_METADATA_BYTES = 4096;
    static final Duration MIN_DEADLINE = Duration.ofSeconds(30);
    static final Duration MAX_DEADLINE = Duration.ofDays(7);
    private static final Set<String> KNOWN = Set.of("callbackUrl", "metadata", "deadline", "linkTtlSeconds",
            "webhookEvents", DeliverToOption.FIELD);
    private static final String KNOWN_LIST = "callbackUrl, metadata, deadline, linkTtlSeconds, webhookEvents or deliverTo";

    static final RelayOptions NONE = new RelayOptions(null, null, null, null, null, null);

    /**
     * Reads the options; problems are added to {@code violations}.
     *
     * @param relay    the {@code relay} member, or null when absent
     * @param callback checks a callback URL; returns the violation message, or null when it is acceptable
     * @param outputs  how many outputs the request makes (the catalog's count): the most {@code deliverTo} URLs it takes
     */
    static RelayOptions parse(JsonNode relay, Instant now, CallbackUrlCheck callback, int outputs,
                              List<Violation> violations) {
        if (relay == null || relay.isNull()) {
            return NONE;
        }
        if (!relay.isObject()) {
            violations.add(new Violation(List.of(FIELD), "invalid_type",
                    "relay must be an object with " + KNOWN_LIST));
            return NONE;
        }
        List<String> unknown = new ArrayList<>();
        relay.fieldNames().forEachRemaining(name -> {
            if (!KNOWN.contains(name)) {
                unknown.add(name);
            }
        });
        for (String name : unknown) {
            violations.add(new Violation(List.of(FIELD, name), "unrecognized_keys",
                    "relay." + name + " is not a gateway option; use " + KNOWN_LIST));
        }
        return new RelayOptions(callbackUrl(relay.get("callbackUrl"), callback, violations),
                metadata(relay.get("metadata"), violations), deadline(relay.get("deadline"), now, violations),
                linkTtl(relay.get("linkTtlSeconds"), violations), webhookEvents(relay.get("webhookEvents"), violations),
                DeliverToOption.parse(relay.get(DeliverToOption.FIELD), callback, outputs, violations));
    }

    /**
     * An array of distinct event names ({@link WebhookEventType}); without it a task gets
     * {@link WebhookEventType#DEFAULT}. An empty array asks for no webhooks (the way to opt out of the
     * app's default callback for one task).
     */
    private static Set<WebhookEventType> webhookEvents(JsonNode node, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        String sent = Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wireName)
                .collect(Collectors.joining(", "));
        if (!node.isArray()) {
            violations.add(new Violation(List.of(FIELD, "webhookEvents"), "invalid_type",
                    "relay.webhookEvents must be an array of event names (" + sent + ")"));
            return null;
        }
        int before = violations.size();
        Set<WebhookEventType> chosen = EnumSet.noneOf(WebhookEventType.class);
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            List<Object> path = List.of(FIELD, "webhookEvents", i);
            if (!item.isTextual()) {
                violations.add(new Violation(path, "invalid_type", "relay.webhookEvents[" + i + "] must be an event name ("
                        + sent + ")"));
                continue;
            }
            String name = item.textValue();
            var type = WebhookEventType.ofWireName(name);
            if (type.isEmpty()) {
                violations.add(new Violation(path, "invalid_enum_value", "relay.webhookEvents[" + i + "]: '"
                        + abbreviate(name) + "' is not an event; the events are " + sent));
            } else if (!chosen.add(type.get())) {
                violations.add(new Violation(path, "custom", "relay.webhookEvents[" + i + "]: " + name
                        + " is listed more than once"));
            }
        }
        return violations.size() > before ? null : chosen;
    }

    /**
     * A whole number of seconds within {@link Task.Request#MIN_LINK_TTL}..{@link Task.Request#MAX_LINK_TTL}
     * (the bounds of the deployment's {@code LinkTtlSeconds}). The signing credentials' remaining life
     * is only known when a link is signed; it caps the lifetime then, and {@code expiresAt} says so.
     */
    private static Duration linkTtl(JsonNode node, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<Object> path = List.of(FIELD, "linkTtlSeconds");
        long min = Task.Request.MIN_LINK_TTL.toSeconds();
        long max = Task.Request.MAX_LINK_TTL.toSeconds();
        if (!node.isIntegralNumber()) {
            violations.add(new Violation(path, "invalid_type",
                    "relay.linkTtlSeconds must be a whole number of seconds from " + min + " to " + max));
            return null;
        }
        if (!node.canConvertToLong() || node.longValue() > max) {
            violations.add(new Violation(path, "too_big", "relay.linkTtlSeconds must be at most " + max
                    + " (7 days, the longest a pre-signed link can live); it is " + node.asText()));
            return null;
        }
        if (node.longValue() < min) {
            violations.add(new Violation(path, "too_small", "relay.linkTtlSeconds must be at least " + min
                    + "; it is " + node.asText()));
            return null;
        }
        return Duration.ofSeconds(node.longValue());
    }

    private static String callbackUrl(JsonNode node, CallbackUrlCheck callback, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<Object> path = List.of(FIELD, "callbackUrl");
        if (!node.isTextual()) {
            violations.add(new Violation(path, "invalid_type", "relay.callbackUrl must be a string"));
            return null;
        }
        String url = node.textValue();
        if (url.length() > MAX_CALLBACK_URL_CHARS) {
            violations.add(new Violation(path, "too_big", "relay.callbackUrl is " + url.length()
                    + " characters long; the limit is " + MAX_CALLBACK_URL_CHARS));
            return null;
        }
        CallbackUrlCheck.Refusal refusal = callback.check(url);
        if (refusal != null) {
            violations.add(new Violation(path, refusal.code(), "relay.callbackUrl: " + refusal.message()));
            return null;
        }
        return url;
    }

    private static String metadata(JsonNode node, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            violations.add(new Violation(List.of(FIELD, "metadata"), "invalid_type", "relay.metadata must be a JSON object"));
            return null;
        }
        int before = violations.size();
        controlCharacters(node, new ArrayList<>(List.of(FIELD, "metadata")), violations);
        if (violations.size() > before) {
            return null;
        }
        String json = ApiResponse.JSON.valueToTree(node).toString();
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_METADATA_BYTES) {
            violations.add(new Violation(List.of(FIELD, "metadata"), "too_big", "relay.metadata is " + bytes
                    + " bytes as JSON; the limit is " + MAX_METADATA_BYTES));
            return null;
        }
        return json;
    }

    /**
     * Metadata is echoed in webhooks, the status answer and logs, where a control character (a
     * newline forging a log line, a NUL cutting a string) or a bidirectional override (text that
     * reads differently than it is) does harm; neither has a use in keys or values.
     */
    private static void controlCharacters(JsonNode node, List<Object> path, List<Violation> violations) {
        if (node.isObject()) {
            for (var member : node.properties()) {
                path.add(member.getKey());
                int bad = firstControl(member.getKey());
                if (bad >= 0) {
                    violations.add(new Violation(path, "invalid_string", "relay.metadata has a key containing "
                            + describe(member.getKey().charAt(bad)) + " at index " + bad
                            + "; metadata keys and values may not contain control or bidirectional-override characters"));
                } else {
                    controlCharacters(member.getValue(), path, violations);
                }
                path.removeLast();
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.add(i);
                controlCharacters(node.get(i), path, violations);
                path.removeLast();
            }
        } else if (node.isTextual()) {
            int bad = firstControl(node.textValue());
            if (bad >= 0) {
                violations.add(new Violation(path, "invalid_string", Violation.dotted(path) + " contains "
                        + describe(node.textValue().charAt(bad)) + " at index " + bad
                        + "; metadata keys and values may not contain control or bidirectional-override characters"));
            }
        }
    }

    /** The index of the first C0/C1 control, DEL or bidirectional embedding/override/isolate character, or -1. */
    static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(char c) {
        return String.format("U+%04X", (int) c);
    }

    private static Instant deadline(JsonNode node, Instant now, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<Object> path = List.of(FIELD, "deadline");
        if (!node.isTextual()) {
            violations.add(new Violation(path, "invalid_type",
                    "relay.deadline must be an ISO-8601 timestamp with offset, e.g. 2026-11-21T07:00:00Z"));
            return null;
        }
        Instant deadline;
        try {
            deadline = OffsetDateTime.parse(node.textValue()).toInstant();
        } catch (DateTimeParseException e) {
            violations.add(new Violation(path, "invalid_string", "relay.deadline '" + abbreviate(node.textValue())
                    + "' is not an ISO-8601 timestamp with offset, e.g. 2026-11-21T07:00:00Z"));
            return null;
        }
        if (deadline.isBefore(now.plus(MIN_DEADLINE))) {
            violations.add(new Violation(path, "too_small", "relay.deadline must be at least "
                    + MIN_DEADLINE.toSeconds() + " seconds in the future (it is " + deadline + ", now is " + now + ")"));
            return null;
        }
        if (deadline.isAfter(now.plus(MAX_DEADLINE))) {
            violations.add(new Violation(path, "too_big", "relay.deadline must be at most "
                    + MAX_DEADLINE.toDays() + " days in the future (it is " + deadline + ")"));
            return null;
        }
        return deadline;
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
