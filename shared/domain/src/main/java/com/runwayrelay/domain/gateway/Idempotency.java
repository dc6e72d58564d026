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
 */
public final class Idempotency {
    /** The longest key accepted. */
    public static final int MAX_KEY_LENGTH = 255;

    private final IdempotencyStore store;
    private final Clock clock;
    private final Duration ttl;
    private final Duration wait;
    private final Duration pollInterval;

    /**
     * @param ttl          how long a key is remembered
     * @param wait         how long a duplicate waits for the winner's response
     * @param pollInterval pause between two looks at the store while waiting
     */
    public Idempotency(IdempotencyStore store, Clock clock, Duration ttl, Duration wait, Duration pollInterval) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.wait = Objects.requireNonNull(wait, "wait");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        if (!ttl.isPositive() || wait.isNegative() || !pollInterval.isPositive()) {
            throw new IllegalArgumentException("ttl and pollInterval must be positive, wait >= 0");
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
     */
    public Decision begin(String appId, String key, String fingerprint, String taskId) {
        Instant start = clock.instant();
        Instant giveUpAt = start.plus(wait);
        IdempotencyRecord claim = new IdempotencyRecord(appId, key, fingerprint, taskId, null, start, start.plus(ttl));
        Claim outcome = store.claim(claim, start);
        while (true) {
            if (outcome instanceof Claim.Won) {
                return new Decision.Proceed(taskId);
            }
            IdempotencyRecord existing = ((Claim.Taken) outcome).existing();
            if (!existing.fingerprint().equals(fingerprint)) {
                return new Decision.Mismatch(existing.taskId());
            }
            if (existing.response() != null) {
                return new Decision.Replay(existing.taskId(), existing.response());
            }
            if (!clock.instant().isBefore(giveUpAt) || !pause()) {
                return new Decision.InProgress(existing.taskId());
            }
            Instant now = clock.instant();
            Optional<IdempotencyRecord> again = store.find(appId, key, now);
            // The winner released the key (it failed without a lasting outcome): try to win it now.
            outcome = again.<Claim>map(Claim.Taken::new).orElseGet(
                    () -> store.claim(new IdempotencyRecord(appId, key, fingerprint, taskId, null, now, now.plus(ttl)), now));
        }
    }

    /** Stores the winner's response for replay. */
    public void complete(String appId, String key, String taskId, StoredResponse response) {
        store.complete(appId, key, taskId, response);
    }

    /** Frees the key after the winner failed without a lasting outcome. */
    public void abandon(String appId, String key, String taskId) {
        store.release(appId, key, taskId);
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
        /** This request owns the key: go ahead with {@code taskId}. */
        record Proceed(String taskId) implements Decision {
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
