package com.runwayrelay.domain.webhook;

/**
 * Values of {@link com.runwayrelay.domain.WebhookDelivery#status()}. The names are stored and are
 * part of the contract with {@code template.yaml} (the notifier's retry filter matches
 * {@code PENDING}) and with the status endpoint, which shows them.
 */
public enum DeliveryStatus {
    /** An attempt is due at {@code nextAt} (or one is being made: see {@link WebhookDispatch}). */
    PENDING,
    /** The receiver answered 2xx. Final. */
    DELIVERED,
    /** Given up: the retry schedule is exhausted, or the target can never be reached. Final. */
    FAILED,
    /** The app's endpoint answered 410 Gone (now or for an earlier task); nothing more is sent. Final. */
    DISABLED;

    /** True for every status but {@link #PENDING}. */
    public boolean isFinal() {
        return this != PENDING;
    }

    /** The status stored as {@code name}, or {@code null} when it is null or unknown. */
    static DeliveryStatus parse(String name) {
        if (name == null) {
            return null;
        }
        for (DeliveryStatus status : values()) {
            if (status.name().equals(name)) {
                return status;
            }
        }
        return null;
    }
}
