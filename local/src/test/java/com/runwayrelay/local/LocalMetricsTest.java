package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.config.MetricsSettings;
import com.runwayrelay.aws.metrics.EmfMetrics;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.metrics.RelayMetric;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local stack's view of the functions' metrics, on a manual clock: the window is what the clock says. */
class LocalMetricsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final LocalMetrics metrics = new LocalMetrics(clock);
    /** The functions' adapter, writing into the aggregation as the tap would (its own timestamps must be near now). */
    private final EmfMetrics emitted = new EmfMetrics(new MetricsSettings("RunwayRelay", "runway-relay"),
            Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC), metrics::accept);

    @Test
    void summarisesTheWindowInOneLine_andStartsTheNextOne() {
        emitted.record(RelayMetric.SUBMITS, 1, "accepted");
        emitted.record(RelayMetric.SUBMITS, 1, "accepted");
        emitted.record(RelayMetric.SUBMITS, 1, "invalid");
        emitted.record(RelayMetric.RUNWAY_CALLS, 1, "2xx");
        emitted.record(RelayMetric.RUNWAY_CALLS, 1, "429");
        for (int ms = 10; ms <= 200; ms += 10) {
            emitted.record(RelayMetric.RUNWAY_LATENCY, ms, "read");
        }
        emitted.record(RelayMetric.TASKS_FINISHED, 1, "ARCHIVED", "none");
        emitted.record(RelayMetric.CREDITS_RESERVED, 12, "app_1");
        emitted.record(RelayMetric.CREDITS_CHARGED, 10, "app_1");
        emitted.record(RelayMetric.WEBHOOK_DELIVERIES, 1, "delivered");
        emitted.record(RelayMetric.POLL_LAG, 1.5);
        emitted.record(RelayMetric.STUCK_TASKS, 0);
        emitted.record(RelayMetric.ARCHIVE_BYTES, 3 * 1048576);
        emitted.record(RelayMetric.COMPLETION_TO_ARCHIVED, 4.2);
        emitted.flush();
        clock.advance(Duration.ofSeconds(60));

        assertEquals("metrics, last 60 s: submits 3 (accepted 2, invalid 1) · Runway calls 2 (2xx 1, 429 1), p95 190 ms"
                        + " · finished 1 (ARCHIVED 1) · credits reserved 12 · charged 10 · webhooks 1 (delivered 1)"
                        + " · poll lag p95 1.5 s · stuck 0 · archived 3.0 MiB, p95 4.2 s to ARCHIVED",
                metrics.summary());

        clock.advance(Duration.ofSeconds(60));
        assertEquals("metrics, last 60 s: nothing recorded", metrics.summary());
        assertEquals(2, metrics.totals().get(new LocalMetrics.Series("Submits", Map.of("Outcome", "accepted"))).sum(),
                "totals outlive the window");
        assertEquals(0, metrics.invalidDocuments());
    }

    @Test
    void tapKeepsMetricsOffTheConsole_andPassesEveryOtherLine() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new MetricsTap(console, metrics), true, StandardCharsets.UTF_8);
        EmfMetrics function = new EmfMetrics(new MetricsSettings("RunwayRelay", "runway-relay"),
                Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC), out::println);

        out.println("{\"level\":\"INFO\",\"event\":\"submit.answered\",\"outcome\":\"accepted\"}");
        function.record(RelayMetric.SUBMITS, 1, "accepted");
        function.flush();
        out.println("plain text");

        String shown = console.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("submit.answered") && shown.contains("plain text"), shown);
        assertFalse(shown.contains("_aws"), shown);
        clock.advance(Duration.ofSeconds(5));
        assertEquals("metrics, last 5 s: submits 1 (accepted 1)", metrics.summary());
    }

    @Test
    void countsADocumentThatBreaksTheSpecification_andKeepsItOffTheConsole() {
        assertTrue(metrics.accept("{\"_aws\":{\"CloudWatchMetrics\":[]}}"));
        assertFalse(metrics.accept("{\"event\":\"poller.run\"}"));
        assertEquals(1, metrics.invalidDocuments());
    }
}
