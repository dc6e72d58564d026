package com.runwayrelay.domain.archive;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of {@link TaskArchiver}.
 *
 * @param keyPrefix     first segment(s) of every object key, e.g. {@code outputs}; see {@link ArchiveKeys}
 * @param maxBytes      the largest output archived; larger ones fail the task with {@link ArchiveFailures#TOO_LARGE}
 * @param maxAttempts   archive attempts per task (each stream delivery is one); after the last
 *                      failed one the task fails with {@link ArchiveFailures#RETRIES_EXHAUSTED}
 * @param refreshMargin a link expiring within this margin is replaced by a fresh one before downloading
 */
public record ArchiveSettings(String keyPrefix, long maxBytes, int maxAttempts, Duration refreshMargin) {
    public ArchiveSettings {
        ArchiveKeys.checkPrefix(keyPrefix);
        Objects.requireNonNull(refreshMargin, "refreshMargin");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        if (refreshMargin.isNegative()) {
            throw new IllegalArgumentException("refreshMargin must be >= 0");
        }
    }
}
