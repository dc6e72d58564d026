package com.runwayrelay.domain;

import java.util.Objects;

/**
 * One output stored in S3.
 *
 * @param key         the object key, {@code <prefix>/<appId>/<taskId>/<n>.<ext>}
 * @param size        bytes stored
 * @param sha256      lowercase hex SHA-256 of the bytes, computed while streaming
 * @param contentType the media type served with the object
 * @param node        for a workflow invocation, the workflow node whose output this is; null for a task
 */
public record ArchiveRecord(String key, long size, String sha256, String contentType, String node) {
    public ArchiveRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(contentType, "contentType");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0");
        }
    }

    /** A task's output (no workflow node). */
    public ArchiveRecord(String key, long size, String sha256, String contentType) {
        this(key, size, sha256, contentType, null);
    }
}
