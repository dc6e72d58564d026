package com.runwayrelay.domain.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.admin.MetricsOverview.MetricView;
import com.runwayrelay.domain.admin.MetricsOverview.Overview;
import com.runwayrelay.domain.admin.MetricsOverview.SeriesView;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.metrics.MetricsReader;
import com.runwayrelay.domain.metrics.MetricsReader.Point;
import com.runwayrelay.domain.metrics.MetricsReader.SeriesData;
import com.runwayrelay.domain.metrics.MetricsReader.SeriesId;
import com.runwayrelay.domain.metrics.MetricsReader.SeriesRequest;
import com.runwayrelay.domain.metrics.MetricsReader.Statistic;
import com.runwayrelay.domain.metrics.RelayMetric;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricsOverviewTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:34:56Z");
    private static final Instant HOUR_11 = Instant.parse("2026-12-03T11:00:00Z");
    private static final Instant HOUR_12 = Instant.parse("2026-12-03T12:00:00Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final FakeReader reader = new FakeReader();
    private final MetricsOverview overview = new MetricsOverview(reader, clock);

    /** Answers from fixed points, records what it was asked. */
    private static final class FakeReader implements MetricsReader {
        final List<SeriesId> listed = new ArrayList<>();
        final Map<SeriesId, List<Point>> perPeriod = new java.util.HashMap<>();
        final Map<SeriesId, Map<Statistic, Double>> whole = new java.util.HashMap<>();
        final List<String> reads = new ArrayList<>();
        RuntimeException failure;

        @Override
        public List<SeriesId> series() {
            if (failure != null) {
                throw failure;
            }
            return listed;
        }

        @Override
        public List<SeriesData> read(List<SeriesRequest> requests, Instant start, Instant end, Duration period) {
            reads.add(start + ".." + end + "/" + period + " " + requests.stream()
                    .map(r -> r.id().metric() + r.id().dimensions() + new java.util.TreeSet<>(r.statistics())).toList());
            boolean wholeWindow = Duration.between(start, end).equals(period);
            return requests.stream().map(r -> new SeriesData(r.id(), wholeWindow
                    ? (whole.containsKey(r.id()) ? List.of(new Point(start, whole.get(r.id()))) : List.of())
                    : perPeriod.getOrDefault(r.id(), List.of()))).toList();
        }
    }

    private static SeriesId id(String metric, String... keyValues) {
        Map<String, String> dimensions = new java.util.TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            dimensions.put(keyValues[i], keyValues[i + 1]);
        }
        return new SeriesId(metric, dimensions);
    }

    private static Point point(Instant start, Object... statValues) {
        Map<Statistic, Double> values = new java.util.EnumMap<>(Statistic.class);
        for (int i = 0; i < statValues.length; i += 2) {
            values.put((Statistic) statValues[i], ((Number) statValues[i + 1]).doubleValue());
        }
        return new Point(start, values);
    }

    private static Overview report(MetricsOverview.Outcome outcome) {
        return assertInstanceOf(MetricsOverview.Outcome.Report.class, outcome).overview();
    }

    private static MetricView metric(Overview overview, RelayMetric metric) {
        return overview.metrics().stream().filter(view -> view.metric() == metric).findFirst().orElseThrow();
    }

    @Test
    void windowEndsAtTheEndOfTheCurrentPeriod_andListsEveryMetricOfTheRegistry_whenNothingWasRecorded() {
        Overview o = report(overview.overview(24, Duration.ofHours(1)));

        assertEquals(Instant.parse("2026-12-03T13:00:00Z"), o.end());
        assertEquals(Instant.parse("2026-12-02T13:00:00Z"), o.start());
        assertEquals(Arrays.asList(RelayMetric.values()), o.metrics().stream().map(MetricView::metric).toList());
        assertTrue(o.metrics().stream().allMatch(view -> view.series().isEmpty()));
        assertEquals(List.of(), reader.reads, "nothing listed, nothing read");
    }

    @Test
    void addsUpTheCountsOfEachSeries_perPeriodAndOverTheWindow() {
        SeriesId accepted = id("Submits", "Outcome", "accepted");
        SeriesId invalid = id("Submits", "Outcome", "invalid");
        reader.listed.addAll(List.of(invalid, accepted));
        reader.perPeriod.put(accepted, List.of(point(HOUR_12, Statistic.SUM, 2, Statistic.SAMPLE_COUNT, 2),
                point(HOUR_11, Statistic.SUM, 3, Statistic.SAMPLE_COUNT, 3)));
        reader.perPeriod.put(invalid, List.of(point(HOUR_12, Statistic.SUM, 1, Statistic.SAMPLE_COUNT, 1)));

        Overview o = report(overview.overview(2, Duration.ofHours(1)));

        List<SeriesView> submits = metric(o, RelayMetric.SUBMITS).series();
        assertEquals(List.of(Map.of("Outcome", "accepted"), Map.of("Outcome", "invalid")),
                submits.stream().map(SeriesView::dimensions).toList());
        SeriesView first = submits.getFirst();
        assertEquals(new MetricsOverview.Stats(5, 5, null, null, null), first.totals());
        assertEquals(List.of(HOUR_11, HOUR_12), first.points().stream().map(MetricsOverview.PointView::start).toList());
        assertEquals(2, first.points().get(1).stats().count());
        assertEquals(List.of("2026-12-03T11:00:00Z..2026-12-03T13:00:00Z/PT1H [Submits{Outcome=invalid}[SUM, SAMPLE_COUNT], "
                + "Submits{Outcome=accepted}[SUM, SAMPLE_COUNT]]"), reader.reads, "counts need no percentiles");
    }

    @Test
    void readsMaximumPerPeriodAndPercentilesOverTheWholeWindow_forDistributions() {
        SeriesId create = id("RunwayLatency", "Operation", "create");
        reader.listed.add(create);
        reader.perPeriod.put(create, List.of(
                point(HOUR_11, Statistic.SUM, 300, Statistic.SAMPLE_COUNT, 3, Statistic.MAXIMUM, 150, Statistic.P50, 100,
                        Statistic.P95, 150),
                point(HOUR_12, Statistic.SUM, 500, Statistic.SAMPLE_COUNT, 2, Statistic.MAXIMUM, 400, Statistic.P50, 100,
                        Statistic.P95, 400)));
        reader.whole.put(create, Map.of(Statistic.P50, 100.0, Statistic.P95, 400.0));

        Overview o = report(overview.overview(2, Duration.ofHours(1)));

        SeriesView series = metric(o, RelayMetric.RUNWAY_LATENCY).series().getFirst();
        assertEquals(new MetricsOverview.Stats(800, 5, 400.0, 100.0, 400.0), series.totals());
        assertEquals(150.0, series.points().getFirst().stats().max());
        assertEquals(2, reader.reads.size());
        assertEquals("2026-12-03T11:00:00Z..2026-12-03T13:00:00Z/PT2H [RunwayLatency{Operation=create}[P50, P95]]",
                reader.reads.get(1));
    }

    @Test
    void leavesOutSeriesOfOtherMetricsOrOtherDimensions_andSeriesWithoutDataInTheWindow() {
        SeriesId foreign = id("SomethingElse", "Outcome", "accepted");
        SeriesId wrongDimensions = id("Submits", "AppId", "app_1");
        SeriesId quiet = id("Submits", "Outcome", "invalid");
        SeriesId lag = id("PollLag");
        reader.listed.addAll(List.of(foreign, wrongDimensions, quiet, lag));
        reader.perPeriod.put(lag, List.of(point(HOUR_12, Statistic.SUM, 4, Statistic.SAMPLE_COUNT, 2,
                Statistic.MAXIMUM, 3)));

        Overview o = report(overview.overview(1, Duration.ofMinutes(15)));

        assertEquals(List.of(), metric(o, RelayMetric.SUBMITS).series());
        SeriesView pollLag = metric(o, RelayMetric.POLL_LAG).series().getFirst();
        assertEquals(Map.of(), pollLag.dimensions());
        assertNull(pollLag.totals().p95(), "the store had no percentile over the window");
        assertEquals(3.0, pollLag.totals().max());
        assertEquals(Instant.parse("2026-12-03T11:45:00Z"), o.start());
        assertEquals(Instant.parse("2026-12-03T12:45:00Z"), o.end());
    }

    @Test
    void answersUnavailable_whenTheStoreCannotBeRead() {
        reader.failure = new MetricsReader.Unavailable("AccessDenied: not allowed", null);

        MetricsOverview.Outcome outcome = overview.overview(24, Duration.ofHours(1));

        assertEquals("AccessDenied: not allowed",
                assertInstanceOf(MetricsOverview.Outcome.Unavailable.class, outcome).reason());
    }

    @Test
    void refusesWindowsAndPeriodsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> overview.overview(0, Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> overview.overview(169, Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> overview.overview(24, Duration.ofMinutes(7)));
        assertThrows(IllegalArgumentException.class, () -> overview.overview(25, Duration.ofMinutes(1)));
        assertEquals(Set.of(), Set.copyOf(reader.reads));
    }
}
