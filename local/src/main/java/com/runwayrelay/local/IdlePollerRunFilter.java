package com.runwayrelay.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Drops the poller's summary lines for runs that found nothing to do, and passes everything else through
 * unchanged, line by line. Locally the poller runs every couple of seconds instead of every minute, so
 * without this an idle stack would print a line every two seconds; {@code --verbose} keeps them.
 */
final class IdlePollerRunFilter extends OutputStream {
    private final OutputStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    IdlePollerRunFilter(OutputStream target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    /** Whether a line is the summary of a poller run that claimed no task. */
    static boolean isIdleRun(String line) {
        return line.startsWith("{\"event\":\"poller.run\"") && line.contains("\"claimed\":0,");
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

    @Override
    public synchronized void close() throws IOException {
        if (line.size() > 0) {
            line.writeTo(target);
            line.reset();
        }
        target.close();
    }

    private void flushLine() throws IOException {
        if (!isIdleRun(line.toString(StandardCharsets.UTF_8))) {
            line.writeTo(target);
        }
        line.reset();
    }
}
