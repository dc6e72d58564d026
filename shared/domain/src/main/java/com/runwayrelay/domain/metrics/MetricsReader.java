package com.runwayrelay.domain.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads back what the functions recorded through {@link Metrics}, for this deployment only (the
 * adapter filters on the deployment's {@code Service} dimension and leaves it out of what it answers).
 * CloudWatch on AWS; the local stack's aggregation of the functions' output locally.
 */
public interface MetricsReader {

    /**
     * Every series with data recorded (CloudWatch: within the last two weeks), of any metric name.
     *
     * @throws Unavailable when the store cannot be read
     */
    List<SeriesId> series();

    /**
     * The statistics of each requested series per period over {@code [start, end)}, periods aligned
     * to {@code start}. A period without data has no point.
     *
     * @param period a whole number of minutes that divides {@code end - start}
     * @return one {@link SeriesData} per request, in the requests' order, points oldest first
     * @throws Unavailable when the store cannot be read
     */
    List<SeriesData> read(List<SeriesRequest> requests, Instant start, Instant end, Duration period);

    /**
     * A metric with its dimension values (without {@code Service}).
     *
     * @param metric     the metric's CloudWatch name, e.g. {@code Submits}
     * @param dimensions dimension name to value, e.g. {@code Outcome=accepted}
     */
    record SeriesId(String metric, Map<String, String> dimensions) {
        public SeriesId {
            Objects.requireNonNull(metric, "metric");
            dimensions = Collections.unmodifiableMap(new TreeMap<>(dimensions));
        }
    }

    /** The statistics a reader can compute per period. */
    enum Statistic {
        SUM, SAMPLE_COUNT, MAXIMUM, P50, P95
    }

    /** One series and the statistics wanted of it. */
    record SeriesRequest(SeriesId id, Set<Statistic> statistics) {
        public SeriesRequest {
            Objects.requireNonNull(id, "id");
            statistics = Set.copyOf(statistics);
            if (statistics.isEmpty()) {
                throw new IllegalArgumentException("at least one statistic");
            }
        }
    }

    /** What one series held per period. */
    record SeriesData(SeriesId id, List<Point> points) {
        public SeriesData {
            Objects.requireNonNull(id, "id");
            points = List.copyOf(points);
        }
    }

    /**
     * One period's statistics.
     *
     * @param start  the period's first instant
     * @param values the statistics that had a value in this period
     */
    record Point(Instant start, Map<Statistic, Double> values) {
        public Point {
            Objects.requireNonNull(start, "start");
            values = Map.copyOf(values);
        }
    }

    /** The metric store could not be read (refused, unreachable); nothing is answered from it. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
