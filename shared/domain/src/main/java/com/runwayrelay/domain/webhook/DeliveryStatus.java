package com.runwayrelay.domain.webhook;

/**
 * Values of {@link com.runwayrelay.domain.WebhookDelivery#status()}. The names are stored and are
 * part of the contract with {@code template.yaml} (the notifier's retry filter matches
 * {@code PENDING}) and with the status endpoint, which shows them.
 *
 * <p>The gateway alone writes these names, so the set is closed. A stored name this version does
 * not know (a newer version's, read after a rollback) reads as {@link #UNKNOWN}, which counts as
 * final: nothing more is sent for it, as before these were typed.
 */
public enum DeliveryStatus {
    /** An attempt is due at {@code nextAt} (or one is being made: see {@link WebhookDispatch}). */
    PENDING,
    /** The receiver answered 2xx. Final. */
    DELIVERED,
    /** Given up: the retry schedule is exhausted, or the target can never be reached. Final. */
    FAILED,
    /** The app's endpoint answered 410 Gone (now or for an earlier task); nothing more is sent. Final. */
    DISABLED,
    /** A stored name this version does not know; final. See the class comment. */
    UNKNOWN;

    /** True for every status but {@link #PENDING}. */
    public boolean isFinal() {
        return this != PENDING;
    }

    /** The status stored as {@code name}: {@link #UNKNOWN} for a name not listed here, null for null. */
    public static DeliveryStatus fromStored(String name) {
        if (name == null) {
            return null;
        }
        for (DeliveryStatus status : values()) {
            if (status != UNKNOWN && status.name().equals(name)) {
                return status;
            }
        }
        return UNKNOWN;
    }

    /** The status stored as {@code name}, or {@code null} when it is null or unknown. */
    static DeliveryStatus parse(String name) {
        DeliveryStatus status = fromStored(name);
        return status == UNKNOWN ? null : status;
    }
}
