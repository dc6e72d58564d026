package com.runwayrelay.domain.gateway;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where idempotency keys live: one record per app and key, claimed by exactly one request. The
 * claim is a conditional write, so among any number of concurrent requests with the same key
 * exactly one wins; the others find the winner's record. Records expire at
 * {@link IdempotencyRecord#expiresAt()}; an expired record counts as absent even before the store
 * deletes it.
 */
public interface IdempotencyStore {

    /**
     * Stores {@code claim} unless a live record exists for its app and key.
     *
     * @return {@link Claim.Won} when stored; {@link Claim.Taken} with the live record otherwise
     */
    Claim claim(IdempotencyRecord claim, Instant now);

    /** The live record for this app and key, if any. */
    Optional<IdempotencyRecord> find(String appId, String key, Instant now);

    /** Records the response of the request that claimed the key with {@code taskId}. */
    void complete(String appId, String key, String taskId, StoredResponse response);

    /**
     * Deletes the claim made with {@code taskId} if it has no response yet, so that a retry of a
     * request that failed without a lasting outcome can run again.
     */
    void release(String appId, String key, String taskId);

    /** How a claim ended. */
    sealed interface Claim {
        /** This request owns the key. */
        record Won() implements Claim {
        }

        /** Another request owns the key; its record as stored. */
        record Taken(IdempotencyRecord existing) implements Claim {
            public Taken {
                Objects.requireNonNull(existing, "existing");
            }
        }
    }

    /**
     * One idempotency key of one app.
     *
     * @param appId       the app
     * @param key         the {@code Idempotency-Key} header value
     * @param fingerprint SHA-256 of the request (endpoint and canonical body); a different one with the
     *                    same key is a misuse of the key
     * @param taskId      the task id the claiming request minted
     * @param response    the answer to replay, or null while the claiming request is still working
     * @param createdAt   when the key was claimed
     * @param expiresAt   when the key may be used for another request
     */
    record IdempotencyRecord(String appId, String key, String fingerprint, String taskId, StoredResponse response,
                             Instant createdAt, Instant expiresAt) {
        public IdempotencyRecord {
            Objects.requireNonNull(appId, "appId");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        /** Whether the record still holds the key at {@code now}. */
        public boolean liveAt(Instant now) {
            return expiresAt.isAfter(now);
        }

        /** This record with its response. */
        public IdempotencyRecord withResponse(StoredResponse value) {
            return new IdempotencyRecord(appId, key, fingerprint, taskId, value, createdAt, expiresAt);
        }
    }

    /**
     * A response kept for replay.
     *
     * @param status the HTTP status
     * @param body   the body exactly as first sent (JSON, opaque here)
     */
    record StoredResponse(int status, String body) {
        public StoredResponse {
            Objects.requireNonNull(body, "body");
        }
    }
}
