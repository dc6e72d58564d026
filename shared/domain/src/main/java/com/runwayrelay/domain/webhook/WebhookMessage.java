package com.runwayrelay.domain.webhook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One signed webhook request, ready to send.
 *
 * @param messageId        {@code webhook-id}: the same for every attempt of one event
 * @param timestampSeconds {@code webhook-timestamp}: when this attempt was signed, Unix seconds
 * @param signature        {@code webhook-signature}: one {@code v1,...} per signing secret, space-separated
 * @param body             the JSON body, exactly as signed (the array is not copied: do not modify it)
 */
public record WebhookMessage(String messageId, long timestampSeconds, String signature, byte[] body) {
    /** Media type of the body. */
    public static final String CONTENT_TYPE = "application/json";

    public WebhookMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(body, "body");
    }

    /** The headers to send besides {@code Host} and {@code Content-Length}, in a stable order. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", CONTENT_TYPE);
        headers.put("webhook-id", messageId);
        headers.put("webhook-timestamp", Long.toString(timestampSeconds));
        headers.put("webhook-signature", signature);
        return headers;
    }

    @Override
    public String toString() {
        return "WebhookMessage[messageId=" + messageId + ", timestampSeconds=" + timestampSeconds
                + ", body=" + body.length + " bytes]";
    }
}
