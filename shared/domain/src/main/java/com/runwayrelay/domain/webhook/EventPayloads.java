package com.runwayrelay.domain.webhook;

import com.runwayrelay.domain.Task;

/**
 * Port: renders the JSON body of a webhook, {@code {"type", "timestamp", "data"}} with a summary
 * of the task and fresh links to its archived outputs. Rendered anew for every attempt, so links
 * are never stale; the event fields stay the same.
 */
@FunctionalInterface
public interface EventPayloads {
    /** Bodies stay below this size (Standard Webhooks recommends under 20 KB). */
    int MAX_BYTES = 20 * 1024;

    /**
     * The UTF-8 body announcing {@code event} for {@code task}.
     *
     * @return at most {@link #MAX_BYTES} bytes
     */
    byte[] render(Task task, WebhookEvent event);
}
