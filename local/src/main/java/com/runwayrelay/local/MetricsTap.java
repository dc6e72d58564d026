package com.runwayrelay.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Standard output of the local stack's JVM, line by line: EMF documents the functions write are
 * handed to {@link LocalMetrics} and kept off the console (the summary shows them); every other line
 * passes through unchanged.
 */
final class MetricsTap extends OutputStream {
    private final OutputStream target;
    private final LocalMetrics metrics;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    MetricsTap(OutputStream target, LocalMetrics metrics) {
        this.target = Objects.requireNonNull(target, "target");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        target.flush();
    }

    private void flushLine() throws IOException {
        if (!metrics.accept(line.toString(StandardCharsets.UTF_8).strip())) {
            line.writeTo(target);
        }
        line.reset();
    }
}
