package com.runwayrelay.aws.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.runwayrelay.aws.config.Env;
import com.runwayrelay.aws.config.MetricsSettings;
import com.runwayrelay.domain.metrics.MetricUnit;
import com.runwayrelay.domain.metrics.Metrics;
import com.runwayrelay.domain.metrics.RelayMetric;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.StorageResolution;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

/**
 * Records metrics as CloudWatch embedded metric format documents, one JSON line each, written with
 * the {@code aws-embedded-metrics} library. Measurements are kept until {@link #flush()} (one
 * document per distinct set of dimension values, a metric's repeated values as one array; the
 * library splits documents over its limits of 100 metrics and 100 values), so an invocation that
 * polls a thousand tasks writes a handful of lines, not a thousand. Every document's dimensions
 * start with {@code Service}; no default dimension of the library (log group, function name) is
 * added, so an alarm can name a metric by exactly the dimensions {@link RelayMetric} lists.
 *
 * <p>Thread-safe. A failure to record or write is logged and dropped: it never fails the work.
 */
public final class EmfMetrics implements Metrics {
    private static final System.Logger LOG = System.getLogger(EmfMetrics.class.getName());
    public static final String SERVICE_DIMENSION = "Service";

    private final MetricsSettings settings;
    private final Clock clock;
    private final Environment output;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private Map<List<String>, MetricsLogger> pending = new ConcurrentHashMap<>();

    /**
     * @param lines where each document goes, one line per call ({@code System.out::println} in Lambda,
     *              where the log agent turns them into metrics)
     */
    public EmfMetrics(MetricsSettings settings, Clock clock, Consumer<String> lines) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.output = new LineOutput(Objects.requireNonNull(lines, "lines"));
    }

    /**
     * Metrics to standard output with the settings in {@code env}.
     *
     * @throws com.runwayrelay.aws.config.ConfigurationException naming a bad variable
     */
    public static EmfMetrics fromEnvironment(Map<String, String> env) {
        Env vars = new Env(env);
        MetricsSettings settings = MetricsSettings.from(vars);
        vars.check();
        // The standard output of the moment, not the one at init: the local stack taps it after functions load.
        return new EmfMetrics(settings, Clock.systemUTC(), line -> System.out.println(line));
    }

    @Override
    public void record(RelayMetric metric, double value, String... dimensionValues) {
        try {
            metric.check(value, dimensionValues);
            List<String> key = new ArrayList<>(dimensionValues.length + 1);
            for (int i = 0; i < dimensionValues.length; i++) {
                key.add(metric.dimensions().get(i).name());
                key.add(dimensionValues[i]);
            }
            lock.readLock().lock();
            try {
                pending.computeIfAbsent(List.copyOf(key), this::newLogger)
                        .putMetric(metric.metricName(), value, unit(metric.unit()), StorageResolution.STANDARD);
            } finally {
                lock.readLock().unlock();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metric " + metric.metricName() + " not recorded: " + e.getMessage());
        }
    }

    /** Writes every measurement kept so far, one document per set of dimension values, and forgets them. */
    public void flush() {
        Map<List<String>, MetricsLogger> due;
        lock.writeLock().lock();
        try {
            due = pending;
            pending = new ConcurrentHashMap<>();
        } finally {
            lock.writeLock().unlock();
        }
        for (MetricsLogger logger : due.values()) {
            try {
                logger.setTimestamp(clock.instant());
                logger.flush();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "metrics not written: " + e.getMessage());
            }
        }
    }

    /** {@code function}, flushing these metrics after every call, whether it returned or threw. */
    public <I, O> Function<I, O> flushingAfter(Function<I, O> function) {
        Objects.requireNonNull(function, "function");
        return input -> {
            try {
                return function.apply(input);
            } finally {
                flush();
            }
        };
    }

    /** As {@link #flushingAfter(Function)}, for two arguments (event and context). */
    public <I, C, O> BiFunction<I, C, O> flushingAfter(BiFunction<I, C, O> function) {
        Objects.requireNonNull(function, "function");
        return (input, context) -> {
            try {
                return function.apply(input, context);
            } finally {
                flush();
            }
        };
    }

    private MetricsLogger newLogger(List<String> key) {
        MetricsLogger logger = new MetricsLogger(output);
        logger.setNamespace(settings.namespace());
        DimensionSet dimensions = DimensionSet.of(SERVICE_DIMENSION, settings.service());
        for (int i = 0; i < key.size(); i += 2) {
            dimensions.addDimension(key.get(i), key.get(i + 1));
        }
        // Replaces the library's default dimensions (log group, service name and type) for good.
        logger.setDimensions(dimensions);
        return logger;
    }

    static Unit unit(MetricUnit unit) {
        return switch (unit) {
            case COUNT -> Unit.COUNT;
            case MILLISECONDS -> Unit.MILLISECONDS;
            case SECONDS -> Unit.SECONDS;
            case BYTES -> Unit.BYTES;
            case MEGABYTES_PER_SECOND -> Unit.MEGABYTES_SECOND;
        };
    }

    /** The library's view of where documents go: our line consumer, and nothing probed from the machine. */
    private static final class LineOutput implements Environment, ISink {
        private final Consumer<String> lines;

        LineOutput(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public boolean probe() {
            return true;
        }

        @Override
        public String getName() {
            return "runway-relay";
        }

        @Override
        public String getType() {
            return "AWS::Lambda::Function";
        }

        @Override
        public String getLogGroupName() {
            return "";
        }

        @Override
        public void configureContext(MetricsContext context) {
            // No properties from the machine: documents hold only what the gateway recorded.
        }

        @Override
        public ISink getSink() {
            return this;
        }

        @Override
        public void accept(MetricsContext context) {
            try {
                for (String document : context.serialize()) {
                    lines.accept(document);
                }
            } catch (JsonProcessingException e) {
                LOG.log(Level.WARNING, "metrics not serialised: " + e.getMessage());
            }
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> shutdown() {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }
}
