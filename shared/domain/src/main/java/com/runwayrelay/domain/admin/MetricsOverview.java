package com.runwayrelay.domain.admin;

import com.runwayrelay.domain.metrics.MetricsReader;
import com.runwayrelay.domain.metrics.MetricsReader.Point;
import com.runwayrelay.domain.metrics.MetricsReader.SeriesData;
import com.runwayrelay.domain.metrics.MetricsReader.SeriesId;
import com.runwayrelay.domain.metrics.MetricsReader.SeriesRequest;
import com.runwayrelay.domain.metrics.MetricsReader.Statistic;
import com.runwayrelay.domain.metrics.RelayMetric;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The operator's metrics overview: every metric of {@link RelayMetric} over the last hours, per
 * series (dimension values), with its totals and a point per period for charts. Reads the series the
 * store lists, keeps those of the registry with the registry's dimension names, and asks the store
 * for sum and count per period (plus maximum and p50/p95 for {@linkplain RelayMetric#distribution()
 * distributions}); percentiles over the whole window are read with one more request, since they do
 * not add up from the periods'.
 */
public final class MetricsOverview {
    public static final int DEFAULT_HOURS = 24;
    public static final int MAX_HOURS = 168;
    public static final Duration DEFAULT_PERIOD = Duration.ofHours(1);
    /** The periods a chart can have: each divides an hour, so a window of whole hours is whole periods. */
    public static final List<Duration> PERIODS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1));
    /** The most points one series may have (a day of minutes). */
    public static final int MAX_POINTS = 1440;

    private static final Set<Statistic> COUNTS = Set.of(Statistic.SUM, Statistic.SAMPLE_COUNT);
    private static final Set<Statistic> DISTRIBUTION = Set.of(Statistic.SUM, Statistic.SAMPLE_COUNT,
            Statistic.MAXIMUM, Statistic.P50, Statistic.P95);
    private static final Set<Statistic> PERCENTILES = Set.of(Statistic.P50, Statistic.P95);

    private final MetricsReader reader;
    private final Clock clock;

    public MetricsOverview(MetricsReader reader, Clock clock) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The overview of the {@code hours} whole periods up to now, the current period included (the window
     * ends at the end of the period holding now).
     *
     * @param hours  1..{@value #MAX_HOURS}
     * @param period one of {@link #PERIODS}, at most {@value #MAX_POINTS} of them in {@code hours}
     * @throws IllegalArgumentException when either is out of range (the edge checks them first)
     */
    public Outcome overview(int hours, Duration period) {
        if (hours < 1 || hours > MAX_HOURS) {
            throw new IllegalArgumentException("hours must be 1.." + MAX_HOURS);
        }
        if (!PERIODS.contains(period)) {
            throw new IllegalArgumentException("period must be one of " + PERIODS);
        }
        Duration window = Duration.ofHours(hours);
        if (window.dividedBy(period) > MAX_POINTS) {
            throw new IllegalArgumentException("at most " + MAX_POINTS + " points");
        }
        long periodSeconds = period.toSeconds();
        long now = clock.instant().getEpochSecond();
        Instant end = Instant.ofEpochSecond(Math.floorDiv(now, periodSeconds) * periodSeconds + periodSeconds);
        Instant start = end.minus(window);
        try {
            List<SeriesRequest> requests = reader.series().stream()
                    .filter(MetricsOverview::ofRegistry)
                    .distinct()
                    .map(id -> new SeriesRequest(id, metric(id).distribution() ? DISTRIBUTION : COUNTS))
                    .toList();
            if (requests.isEmpty()) {
                return new Outcome.Report(assemble(start, end, period, List.of(), Map.of()));
            }
            List<SeriesData> perPeriod = reader.read(requests, start, end, period);
            List<SeriesRequest> spreads = requests.stream()
                    .filter(request -> metric(request.id()).distribution())
                    .map(request -> new SeriesRequest(request.id(), PERCENTILES))
                    .toList();
            Map<SeriesId, Map<Statistic, Double>> whole = new LinkedHashMap<>();
            if (!spreads.isEmpty()) {
                for (SeriesData data : reader.read(spreads, start, end, window)) {
                    data.points().stream().findFirst().ifPresent(point -> whole.put(data.id(), point.values()));
                }
            }
            return new Outcome.Report(assemble(start, end, period, perPeriod, whole));
        } catch (MetricsReader.Unavailable e) {
            return new Outcome.Unavailable(e.getMessage());
        }
    }

    private static boolean ofRegistry(SeriesId id) {
        return RelayMetric.named(id.metric())
                .map(metric -> metric.dimensions().stream().map(RelayMetric.Dimension::name).collect(Collectors.toSet())
                        .equals(id.dimensions().keySet()))
                .orElse(false);
    }

    private static RelayMetric metric(SeriesId id) {
        return RelayMetric.named(id.metric()).orElseThrow();
    }

    private static Overview assemble(Instant start, Instant end, Duration period, List<SeriesData> perPeriod,
                                     Map<SeriesId, Map<Statistic, Double>> whole) {
        Map<RelayMetric, List<SeriesView>> byMetric = new EnumMap<>(RelayMetric.class);
        for (RelayMetric metric : RelayMetric.values()) {
            byMetric.put(metric, new ArrayList<>());
        }
        for (SeriesData data : perPeriod) {
            if (data.points().isEmpty()) {
                continue;
            }
            RelayMetric metric = metric(data.id());
            List<PointView> points = data.points().stream()
                    .sorted(Comparator.comparing(Point::start))
                    .map(point -> new PointView(point.start(), stats(metric, point.values())))
                    .toList();
            byMetric.get(metric).add(new SeriesView(data.id().dimensions(), totals(metric, points,
                    whole.getOrDefault(data.id(), Map.of())), points));
        }
        List<MetricView> metrics = new ArrayList<>();
        byMetric.forEach((metric, series) -> {
            series.sort(Comparator.comparing(view -> view.dimensions().toString()));
            metrics.add(new MetricView(metric, series));
        });
        return new Overview(start, end, period, metrics);
    }

    private static Stats stats(RelayMetric metric, Map<Statistic, Double> values) {
        double sum = values.getOrDefault(Statistic.SUM, 0.0);
        long count = Math.round(values.getOrDefault(Statistic.SAMPLE_COUNT, 0.0));
        if (!metric.distribution()) {
            return new Stats(sum, count, null, null, null);
        }
        return new Stats(sum, count, values.get(Statistic.MAXIMUM), values.get(Statistic.P50), values.get(Statistic.P95));
    }

    private static Stats totals(RelayMetric metric, List<PointView> points, Map<Statistic, Double> whole) {
        double sum = points.stream().mapToDouble(point -> point.stats().sum()).sum();
        long count = points.stream().mapToLong(point -> point.stats().count()).sum();
        if (!metric.distribution()) {
            return new Stats(sum, count, null, null, null);
        }
        Double max = points.stream().map(point -> point.stats().max()).filter(Objects::nonNull)
                .max(Double::compare).orElse(null);
        return new Stats(sum, count, max, whole.get(Statistic.P50), whole.get(Statistic.P95));
    }

    /** What an overview came to. */
    public sealed interface Outcome {
        /** The overview. */
        record Report(Overview overview) implements Outcome {
        }

        /**
         * The metric store could not be read.
         *
         * @param reason why, for the operator
         */
        record Unavailable(String reason) implements Outcome {
        }
    }

    /**
     * The metrics over {@code [start, end)}.
     *
     * @param period  the length of each point
     * @param metrics every metric of the registry, in its order, each with the series that had data
     */
    public record Overview(Instant start, Instant end, Duration period, List<MetricView> metrics) {
        public Overview {
            metrics = List.copyOf(metrics);
        }
    }

    /** One metric and its series with data in the window, ordered by dimension values. */
    public record MetricView(RelayMetric metric, List<SeriesView> series) {
        public MetricView {
            series = List.copyOf(series);
        }
    }

    /**
     * One series.
     *
     * @param dimensions its dimension values (no {@code Service})
     * @param totals     over the whole window
     * @param points     one per period with data, oldest first (a period without data has none)
     */
    public record SeriesView(Map<String, String> dimensions, Stats totals, List<PointView> points) {
        public SeriesView {
            dimensions = Collections.unmodifiableMap(new TreeMap<>(dimensions));
            points = List.copyOf(points);
        }
    }

    /** A period's statistics, the period starting at {@code start}. */
    public record PointView(Instant start, Stats stats) {
    }

    /**
     * Statistics of a set of values.
     *
     * @param sum   their sum, in the metric's unit
     * @param count how many values
     * @param max   the largest (distributions only; else null)
     * @param p50   the median (distributions only; null when the store has none)
     * @param p95   the 95th percentile (distributions only; null when the store has none)
     */
    public record Stats(double sum, long count, Double max, Double p50, Double p95) {
    }
}
