package com.runwayrelay.domain.metrics;

/**
 * Where the gateway records a measurement. Implementations must be thread-safe and must never let
 * a failure to record reach the caller's work: a metric is not worth a failed request.
 *
 * <p>Dimension values are given in the order of {@link RelayMetric#dimensions()}; the adapter adds
 * the deployment's {@code Service} dimension itself.
 */
public interface Metrics {

    /**
     * Records one value of {@code metric}.
     *
     * @param value           in the metric's unit
     * @param dimensionValues one per dimension of the metric, in order
     * @throws IllegalArgumentException only from test fakes, for values {@link RelayMetric#check} refuses
     */
    void record(RelayMetric metric, double value, String... dimensionValues);

    /** Metrics that go nowhere (tests and tools that do not measure). */
    static Metrics none() {
        return (metric, value, dimensionValues) -> {
        };
    }
}
