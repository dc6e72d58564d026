package com.runwayrelay.aws.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.AwsClients;
import com.runwayrelay.aws.config.AwsSettings;
import com.runwayrelay.aws.config.MetricsSettings;
import com.runwayrelay.domain.metrics.MetricsReader;
import com.runwayrelay.domain.metrics.MetricsReader.Point;
import com.runwayrelay.domain.metrics.MetricsReader.SeriesData;
import com.runwayrelay.domain.metrics.MetricsReader.SeriesId;
import com.runwayrelay.domain.metrics.MetricsReader.SeriesRequest;
import com.runwayrelay.domain.metrics.MetricsReader.Statistic;
import com.runwayrelay.testkit.aws.CloudWatchEmulator;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CloudWatch adapter against a loopback CloudWatch speaking the SDK's own protocol (Smithy RPC v2 CBOR). */
class CloudWatchMetricsReaderTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final MetricsSettings SETTINGS = new MetricsSettings("RunwayRelay", "relay-a");

    private final CloudWatchEmulator cloudWatch = CloudWatchEmulator.start(2);

    @AfterEach
    void stop() {
        cloudWatch.close();
    }

    private static MetricsReader reader(URI endpoint) {
        AwsClients clients = new AwsClients(AwsSettings.from(Map.of("AWS_REGION", "eu-west-1",
                "AWS_ENDPOINT_URL_CLOUDWATCH", endpoint.toString(), "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test")));
        return new CloudWatchMetricsReader(clients.cloudWatch(), SETTINGS);
    }

    private void put(String namespace, String service, String metric, Map<String, String> dimensions, Instant at,
                     double value) {
        Map<String, String> all = new java.util.HashMap<>(dimensions);
        all.put("Service", service);
        cloudWatch.put(namespace, metric, all, at, value);
    }

    @Test
    void listsTheSeriesOfThisServiceOnly_withoutItsServiceDimension_followingEveryPage() {
        put("RunwayRelay", "relay-a", "Submits", Map.of("Outcome", "accepted"), T0, 1);
        put("RunwayRelay", "relay-a", "Submits", Map.of("Outcome", "invalid"), T0, 1);
        put("RunwayRelay", "relay-a", "PollLag", Map.of(), T0, 2);
        put("RunwayRelay", "relay-b", "Submits", Map.of("Outcome", "accepted"), T0, 1);
        put("Elsewhere", "relay-a", "Submits", Map.of("Outcome", "replayed"), T0, 1);

        List<SeriesId> series = reader(cloudWatch.endpoint()).series();

        assertEquals(Set.of(new SeriesId("Submits", Map.of("Outcome", "accepted")),
                new SeriesId("Submits", Map.of("Outcome", "invalid")), new SeriesId("PollLag", Map.of())), Set.copyOf(series));
        assertEquals(3, series.size());
        assertEquals(List.of("ListMetrics", "ListMetrics"), cloudWatch.operations(), "pages of 2");
    }

    @Test
    void readsEachStatisticPerPeriod_oldestFirst_leavingOutPeriodsWithoutData() {
        SeriesId create = new SeriesId("RunwayLatency", Map.of("Operation", "create"));
        for (int v = 1; v <= 20; v++) {
            put("RunwayRelay", "relay-a", "RunwayLatency", Map.of("Operation", "create"), T0.plusSeconds(v), v * 10);
        }
        put("RunwayRelay", "relay-a", "RunwayLatency", Map.of("Operation", "create"), T0.plus(Duration.ofHours(2)), 7);
        put("RunwayRelay", "relay-b", "RunwayLatency", Map.of("Operation", "create"), T0.plusSeconds(5), 1000);
        put("RunwayRelay", "relay-a", "RunwayLatency", Map.of("Operation", "create"), T0.minusSeconds(1), 5000);

        List<SeriesData> data = reader(cloudWatch.endpoint()).read(List.of(new SeriesRequest(create,
                Set.of(Statistic.values()))), T0, T0.plus(Duration.ofHours(3)), Duration.ofHours(1));

        assertEquals(1, data.size());
        assertEquals(create, data.getFirst().id());
        List<Point> points = data.getFirst().points();
        assertEquals(List.of(T0, T0.plus(Duration.ofHours(2))), points.stream().map(Point::start).toList());
        assertEquals(Map.of(Statistic.SUM, 2100.0, Statistic.SAMPLE_COUNT, 20.0, Statistic.MAXIMUM, 200.0,
                Statistic.P50, 100.0, Statistic.P95, 190.0), points.get(0).values());
        assertEquals(Map.of(Statistic.SUM, 7.0, Statistic.SAMPLE_COUNT, 1.0, Statistic.MAXIMUM, 7.0,
                Statistic.P50, 7.0, Statistic.P95, 7.0), points.get(1).values());
    }

    @Test
    void splitsTheQueriesIntoCallsOfAtMostFiveHundred_andKeepsEachSeriesApart() {
        List<SeriesRequest> requests = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String app = "app_" + i;
            put("RunwayRelay", "relay-a", "CreditsReserved", Map.of("AppId", app), T0.plusSeconds(i), i);
            requests.add(new SeriesRequest(new SeriesId("CreditsReserved", Map.of("AppId", app)),
                    Set.of(Statistic.SUM, Statistic.SAMPLE_COUNT)));
        }

        List<SeriesData> data = reader(cloudWatch.endpoint()).read(requests, T0, T0.plus(Duration.ofHours(1)),
                Duration.ofMinutes(60));

        assertEquals(List.of("GetMetricData", "GetMetricData"), cloudWatch.operations(), "600 queries in 500 + 100");
        for (int i = 0; i < 300; i++) {
            assertEquals(Map.of(Statistic.SUM, (double) i, Statistic.SAMPLE_COUNT, 1.0),
                    data.get(i).points().getFirst().values(), "series " + i);
        }
    }

    @Test
    void failsAsUnavailable_namingTheAction_whenCloudWatchCannotBeReached() {
        URI closed = cloudWatch.endpoint();
        cloudWatch.close();

        MetricsReader.Unavailable e = assertThrows(MetricsReader.Unavailable.class, () -> reader(closed).series());

        assertTrue(e.getMessage().startsWith("CloudWatch ListMetrics failed ("), e.getMessage());
    }

    @Test
    void failsAsUnavailable_withCloudWatchsErrorCode_whenARequestIsRefused() {
        SeriesId lag = new SeriesId("PollLag", Map.of());

        MetricsReader.Unavailable e = assertThrows(MetricsReader.Unavailable.class, () -> reader(cloudWatch.endpoint())
                .read(List.of(new SeriesRequest(lag, Set.of(Statistic.SUM))), T0, T0, Duration.ofHours(1)));

        assertTrue(e.getMessage().startsWith("CloudWatch GetMetricData failed (ValidationError: "), e.getMessage());
    }
}
