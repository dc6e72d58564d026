package com.runwayrelay.domain.archive;

/**
 * The {@code failureCode}s a task gets when its outputs can never be archived. They sit beside
 * Runway's own codes on the task, so they carry their own {@code ARCHIVE.} prefix.
 */
public final class ArchiveFailures {
    /** An output URL is not https, or its host is not on the output allowlist. Nothing was fetched. */
    public static final String HOST_NOT_ALLOWED = "ARCHIVE.HOST_NOT_ALLOWED";
    /** The output host resolved to a private, loopback or otherwise internal address. Nothing was fetched. */
    public static final String ADDRESS_NOT_ALLOWED = "ARCHIVE.ADDRESS_NOT_ALLOWED";
    /** The output host answered with a redirect, which is never followed. */
    public static final String REDIRECT_REFUSED = "ARCHIVE.REDIRECT_REFUSED";
    /** The output is not a media type the task's endpoint produces. */
    public static final String CONTENT_TYPE = "ARCHIVE.CONTENT_TYPE";
    /** The output is larger than the configured cap. */
    public static final String TOO_LARGE = "ARCHIVE.TOO_LARGE";
    /** The task reached OUTPUT_READY without any output URL. */
    public static final String NO_OUTPUTS = "ARCHIVE.NO_OUTPUTS";
    /** Runway no longer knows the task, so no fresh output link can be had. */
    public static final String SOURCE_GONE = "ARCHIVE.SOURCE_GONE";
    /** Every allowed attempt failed on errors that might have been transient. */
    public static final String RETRIES_EXHAUSTED = "ARCHIVE.RETRIES_EXHAUSTED";

    /** The prefix shared by every code above. */
    public static final String PREFIX = "ARCHIVE.";

    private ArchiveFailures() {
    }
}
