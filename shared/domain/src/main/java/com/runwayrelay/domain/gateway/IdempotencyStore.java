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
 *
 * <p>An unanswered claim holds the key only until its lease ends ({@link IdempotencyRecord#leaseUntil()}):
 * after that the request that made it has surely stopped, and one later request with the same
 * key may {@link #takeOver} the claim, again a conditional write, so only one of several does.
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

    /**
     * Gives the unanswered claim {@code stale} a new lease, if it is still stored exactly as read:
     * same task, same lease, no response.
     *
     * @return true for the one caller that moved the lease; false when the record changed or vanished
     */
    boolean takeOver(IdempotencyRecord stale, Instant leaseUntil);

    /** Records the response of the request that claimed the key with {@code taskId}. */
    void complete(String appId, String key, String taskId, StoredResponse response);

    /**
     * Deletes the claim made with {@code taskId} and holding the lease {@code leaseUntil} if it has no
     * response yet, so that a retry of a request that failed without a lasting outcome can run
     * again. A claim taken over since (a new lease) is left alone.
     */
    void release(String appId, String key, String taskId, Instant leaseUntil);

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
     * @param createdAt   when the claiming request arrived: its task's {@code createdAt}
     * @param expiresAt   when the key may be used for another request
     * @param leaseUntil  while unanswered, when the claiming request has surely stopped (it is the
     *                    claim plus the longest a request can run), so the claim may be taken over;
     *                    null in records written before leases existed (see {@link Idempotency})
     */
    record IdempotencyRecord(String appId, String key, String fingerprint, String taskId, StoredResponse response,
                             Instant createdAt, Instant expiresAt, Instant leaseUntil) {
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
            return new IdempotencyRecord(appId, key, fingerprint, taskId, value, createdAt, expiresAt, leaseUntil);
        }

        /** This record with another lease. */
        public IdempotencyRecord withLease(Instant value) {
            return new IdempotencyRecord(appId, key, fingerprint, taskId, response, createdAt, expiresAt, value);
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
