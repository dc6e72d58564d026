package com.runwayrelay.domain.archive;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Where archived outputs are kept (the S3 bucket).
 *
 * <p>Contract of {@link #put}: the object appears whole or not at all. It reads {@code body} to
 * its end (a {@link MeasuredStream} throws rather than end early), stores the bytes under the
 * key with the content type and the metadata plus {@code sha256} = {@link MeasuredStream#sha256()},
 * and replaces any object already under the key (a replay writes the same bytes again). When
 * anything fails, reading or writing, nothing new is visible under the key and nothing billable
 * is left behind (an interrupted multipart upload is aborted), and the exception is rethrown.
 */
public interface ArchiveStore {

    /**
     * Stores one object.
     *
     * @throws IOException what reading the body threw (e.g. {@link TruncatedOutputException},
     *                     {@link OutputTooLargeException}), or a failure of the store itself
     */
    void put(ObjectSpec spec, MeasuredStream body) throws IOException;

    /** Deletes every object whose key starts with {@code prefix}; none is not an error. */
    void deleteUnder(String prefix) throws IOException;

    /**
     * What to store.
     *
     * @param key         the object key
     * @param contentType served with the object
     * @param metadata    user metadata (ASCII names and values); the store adds {@code sha256}
     */
    record ObjectSpec(String key, String contentType, Map<String, String> metadata) {
        public ObjectSpec {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(contentType, "contentType");
            metadata = Map.copyOf(metadata);
        }
    }
}
