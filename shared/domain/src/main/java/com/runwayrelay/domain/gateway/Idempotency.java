package com.runwayrelay.domain.gateway;

import com.runwayrelay.domain.gateway.IdempotencyStore.Claim;
import com.runwayrelay.domain.gateway.IdempotencyStore.IdempotencyRecord;
import com.runwayrelay.domain.gateway.IdempotencyStore.StoredResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code Idempotency-Key} rules: the same app, key and request get the same response and at
 * most one task; the same key with a different request is refused; keys expire after a TTL.
 *
 * <p>A request calls {@link #begin} before doing anything that costs money. The one request that
 * wins the key proceeds and later calls {@link #complete} with its response, or {@link #abandon}
 * when it ends without a lasting outcome (so the app may retry). Concurrent duplicates wait,
 * polling the store, until the winner's response is there or the wait runs out.
 *
 * <p><b>Leases.</b> A claim holds the key unanswered for at most {@code lease}: the longest the
 * claiming request can run (the submit function's timeout). A request killed on the way (a crash,
 * a timeout) never answers; once its lease has ended, the next identical request takes the claim
 * over ({@link Decision.TakeOver}) with the same task id and the original arrival time, and carries
 * on from whatever the killed request left. Of two retries racing for a lapsed claim only one
 * takes it (a conditional write on the old lease); the other waits like any duplicate.
 */
public final class Idempotency {
    /** The longest key accepted. */
    public static final int MAX_KEY_LENGTH = 255;

    private final IdempotencyStore store;
    private final Clock clock;
    private final Duration ttl;
    private final Duration lease;
    private final Duration wait;
    private final Duration pollInterval;

    /**
     * @param ttl          how long a key is remembered
     * @param lease        how long an unanswered claim holds the key: at least the longest a request can run
     * @param wait         how long a duplicate waits for the winner's response
     * @param pollInterval pause between two looks at the store while waiting
     */
    public Idempotency(IdempotencyStore store, Clock clock, Duration ttl, Duration lease, Duration wait,
                       Duration pollInterval) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.wait = Objects.requireNonNull(wait, "wait");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        if (!ttl.isPositive() || !lease.isPositive() || wait.isNegative() || !pollInterval.isPositive()) {
            throw new IllegalArgumentException("ttl, lease and pollInterval must be positive, wait >= 0");
        }
        if (lease.compareTo(ttl) > 0) {
            throw new IllegalArgumentException("the lease (" + lease + ") must not outlast the key's ttl (" + ttl + ")");
        }
    }

    /**
     * Why a header value cannot be used as a key, or empty when it can: 1 to
     * {@value #MAX_KEY_LENGTH} printable ASCII characters.
     */
    public static Optional<String> problemWith(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("Idempotency-Key must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return Optional.of("Idempotency-Key is " + key.length() + " characters long; the limit is " + MAX_KEY_LENGTH);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return Optional.of("Idempotency-Key may contain printable ASCII characters only (found one at index "
                        + i + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Claims the key for a request, or finds out what became of an earlier one.
     *
     * @param fingerprint identifies the request: the same request must give the same fingerprint
     * @param taskId      the task id this request will use if it wins
     * @param requestedAt when this request arrived; kept on the claim, so a request that takes it over
     *                    later admits and records its task as of the original arrival
     */
    public Decision begin(String appId, String key, String fingerprint, String taskId, Instant requestedAt) {
        Instant start = clock.instant();
        Instant giveUpAt = start.plus(wait);
        IdempotencyRecord claim = fresh(appId, key, fingerprint, taskId, requestedAt, start);
        Claim outcome = store.claim(claim, start);
        while (true) {
            if (outcome instanceof Claim.Won) {
                return new Decision.Proceed(taskId, claim.createdAt(), claim.leaseUntil());
            }
            IdempotencyRecord existing = ((Claim.Taken) outcome).existing();
            if (!existing.fingerprint().equals(fingerprint)) {
                return new Decision.Mismatch(existing.taskId());
            }
            if (existing.response() != null) {
                return new Decision.Replay(existing.taskId(), existing.response());
            }
            Instant now = clock.instant();
            boolean lapsed = !now.isBefore(leaseEnd(existing));
            if (lapsed) {
                Instant leaseUntil = now.plus(lease);
                if (store.takeOver(existing, leaseUntil)) {
                    return new Decision.TakeOver(existing.taskId(), existing.createdAt(), leaseUntil);
                }
                // Another retry took it over first (or the claim changed): look again, without pausing.
                if (!now.isBefore(giveUpAt)) {
                    return new Decision.InProgress(existing.taskId());
                }
            } else if (!now.isBefore(giveUpAt) || !pause()) {
                return new Decision.InProgress(existing.taskId());
            }
            Instant later = clock.instant();
            Optional<IdempotencyRecord> again = store.find(appId, key, later);
            if (again.isPresent()) {
                outcome = new Claim.Taken(again.get());
            } else {
                // The winner released the key (it failed without a lasting outcome): try to win it now.
                claim = fresh(appId, key, fingerprint, taskId, requestedAt, later);
                outcome = store.claim(claim, later);
            }
        }
    }

    /** As {@link #begin(String, String, String, String, Instant)}, for a request arriving now. */
    public Decision begin(String appId, String key, String fingerprint, String taskId) {
        return begin(appId, key, fingerprint, taskId, clock.instant());
    }

    /** Stores the winner's response for replay. */
    public void complete(String appId, String key, String taskId, StoredResponse response) {
        store.complete(appId, key, taskId, response);
    }

    /**
     * Frees the key after the winner failed without a lasting outcome; a claim taken over since
     * (another lease) stays.
     */
    public void abandon(String appId, String key, String taskId, Instant leaseUntil) {
        store.release(appId, key, taskId, leaseUntil);
    }

    /** How long an unanswered claim holds the key. */
    public Duration lease() {
        return lease;
    }

    private IdempotencyRecord fresh(String appId, String key, String fingerprint, String taskId, Instant requestedAt,
                                    Instant now) {
        return new IdempotencyRecord(appId, key, fingerprint, taskId, null, requestedAt, now.plus(ttl), now.plus(lease));
    }

    /** When an unanswered claim stops holding the key; records from before leases count from their creation. */
    private Instant leaseEnd(IdempotencyRecord record) {
        return record.leaseUntil() != null ? record.leaseUntil() : record.createdAt().plus(lease);
    }

    private boolean pause() {
        try {
            Thread.sleep(pollInterval);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What a request should do about its key. */
    public sealed interface Decision {
        /**
         * This request owns the key: go ahead with {@code taskId}, submitted at {@code requestedAt}.
         *
         * @param leaseUntil the claim's lease, for {@link #abandon}
         */
        record Proceed(String taskId, Instant requestedAt, Instant leaseUntil) implements Decision {
        }

        /**
         * An identical request claimed the key and stopped without answering (its lease ended); this
         * request took the claim over. Carry on with the same {@code taskId} and the original
         * {@code requestedAt}: the task may already exist, and its create may have been sent.
         *
         * @param leaseUntil the new lease, for {@link #abandon}
         */
        record TakeOver(String taskId, Instant requestedAt, Instant leaseUntil) implements Decision {
        }

        /** An earlier identical request finished: answer with its response. */
        record Replay(String taskId, StoredResponse response) implements Decision {
        }

        /** The key was used for a different request. */
        record Mismatch(String taskId) implements Decision {
        }

        /** An identical request is still working and did not finish within the wait. */
        record InProgress(String taskId) implements Decision {
        }
    }
}
