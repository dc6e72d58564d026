package com.runwayrelay.local;

import com.runwayrelay.aws.metrics.EmfDocument;
import com.runwayrelay.aws.metrics.EmfMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The functions' metrics as the local stack sees them: the EMF documents they write to standard
 * output, added up per metric and dimension values (the {@code Service} dimension left out: one stack
 * is one service). Keeps two sets: everything since the stack started ({@link #totals()}, for an
 * overview), and the current window, which {@link #summary()} describes in one line and starts anew
 * (printed every minute with {@code --verbose}). Thread-safe.
 */
final class LocalMetrics {
    /** Values kept per series for percentiles; beyond it the oldest give way. */
    private static final int KEPT_VALUES = 10_000;

    private final Clock clock;
    private final Sink sink;
    private Map<Series, Stats> window = new LinkedHashMap<>();
    private final Map<Series, Stats> totals = new LinkedHashMap<>();
    private Instant windowStart;
    private long invalidDocuments;

    LocalMetrics(Clock clock) {
        this(clock, (namespace, metric, dimensions, timestamp, value) -> {
        });
    }

    /** As {@link #LocalMetrics(Clock)}, also handing every value to {@code sink} (the stack's CloudWatch stand-in). */
    LocalMetrics(Clock clock, Sink sink) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.windowStart = clock.instant();
    }

    /** Where each value goes as well, with its namespace, every dimension ({@code Service} too) and its document's time. */
    @FunctionalInterface
    interface Sink {
        void put(String namespace, String metric, Map<String, String> dimensions, Instant timestamp, double value);
    }

    /** A metric with its dimension values (without {@code Service}), e.g. {@code RunwayCalls{Outcome=2xx}}. */
    record Series(String metric, Map<String, String> dimensions) {
        Series {
            dimensions = Collections.unmodifiableMap(new TreeMap<>(dimensions));
        }

        /** The value of dimension {@code name}, or empty. */
        String dimension(String name) {
            return dimensions.getOrDefault(name, "");
        }
    }

    /** What the values of one series add up to. */
    static final class Stats {
        private long count;
        private double sum;
        private double max = Double.NEGATIVE_INFINITY;
        private final List<Double> kept = new ArrayList<>();

        void add(double value) {
            count++;
            sum += value;
            max = Math.max(max, value);
            if (kept.size() == KEPT_VALUES) {
                kept.removeFirst();
            }
            kept.add(value);
        }

        long count() {
            return count;
        }

        double sum() {
            return sum;
        }

        double max() {
            return count == 0 ? 0 : max;
        }

        /** The nearest-rank percentile {@code p} (0–100) of the kept values. */
        double percentile(double p) {
            if (kept.isEmpty()) {
                return 0;
            }
            List<Double> sorted = new ArrayList<>(kept);
            Collections.sort(sorted);
            int rank = (int) Math.ceil(p / 100 * sorted.size());
            return sorted.get(Math.max(0, rank - 1));
        }
    }

    /**
     * Adds the metrics of one output line; a line that is not an EMF document is ignored.
     *
     * @return whether the line was an EMF document (valid or not), i.e. metrics rather than a log line
     */
    synchronized boolean accept(String line) {
        try {
            var document = EmfDocument.parse(line);
            if (document.isEmpty()) {
                return false;
            }
            for (EmfDocument.Directive directive : document.get().directives()) {
                for (List<String> keys : directive.dimensions()) {
                    Map<String, String> all = new LinkedHashMap<>();
                    keys.forEach(k -> all.put(k, document.get().text(k).orElse("")));
                    Map<String, String> dimensions = new LinkedHashMap<>(all);
                    dimensions.remove(EmfMetrics.SERVICE_DIMENSION);
                    for (EmfDocument.MetricDefinition metric : directive.metrics()) {
                        Series series = new Series(metric.name(), dimensions);
                        for (double value : metric.values()) {
                            window.computeIfAbsent(series, s -> new Stats()).add(value);
                            totals.computeIfAbsent(series, s -> new Stats()).add(value);
                            sink.put(directive.namespace(), metric.name(), all, document.get().timestamp(), value);
                        }
                    }
                }
            }
            return true;
        } catch (EmfDocument.InvalidEmfException e) {
            invalidDocuments++;
            return true;
        }
    }

    /** Everything recorded since the stack started, per series. */
    synchronized Map<Series, Stats> totals() {
        return Map.copyOf(totals);
    }

    /** EMF documents that broke the specification (a bug in the adapter if ever above 0). */
    synchronized long invalidDocuments() {
        return invalidDocuments;
    }

    /**
     * One line describing the window that ends now, e.g. {@code metrics, last 60 s: submits 3 (accepted 2,
     * invalid 1) · Runway calls 4 (2xx 4), p95 120 ms · …}; the next window starts now.
     */
    synchronized String summary() {
        Instant now = clock.instant();
        long seconds = Duration.between(windowStart, now).toSeconds();
        Map<Series, Stats> ended = window;
        window = new LinkedHashMap<>();
        windowStart = now;
        List<String> parts = new ArrayList<>();
        count(ended, "Submits", "Outcome", "submits").ifPresent(parts::add);
        count(ended, "RunwayCalls", "Outcome", "Runway calls").ifPresent(runway -> parts.add(runway
                + percentileOf(ended, "RunwayLatency", 95).map(p -> String.format(Locale.ROOT, ", p95 %.0f ms", p)).orElse("")));
        count(ended, "TasksFinished", "State", "finished").ifPresent(parts::add);
        sum(ended, "CreditsReserved").ifPresent(c -> parts.add("credits reserved " + c));
        sum(ended, "CreditsCharged").ifPresent(c -> parts.add("charged " + c));
        count(ended, "WebhookDeliveries", "Outcome", "webhooks").ifPresent(parts::add);
        percentileOf(ended, "PollLag", 95).ifPresent(p -> parts.add(String.format(Locale.ROOT, "poll lag p95 %.1f s", p)));
        maxOf(ended, "StuckTasks").ifPresent(s -> parts.add("stuck " + Math.round(s)));
        sum(ended, "ArchiveBytes").ifPresent(bytes -> parts.add(String.format(Locale.ROOT, "archived %.1f MiB", bytes / 1048576.0)
                + percentileOf(ended, "CompletionToArchived", 95).map(p -> String.format(Locale.ROOT, ", p95 %.1f s to ARCHIVED", p))
                        .orElse("")));
        String what = parts.isEmpty() ? "nothing recorded" : String.join(" · ", parts);
        return "metrics, last " + seconds + " s: " + what;
    }

    private static Optional<String> count(Map<Series, Stats> stats, String metric, String dimension, String label) {
        Map<String, Double> byValue = new TreeMap<>();
        stats.forEach((series, s) -> {
            if (series.metric().equals(metric)) {
                byValue.merge(series.dimension(dimension), s.sum(), Double::sum);
            }
        });
        if (byValue.isEmpty()) {
            return Optional.empty();
        }
        long total = Math.round(byValue.values().stream().mapToDouble(Double::doubleValue).sum());
        return Optional.of(label + " " + total + " (" + byValue.entrySet().stream()
                .map(e -> e.getKey() + " " + Math.round(e.getValue())).collect(Collectors.joining(", ")) + ")");
    }

    private static Optional<Long> sum(Map<Series, Stats> stats, String metric) {
        List<Stats> of = of(stats, metric);
        return of.isEmpty() ? Optional.empty()
                : Optional.of(Math.round(of.stream().mapToDouble(Stats::sum).sum()));
    }

    private static Optional<Double> maxOf(Map<Series, Stats> stats, String metric) {
        return of(stats, metric).stream().map(Stats::max).max(Double::compare);
    }

    private static Optional<Double> percentileOf(Map<Series, Stats> stats, String metric, double p) {
        List<Stats> of = of(stats, metric);
        if (of.isEmpty()) {
            return Optional.empty();
        }
        Stats merged = new Stats();
        of.forEach(s -> s.kept.forEach(merged::add));
        return Optional.of(merged.percentile(p));
    }

    private static List<Stats> of(Map<Series, Stats> stats, String metric) {
        return stats.entrySet().stream().filter(e -> e.getKey().metric().equals(metric)).map(Map.Entry::getValue).toList();
    }
}
