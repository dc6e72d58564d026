package com.runwayrelay.aws.metrics;

import com.runwayrelay.aws.config.MetricsSettings;
import com.runwayrelay.domain.metrics.MetricsReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.ListMetricsRequest;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * {@link MetricsReader} on CloudWatch: {@code ListMetrics} in the deployment's namespace filtered on
 * its {@code Service} dimension, and {@code GetMetricData} with one {@code MetricStat} query per
 * series and statistic, {@value #MAX_QUERIES} queries a call (CloudWatch's limit), every page
 * followed. Neither action can be scoped to a resource in IAM; the admin function is allowed both on
 * {@code *}. Any SDK failure becomes {@link MetricsReader.Unavailable} naming CloudWatch's error code.
 */
public final class CloudWatchMetricsReader implements MetricsReader {
    /** CloudWatch's limit on the queries of one {@code GetMetricData} call. */
    static final int MAX_QUERIES = 500;

    private final CloudWatchClient cloudWatch;
    private final MetricsSettings settings;

    public CloudWatchMetricsReader(CloudWatchClient cloudWatch, MetricsSettings settings) {
        this.cloudWatch = Objects.requireNonNull(cloudWatch, "cloudWatch");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public List<SeriesId> series() {
        ListMetricsRequest request = ListMetricsRequest.builder()
                .namespace(settings.namespace())
                .dimensions(DimensionFilter.builder().name(EmfMetrics.SERVICE_DIMENSION).value(settings.service()).build())
                .build();
        try {
            List<SeriesId> series = new ArrayList<>();
            for (Metric metric : cloudWatch.listMetricsPaginator(request).metrics()) {
                Map<String, String> dimensions = new TreeMap<>();
                metric.dimensions().stream()
                        .filter(dimension -> !dimension.name().equals(EmfMetrics.SERVICE_DIMENSION))
                        .forEach(dimension -> dimensions.put(dimension.name(), dimension.value()));
                series.add(new SeriesId(metric.metricName(), dimensions));
            }
            return series;
        } catch (SdkException e) {
            throw unavailable("ListMetrics", e);
        }
    }

    @Override
    public List<SeriesData> read(List<SeriesRequest> requests, Instant start, Instant end, Duration period) {
        if (period.toSeconds() < 60 || period.toSeconds() % 60 != 0 || period.toNanosPart() != 0) {
            throw new IllegalArgumentException("period must be a whole number of minutes, got " + period);
        }
        // One query per series and statistic; the id tells them apart again ("s<series>_<statistic>").
        List<MetricDataQuery> queries = new ArrayList<>();
        Map<String, Query> byId = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            SeriesRequest request = requests.get(i);
            for (Statistic statistic : request.statistics()) {
                String id = "s" + i + "_" + statistic.name().toLowerCase(java.util.Locale.ROOT);
                byId.put(id, new Query(i, statistic));
                queries.add(query(id, request.id(), statistic, period));
            }
        }
        List<Map<Instant, Map<Statistic, Double>>> points = new ArrayList<>();
        requests.forEach(request -> points.add(new TreeMap<>()));
        try {
            for (int from = 0; from < queries.size(); from += MAX_QUERIES) {
                GetMetricDataRequest call = GetMetricDataRequest.builder()
                        .startTime(start)
                        .endTime(end)
                        .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                        .metricDataQueries(queries.subList(from, Math.min(queries.size(), from + MAX_QUERIES)))
                        .build();
                for (MetricDataResult result : cloudWatch.getMetricDataPaginator(call).metricDataResults()) {
                    Query query = byId.get(result.id());
                    if (query == null) {
                        continue;
                    }
                    for (int k = 0; k < Math.min(result.timestamps().size(), result.values().size()); k++) {
                        points.get(query.series())
                                .computeIfAbsent(result.timestamps().get(k), t -> new EnumMap<>(Statistic.class))
                                .put(query.statistic(), result.values().get(k));
                    }
                }
            }
        } catch (SdkException e) {
            throw unavailable("GetMetricData", e);
        }
        List<SeriesData> data = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            List<Point> series = new ArrayList<>();
            points.get(i).forEach((at, values) -> series.add(new Point(at, values)));
            data.add(new SeriesData(requests.get(i).id(), series));
        }
        return data;
    }

    private record Query(int series, Statistic statistic) {
    }

    private MetricDataQuery query(String id, SeriesId series, Statistic statistic, Duration period) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put(EmfMetrics.SERVICE_DIMENSION, settings.service());
        dimensions.putAll(series.dimensions());
        Metric metric = Metric.builder()
                .namespace(settings.namespace())
                .metricName(series.metric())
                .dimensions(dimensions.entrySet().stream()
                        .map(d -> Dimension.builder().name(d.getKey()).value(d.getValue()).build()).toList())
                .build();
        return MetricDataQuery.builder()
                .id(id)
                .returnData(true)
                .metricStat(stat -> stat.metric(metric).period((int) period.toSeconds()).stat(statistic(statistic)))
                .build();
    }

    /** CloudWatch's name of a statistic. */
    static String statistic(Statistic statistic) {
        return switch (statistic) {
            case SUM -> "Sum";
            case SAMPLE_COUNT -> "SampleCount";
            case MAXIMUM -> "Maximum";
            case P50 -> "p50";
            case P95 -> "p95";
        };
    }

    private static Unavailable unavailable(String action, SdkException e) {
        String detail = e instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new Unavailable("CloudWatch " + action + " failed (" + detail + ")", e);
    }
}
