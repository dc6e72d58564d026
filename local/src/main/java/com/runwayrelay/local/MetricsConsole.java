package com.runwayrelay.local;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Puts a {@link MetricsTap} on {@code System.out} for as long as the stack runs, so the functions'
 * EMF documents feed {@link LocalMetrics}, and shows the metrics' one-line summary every
 * {@code interval} as a verbose detail of the stack's log. {@link #close} stops the summaries and
 * gives {@code System.out} back, unless something else replaced it meanwhile.
 */
final class MetricsConsole implements AutoCloseable {
    private final PrintStream previous;
    private final PrintStream tapped;
    private final ScheduledExecutorService summaries;

    private MetricsConsole(PrintStream previous, PrintStream tapped, ScheduledExecutorService summaries) {
        this.previous = previous;
        this.tapped = tapped;
        this.summaries = summaries;
    }

    static MetricsConsole start(LocalMetrics metrics, StackLog log, Duration interval) {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(log, "log");
        PrintStream previous = System.out;
        PrintStream tapped = new PrintStream(new MetricsTap(previous, metrics), true, StandardCharsets.UTF_8);
        System.setOut(tapped);
        ScheduledExecutorService summaries = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "relay-metrics");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        summaries.scheduleAtFixedRate(() -> log.detail(metrics.summary()), millis, millis, TimeUnit.MILLISECONDS);
        return new MetricsConsole(previous, tapped, summaries);
    }

    @Override
    public void close() throws InterruptedException {
        summaries.shutdownNow();
        summaries.awaitTermination(5, TimeUnit.SECONDS);
        if (System.out == tapped) {
            System.setOut(previous);
        }
        tapped.flush();
    }
}
