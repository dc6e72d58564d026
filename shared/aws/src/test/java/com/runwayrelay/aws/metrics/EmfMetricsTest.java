package com.runwayrelay.aws.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.config.ConfigurationException;
import com.runwayrelay.aws.config.MetricsSettings;
import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.domain.metrics.RelayMetric.Dimension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The EMF documents the adapter writes, checked against the specification's structure through {@link EmfDocument}. */
class EmfMetricsTest {
    /** The library refuses timestamps far from the present, so the fixed instant is taken from it once. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final EmfMetrics metrics = new EmfMetrics(new MetricsSettings("RelayTest", "relay-dev"),
            Clock.fixed(NOW, ZoneOffset.UTC), lines::add);

    /** A value each dimension of {@code metric} accepts. */
    private static String[] sampleDimensions(RelayMetric metric) {
        return metric.dimensions().stream()
                .map(d -> d.values().isEmpty() ? (d.name().equals("AppId") ? "app_1" : "SAFETY.INPUT.TEXT")
                        : d.values().stream().sorted().findFirst().orElseThrow())
                .toArray(String[]::new);
    }

    private List<EmfDocument> documents() {
        List<EmfDocument> documents = new ArrayList<>();
        for (String line : lines) {
            documents.add(EmfDocument.parse(line).orElseThrow(() -> new AssertionError("not EMF: " + line)));
        }
        return documents;
    }

    @ParameterizedTest
    @EnumSource(RelayMetric.class)
    void writesOneSpecShapedDocument_forEveryMetric(RelayMetric metric) {
        String[] dimensions = sampleDimensions(metric);
        metrics.record(metric, 42.5, dimensions);
        metrics.flush();

        List<EmfDocument> documents = documents();
        assertEquals(1, documents.size());
        EmfDocument document = documents.getFirst();
        assertEquals(NOW, document.timestamp(), "_aws.Timestamp");
        EmfDocument.Directive directive = document.directives().getFirst();
        assertEquals("RelayTest", directive.namespace());
        List<String> keys = new ArrayList<>(List.of("Service"));
        metric.dimensions().stream().map(Dimension::name).forEach(keys::add);
        assertEquals(List.of(keys), directive.dimensions(), "one dimension set: Service, then the metric's own");
        assertEquals(List.of(new EmfDocument.MetricDefinition(metric.metricName(), metric.unit().cloudWatchName(),
                List.of(42.5))), directive.metrics());
        assertEquals("relay-dev", document.text("Service").orElseThrow());
        for (int i = 0; i < dimensions.length; i++) {
            assertEquals(dimensions[i], document.text(metric.dimensions().get(i).name()).orElseThrow());
        }
        assertTrue(document.root().get(metric.metricName()).isNumber(), "the value at the top level");
    }

    @Test
    void keepsRepeatedValuesInOneDocument_andSplitsByDimensionValues() {
        metrics.record(RelayMetric.POLL_LAG, 1);
        metrics.record(RelayMetric.POLL_LAG, 3);
        metrics.record(RelayMetric.RUNWAY_CALLS, 1, "2xx");
        metrics.record(RelayMetric.RUNWAY_CALLS, 1, "5xx");
        metrics.flush();

        List<EmfDocument> documents = documents();
        assertEquals(3, documents.size());
        EmfDocument lag = documents.stream().filter(d -> d.root().containsKey("PollLag")).findFirst().orElseThrow();
        assertEquals(List.of(1.0, 3.0), lag.directives().getFirst().metrics().getFirst().values());
        assertEquals(List.of("2xx", "5xx"), documents.stream().flatMap(d -> d.text("Outcome").stream()).sorted().toList());
    }

    @Test
    void writesNothingTwice_andNothingWhenNothingWasRecorded() {
        metrics.flush();
        metrics.record(RelayMetric.STUCK_TASKS, 0);
        metrics.flush();
        metrics.flush();

        assertEquals(1, lines.size());
    }

    @Test
    void dropsAMeasurementItCannotRecord_withoutFailingTheCaller() {
        metrics.record(RelayMetric.SUBMITS, 1, "not-an-outcome");
        metrics.record(RelayMetric.POLL_LAG, Double.NaN);
        metrics.flush();

        assertEquals(List.of(), lines);
    }

    @Test
    void flushesAfterEveryCall_whetherItReturnsOrThrows() {
        Function<String, String> work = metrics.flushingAfter(input -> {
            metrics.record(RelayMetric.SUBMITS, 1, "accepted");
            if (input.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            return input;
        });

        assertEquals("ok", work.apply("ok"));
        assertThrows(IllegalStateException.class, () -> work.apply("boom"));

        assertEquals(2, lines.size());
    }

    @Test
    void readsTheNamespaceAndServiceFromTheEnvironment_andRefusesBadOnes() {
        MetricsSettings defaults = MetricsSettings.from(new com.runwayrelay.aws.config.Env(Map.of()));
        assertEquals(new MetricsSettings("RunwayRelay", "runway-relay"), defaults);

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> EmfMetrics.fromEnvironment(
                Map.of("RELAY_METRICS_NAMESPACE", "AWS/Lambda", "RELAY_METRICS_SERVICE", "has space")));
        assertTrue(e.getMessage().contains("RELAY_METRICS_NAMESPACE") && e.getMessage().contains("RELAY_METRICS_SERVICE"),
                e.getMessage());
    }
}
