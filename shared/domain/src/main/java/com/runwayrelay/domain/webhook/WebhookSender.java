package com.runwayrelay.domain.webhook;

import java.net.URI;

/**
 * Port: sends one webhook request. Adapters must vet the target before connecting (https only,
 * public addresses only, resolved once and connected to that address), never follow redirects,
 * and bound the whole exchange by a timeout. They report every result as a {@link SendOutcome}
 * rather than throwing.
 */
@FunctionalInterface
public interface WebhookSender {

    /**
     * POSTs {@code message} to {@code target}.
     *
     * @param target the task's callback URL
     * @return how it went; never null
     */
    SendOutcome send(URI target, WebhookMessage message);
}
