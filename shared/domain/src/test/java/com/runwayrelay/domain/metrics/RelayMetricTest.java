package com.runwayrelay.domain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.owned.ResourceKind;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RelayMetricTest {

    @Test
    void namesEveryMetricOnce_andNoDimensionCarriesATaskId() {
        Set<String> names = new HashSet<>();
        for (RelayMetric metric : RelayMetric.values()) {
            assertTrue(names.add(metric.metricName()), "duplicate name " + metric.metricName());
            for (RelayMetric.Dimension dimension : metric.dimensions()) {
                assertTrue(!dimension.name().toLowerCase().contains("task"), metric + " has a task dimension");
            }
        }
        assertEquals(List.of("AppId"), RelayMetric.CREDITS_CHARGED.dimensions().stream()
                .map(RelayMetric.Dimension::name).toList());
    }

    @Test
    void refusesAValueOutsideAClosedDimension() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RelayMetric.SUBMITS.check(1, "maybe"));
        assertTrue(e.getMessage().contains("Submits") && e.getMessage().contains("maybe"), e.getMessage());
    }

    @Test
    void countsPossibleOrphansByTheWireNameOfEveryResourceKind() {
        assertEquals(List.of("Kind"), RelayMetric.POSSIBLE_ORPHANS.dimensions().stream()
                .map(RelayMetric.Dimension::name).toList());
        assertEquals(Arrays.stream(ResourceKind.values()).map(ResourceKind::wireName).collect(Collectors.toSet()),
                RelayMetric.POSSIBLE_ORPHANS.dimensions().getFirst().values());
        assertThrows(IllegalArgumentException.class, () -> RelayMetric.POSSIBLE_ORPHANS.check(1, "DOCUMENTS"));
    }

    @Test
    void refusesTheWrongNumberOfDimensionValues() {
        assertThrows(IllegalArgumentException.class, () -> RelayMetric.TASKS_FINISHED.check(1, "FAILED"));
        assertThrows(IllegalArgumentException.class, () -> RelayMetric.POLL_LAG.check(1, "extra"));
    }

    @Test
    void refusesAValueThatIsNotFinite() {
        assertThrows(IllegalArgumentException.class, () -> RelayMetric.POLL_LAG.check(Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> RelayMetric.ARCHIVE_THROUGHPUT.check(Double.POSITIVE_INFINITY));
    }

    @Test
    void keepsFailureCodesBounded_whenTheyAreMissingOrOddlyShaped() {
        assertEquals("none", RelayMetric.failureCode(null));
        assertEquals("SAFETY.INPUT.TEXT", RelayMetric.failureCode("SAFETY.INPUT.TEXT"));
        assertEquals("other", RelayMetric.failureCode("free text with spaces"));
        assertEquals("other", RelayMetric.failureCode("X".repeat(65)));
    }

    @Test
    void classifiesRunwayAnswersByStatus() {
        assertEquals(List.of("2xx", "4xx", "429", "5xx", "other"),
                Arrays.stream(new int[] {201, 404, 429, 503, 302}).mapToObj(RelayMetric.RunwayCall::ofStatus).toList());
    }
}
