package com.runwayrelay.local;

import java.io.OutputStream;
import java.util.Objects;

/**
 * Standard output of the local stack's JVM, line by line: EMF documents the functions write are
 * handed to {@link LocalMetrics} and kept off the console (the summary shows them); every other line
 * passes through unchanged.
 */
final class MetricsTap extends LineFilter {
    private final LocalMetrics metrics;

    MetricsTap(OutputStream target, LocalMetrics metrics) {
        super(target);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    boolean keep(String line) {
        return !metrics.accept(line.strip());
    }
}
