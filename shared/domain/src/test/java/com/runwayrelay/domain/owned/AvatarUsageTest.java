package com.runwayrelay.domain.owned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.owned.AvatarUsage.Day;
import com.runwayrelay.domain.owned.AvatarUsage.Outcome;
import com.runwayrelay.domain.owned.RunwayRealtime.Answer;
import com.runwayrelay.domain.owned.memory.InMemoryOwnershipStore;
import com.runwayrelay.domain.owned.memory.InMemoryRunwayRealtime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvatarUsageTest {
    private static final String A = "app_a";
    private static final String B = "app_b";
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryOwnershipStore store = new InMemoryOwnershipStore();
    private final InMemoryRunwayRealtime runway = new InMemoryRunwayRealtime(clock);
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final RealtimeSessions sessions = new RealtimeSessions(store, runway, ledger, new RealtimePricing(1), clock);
    private final AvatarUsage usage = sessions.usage();

    private String created(String app) {
        RealtimeSessions.Outcome outcome = sessions.create(app, 100_000, 100, new RealtimeSessions.Request(
                "{\"model\":\"gwm1_avatars\"}", 60, "runway-preset", "influencer"));
        return assertInstanceOf(RealtimeSessions.Outcome.Created.class, outcome).id();
    }

    private Outcome.Report report(String app, Instant start, Instant end) {
        return assertInstanceOf(Outcome.Report.class, usage.of(app, start, end));
    }

    @Test
    void sumsTheAppsOwnSessionsPerUtcDay_withZeroDays_andNoOtherApps() {
        String first = created(A);
        clock.advance(Duration.ofHours(20));
        String second = created(A);
        String unfinished = created(A);
        String theirs = created(B);
        runway.complete(first, 10.2);
        runway.complete(second, 20.1);
        runway.complete(theirs, 99);
        sessions.get(A, first);
        sessions.get(A, second);
        sessions.get(B, theirs);

        Outcome.Report report = report(A, Instant.parse("2026-11-20T12:00:00Z"), Instant.parse("2026-11-24T00:00:00Z"));
        assertEquals(3, report.totalSessions(), "the unfinished one counts as a session");
        assertEquals(30.3, report.totalSeconds());
        assertEquals(15.15, report.avgDurationSeconds(), "over the two with a duration");
        assertEquals(List.of(new Day(LocalDate.parse("2026-11-20"), 0, 0), new Day(LocalDate.parse("2026-11-21"), 10.2, 1),
                new Day(LocalDate.parse("2026-11-22"), 20.1, 2), new Day(LocalDate.parse("2026-11-23"), 0, 0)),
                report.byDay());
        assertEquals(List.of("create", "create", "create", "create", "get " + first, "get " + second, "get " + theirs,
                "conversation " + unfinished), runway.calls(), "only the unsettled session is read at Runway");

        Outcome.Report b = report(B, T0, T0.plus(Duration.ofDays(2)));
        assertEquals(1, b.totalSessions());
        assertEquals(99, b.totalSeconds());
    }

    @Test
    void countsASessionFromItsStartInclusive_toTheEndExclusive() {
        created(A);
        assertEquals(1, report(A, T0, T0.plusSeconds(1)).totalSessions());
        assertEquals(0, report(A, T0.minusSeconds(1), T0).totalSessions());
        assertEquals(0, report(A, T0.plusMillis(1), T0.plusSeconds(5)).totalSessions());
        assertEquals(List.of(new Day(LocalDate.parse("2026-11-21"), 0, 1)),
                report(A, Instant.parse("2026-11-21T00:00:00Z"), Instant.parse("2026-11-22T00:00:00Z")).byDay(),
                "an end at midnight adds no day");
    }

    @Test
    void settlesAnEndedSessionItReads_andKeepsItsSecondsOnceTheConversationIsDeleted() {
        String id = created(A);
        runway.complete(id, 12.5);
        Outcome.Report report = report(A, T0, T0.plusSeconds(60));
        assertEquals(12.5, report.totalSeconds());
        assertNull(store.find(ResourceKind.REALTIME_SESSIONS, id).orElseThrow().charge(), "settled on the way");
        assertEquals(13, ledger.usage(A, LocalDate.parse("2026-11-21")).usedCredits());

        sessions.conversations().delete(A, id);
        Outcome.Report after = report(A, T0, T0.plusSeconds(60));
        assertEquals(1, after.totalSessions());
        assertEquals(12.5, after.totalSeconds());
    }

    @Test
    void answersUnavailable_whenRunwayCannotBeAskedAboutAnUnsettledSession() {
        created(A);
        runway.script(new Answer.Unavailable("503", Duration.ofSeconds(2)));
        assertEquals(new Outcome.Unavailable("503", Duration.ofSeconds(2)), usage.of(A, T0, T0.plusSeconds(60)));
    }

    @Test
    void refusesMoreSessionsThanItsLimit_andRangesThatAreEmptyOrTooLong() {
        for (int i = 0; i < 4; i++) {
            created(A);
        }
        AvatarUsage small = new AvatarUsage(store, runway, new SessionCharges(store, ledger, new RealtimePricing(1), clock), 3);
        assertEquals(new Outcome.TooMany(3), small.of(A, T0, T0.plusSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> usage.of(A, T0, T0));
        assertThrows(IllegalArgumentException.class, () -> usage.of(A, T0, T0.plus(Duration.ofDays(90)).plusMillis(1)));
        assertEquals(90, report(A, T0, T0.plus(Duration.ofDays(90))).byDay().size() - 1, "90 days from 06:00 touch 91 dates");
    }
}
