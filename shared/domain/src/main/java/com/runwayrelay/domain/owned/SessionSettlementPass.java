package com.runwayrelay.domain.owned;

import com.runwayrelay.domain.owned.RunwayRealtime.Answer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settles realtime sessions that ended without the app reading them again (issue #18). Every session's
 * charge carries a check time ({@link Ownership.Charge#checkAt()}), first its creation plus its
 * {@code maxDuration} (a session cannot run longer once started); the poller runs one bounded pass per
 * invocation over the charges that are due, across apps, oldest check first:
 *
 * <ol>
 *   <li><b>Claim</b>: the check time is moved {@link #CLAIM} ahead, conditional on the charge being
 *       unchanged ({@link OwnershipStore#moveCheck}), so two overlapping passes never both work on a
 *       session, and one that crashes mid-way leaves it to a later pass.</li>
 *   <li><b>Read</b> the session at Runway and settle it exactly as an app's read does
 *       ({@link SessionCharges#settleEnded}): a session Runway no longer has settles at its reservation.</li>
 *   <li>A session not over yet (or whose conversation is still running) is <b>looked at again</b> after
 *       half its age, between {@link #MIN_RECHECK} and {@link #MAX_RECHECK}; one still not settled
 *       {@link #GIVE_UP_AFTER} after its creation is settled at its reservation (never an under-count).</li>
 *   <li>Runway unavailable: the session is looked at again after {@link #MIN_RECHECK} (or Runway's
 *       retry-after) and the pass stops for this run.</li>
 * </ol>
 *
 * <p>Idempotent with the read paths: the ledger settles a reservation once, and the record's charge is
 * removed after the ledger's settlement, so a crash in between only makes the next pass (or read)
 * settle again, which changes nothing; a check-time move never brings back a charge settled meanwhile.
 */
public final class SessionSettlementPass {
    /** How long a claimed session is left to the pass that claimed it. */
    public static final Duration CLAIM = Duration.ofMinutes(5);
    /** The shortest wait before a session is looked at again. */
    public static final Duration MIN_RECHECK = Duration.ofMinutes(1);
    /** The longest wait before a session is looked at again. */
    public static final Duration MAX_RECHECK = Duration.ofHours(1);
    /** A session still not settled this long after its creation is settled at its reservation. */
    public static final Duration GIVE_UP_AFTER = Duration.ofDays(1);

    private final OwnershipStore store;
    private final RunwayRealtime runway;
    private final SessionCharges charges;
    private final Clock clock;

    SessionSettlementPass(OwnershipStore store, RunwayRealtime runway, SessionCharges charges, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.runway = Objects.requireNonNull(runway, "runway");
        this.charges = Objects.requireNonNull(charges, "charges");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The first check time of a session created at {@code createdAt} that may run {@code maxDurationSeconds}. */
    static Instant firstCheck(Instant createdAt, int maxDurationSeconds) {
        return createdAt.plusSeconds(maxDurationSeconds);
    }

    /**
     * Looks at up to {@code maxSessions} due sessions, starting no new one after {@code stopBy}.
     * A failure of the store or the ledger on one session is reported in the result and leaves that
     * session to a later pass (its claim runs out); the others go on.
     */
    public Result run(int maxSessions, Instant stopBy) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be >= 1");
        }
        Counts counts = new Counts();
        for (Ownership due : store.chargesDue(clock.instant(), maxSessions)) {
            if (clock.instant().isAfter(stopBy)) {
                break;
            }
            if (due.charge() == null || due.kind() != ResourceKind.REALTIME_SESSIONS) {
                continue;
            }
            try {
                if (!check(due, counts)) {
                    break;
                }
            } catch (RuntimeException e) {
                counts.failures.add(new Failure(due.runwayId(), e));
            }
        }
        return new Result(counts.checked, counts.settled, counts.waiting, counts.skipped, counts.unavailable,
                counts.failures);
    }

    /** @return false when Runway is unavailable and the pass should stop */
    private boolean check(Ownership due, Counts counts) {
        Instant now = clock.instant();
        Ownership.Charge claimed = due.charge().checkedAt(now.plus(CLAIM));
        if (!store.moveCheck(due.kind(), due.runwayId(), due.charge(), claimed.checkAt())) {
            counts.skipped++;
            return true;
        }
        counts.checked++;
        Ownership session = new Ownership(due.appId(), due.kind(), due.runwayId(), due.name(), due.createdAt(),
                due.updatedAt(), claimed, due.measuredSeconds());
        Duration age = Duration.between(session.createdAt(), now);
        switch (runway.getSession(session.runwayId())) {
            case Answer.SessionFound found -> {
                if (charges.settleEnded(session, found.session(), runway)) {
                    counts.settled++;
                } else if (age.compareTo(GIVE_UP_AFTER) >= 0) {
                    charges.settleAtReservation(session);
                    counts.settled++;
                } else {
                    store.moveCheck(session.kind(), session.runwayId(), claimed, now.plus(recheckAfter(age)));
                    counts.waiting++;
                }
            }
            case Answer.NotFound gone -> {
                charges.settleAtReservation(session);
                counts.settled++;
            }
            case Answer.Unavailable unavailable -> {
                Duration wait = unavailable.retryAfter() == null || unavailable.retryAfter().compareTo(MIN_RECHECK) < 0
                        ? MIN_RECHECK : unavailable.retryAfter();
                store.moveCheck(session.kind(), session.runwayId(), claimed, now.plus(wait));
                counts.unavailable = true;
                return false;
            }
            case Answer other -> throw new IllegalStateException("unexpected answer from Runway: " + other);
        }
        return true;
    }

    /** Half the session's age, within {@link #MIN_RECHECK} and {@link #MAX_RECHECK}. */
    static Duration recheckAfter(Duration age) {
        Duration half = age.dividedBy(2);
        return half.compareTo(MIN_RECHECK) < 0 ? MIN_RECHECK : half.compareTo(MAX_RECHECK) > 0 ? MAX_RECHECK : half;
    }

    private static final class Counts {
        int checked;
        int settled;
        int waiting;
        int skipped;
        boolean unavailable;
        final List<Failure> failures = new ArrayList<>();
    }

    /**
     * What one pass did.
     *
     * @param checked           sessions claimed and read at Runway
     * @param settled           of those, sessions settled
     * @param waiting           of those, sessions not over yet, to be looked at again
     * @param skipped           due sessions another pass (or a read) had taken meanwhile
     * @param runwayUnavailable whether the pass stopped because Runway could not be asked
     * @param failures          sessions whose check failed in the store or the ledger
     */
    public record Result(int checked, int settled, int waiting, int skipped, boolean runwayUnavailable,
                         List<Failure> failures) {
        public Result {
            failures = List.copyOf(failures);
        }
    }

    /** A session whose check failed, and why. */
    public record Failure(String runwayId, RuntimeException error) {
    }
}
