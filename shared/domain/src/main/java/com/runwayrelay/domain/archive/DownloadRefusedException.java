package com.runwayrelay.domain.archive;

import java.util.Objects;

/** A download that did not start because of the link or the answer, not the network. */
public final class DownloadRefusedException extends Exception {
    private final Reason reason;
    private final int status;
    private final String code;

    /**
     * @param reason  which way it was refused
     * @param status  the HTTP status received, or 0 when no request was sent
     * @param code    a finer cause when {@code reason} is {@link Reason#BLOCKED} (e.g. {@code private_address}), or null
     * @param message what happened, without the link's query string (it carries credentials)
     */
    public DownloadRefusedException(Reason reason, int status, String code, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.status = status;
        this.code = code;
    }

    /** Which way the download was refused; decides between refreshing the link, failing, or retrying. */
    public Reason reason() {
        return reason;
    }

    /** The HTTP status received, or 0 when nothing was sent. */
    public int status() {
        return status;
    }

    /** A finer cause for {@link Reason#BLOCKED}, or null. */
    public String code() {
        return code;
    }

    /** How the caller reacts differs for each. */
    public enum Reason {
        /** The connection rules forbid this target (scheme, host, address). Permanent; nothing was sent. */
        BLOCKED,
        /** 401, 403, 404 or 410: the signed link expired or was revoked. A fresh link may work. */
        EXPIRED,
        /** A 3xx: redirects are never followed. Permanent. */
        REDIRECTED,
        /** Any other non-200 status (429, 5xx, ...). Worth retrying later. */
        HTTP_ERROR
    }
}
