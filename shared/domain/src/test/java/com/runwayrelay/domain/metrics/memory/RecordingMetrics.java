package com.runwayrelay.domain.metrics.memory;

import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.domain.metrics.RelayMetric;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every measurement, in order, for tests to inspect. Unlike the real adapter it throws on a
 * value {@link RelayMetric#check} refuses, so a test finds a bad dimension value at once. Thread-safe.
 */
public final class RecordingMetrics implements Metrics {
    private final List<Recorded> recorded = new ArrayList<>();

    /** One measurement as recorded. */
    public record Recorded(RelayMetric metric, double value, List<String> dimensions) {
        public Recorded {
            dimensions = List.copyOf(dimensions);
        }
    }

    @Override
    public void record(RelayMetric metric, double value, String... dimensionValues) {
        metric.check(value, dimensionValues);
        synchronized (recorded) {
            recorded.add(new Recorded(metric, value, List.of(dimensionValues)));
        }
    }

    /** Everything recorded so far, in order. */
    public List<Recorded> all() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** The measurements of {@code metric}, in order. */
    public List<Recorded> of(RelayMetric metric) {
        return all().stream().filter(r -> r.metric() == metric).toList();
    }

    /** The sum of the values of {@code metric} recorded with exactly these dimension values. */
    public double sum(RelayMetric metric, String... dimensionValues) {
        List<String> wanted = List.of(dimensionValues);
        return of(metric).stream().filter(r -> r.dimensions().equals(wanted)).mapToDouble(Recorded::value).sum();
    }
}
