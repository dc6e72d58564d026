package com.runwayrelay.domain.owned;

import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.owned.RunwayRealtime.Answer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One app's avatar usage, {@code GET /v1/avatar_usage} (issue #18): Runway's answer covers the whole
 * organization, so the gateway sums the app's own realtime sessions (each is one conversation, with
 * its id) from their ownership records instead.
 *
 * <ul>
 *   <li>A session counts when its record's {@code createdAt} is in {@code [start, end)}, on that UTC
 *       day; its record stays when the app deletes the conversation, so usage does not shrink.</li>
 *   <li>Its seconds are the duration it was settled for ({@link Ownership#measuredSeconds()}); a session
 *       settled without a duration (it never ran, or Runway no longer had it) counts as a session without
 *       seconds, as Runway counts unfinished and failed ones.</li>
 *   <li>A session still holding its charge is read at Runway (its conversation), and settled when it has
 *       ended, as every other read does; at most {@link #MAX_RUNWAY_READS} per request, the others count
 *       as unfinished. Runway unavailable on such a read is {@link Outcome.Unavailable}.</li>
 *   <li>At most {@link #MAX_SESSIONS} sessions per request ({@link Outcome.TooMany} beyond).</li>
 * </ul>
 */
public final class AvatarUsage {
    /** The longest range; Runway's limit. */
    public static final Duration MAX_RANGE = Duration.ofDays(90);
    /** The most sessions one request sums. */
    public static final int MAX_SESSIONS = 5_000;
    /** The most unsettled sessions one request reads at Runway. */
    public static final int MAX_RUNWAY_READS = 50;
    private static final int PAGE = 100;

    private final OwnershipStore store;
    private final RunwayRealtime runway;
    private final SessionCharges charges;
    private final int maxSessions;

    AvatarUsage(OwnershipStore store, RunwayRealtime runway, SessionCharges charges) {
        this(store, runway, charges, MAX_SESSIONS);
    }

    AvatarUsage(OwnershipStore store, RunwayRealtime runway, SessionCharges charges, int maxSessions) {
        this.store = Objects.requireNonNull(store, "store");
        this.runway = Objects.requireNonNull(runway, "runway");
        this.charges = Objects.requireNonNull(charges, "charges");
        this.maxSessions = maxSessions;
    }

    /**
     * The app's usage from {@code start} (inclusive) to {@code end} (exclusive).
     *
     * @throws IllegalArgumentException when {@code end} is not after {@code start} or the range is longer
     *                                  than {@link #MAX_RANGE}
     */
    public Outcome of(String appId, Instant start, Instant end) {
        if (!end.isAfter(start) || Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw new IllegalArgumentException("the range must be non-empty and at most " + MAX_RANGE.toDays() + " days");
        }
        Map<LocalDate, double[]> days = new LinkedHashMap<>();
        LocalDate last = UsageLedger.dayOf(end.minusNanos(1));
        for (LocalDate day = UsageLedger.dayOf(start); !day.isAfter(last); day = day.plusDays(1)) {
            days.put(day, new double[2]);
        }
        long sessions = 0;
        long measured = 0;
        double seconds = 0;
        int runwayReads = 0;
        OwnershipStore.Position after = new OwnershipStore.Position(start, "");
        boolean more = true;
        while (more) {
            OwnershipStore.Page page = store.list(appId, ResourceKind.REALTIME_SESSIONS, false, after, PAGE);
            List<String> ids = new ArrayList<>();
            for (Ownership listed : page.items()) {
                if (!listed.createdAt().isBefore(end)) {
                    more = false;
                    break;
                }
                ids.add(listed.runwayId());
            }
            more = more && page.hasMore() && !page.items().isEmpty();
            if (!page.items().isEmpty()) {
                after = page.items().getLast().position();
            }
            if (sessions + ids.size() > maxSessions) {
                return new Outcome.TooMany(maxSessions);
            }
            Map<String, Ownership> records = store.findAll(ResourceKind.REALTIME_SESSIONS, ids);
            for (String id : ids) {
                Ownership record = records.get(id);
                if (record == null || !record.ownedBy(appId)) {
                    continue;
                }
                Double duration = record.measuredSeconds();
                if (record.charge() != null && runwayReads < MAX_RUNWAY_READS) {
                    runwayReads++;
                    switch (runway.getConversation(id)) {
                        case Answer.ConversationFound found -> {
                            if (found.conversation().ended()) {
                                charges.settleFromConversation(found.conversation());
                                duration = found.conversation().durationSeconds();
                            }
                        }
                        case Answer.NotFound gone -> {
                        }
                        case Answer.Unavailable u -> {
                            return new Outcome.Unavailable(u.reason(), u.retryAfter());
                        }
                        case Answer other -> throw new IllegalStateException("unexpected answer from Runway: " + other);
                    }
                }
                double[] day = days.get(UsageLedger.dayOf(record.createdAt()));
                sessions++;
                day[1]++;
                if (duration != null && duration >= 0 && !duration.isNaN()) {
                    measured++;
                    seconds += duration;
                    day[0] += duration;
                }
            }
        }
        List<Day> byDay = new ArrayList<>();
        days.forEach((day, sums) -> byDay.add(new Day(day, round(sums[0]), (long) sums[1])));
        return new Outcome.Report(sessions, round(seconds), measured == 0 ? 0 : round(seconds / measured), byDay);
    }

    /** Millisecond precision: sums of fractional seconds carry no binary noise to the app. */
    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    /**
     * One UTC day of the range.
     *
     * @param date     the day
     * @param seconds  measured seconds of the sessions started that day
     * @param sessions sessions started that day
     */
    public record Day(LocalDate date, double seconds, long sessions) {
        public Day {
            Objects.requireNonNull(date, "date");
        }
    }

    /** What became of a request, free of HTTP. */
    public sealed interface Outcome {
        /**
         * The app's usage in Runway's terms.
         *
         * @param totalSessions      sessions started in the range, unfinished and failed ones included
         * @param totalSeconds       seconds of those with a measured duration
         * @param avgDurationSeconds {@code totalSeconds} over the sessions with a measured duration, or 0
         * @param byDay              every UTC day of the range, oldest first, zeros included
         */
        record Report(long totalSessions, double totalSeconds, double avgDurationSeconds, List<Day> byDay)
                implements Outcome {
            public Report {
                byDay = List.copyOf(byDay);
            }
        }

        /** The range holds more than {@code limit} sessions of the app; nothing was summed. */
        record TooMany(int limit) implements Outcome {
        }

        /** Runway could not be asked about an unsettled session now; nothing changed. */
        record Unavailable(String reason, Duration retryAfter) implements Outcome {
        }
    }
}
