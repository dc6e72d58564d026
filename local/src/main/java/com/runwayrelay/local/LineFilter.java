package com.runwayrelay.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An output stream that passes whole lines to {@code target}, each only if {@link #keep} says so. A
 * line is buffered until its {@code '\n'}; a last line without one stays buffered (subclasses decide
 * what closing does with it).
 */
abstract class LineFilter extends OutputStream {
    protected final OutputStream target;
    protected final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineFilter(OutputStream target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    /** Whether this line (with its line break) goes on to the target. */
    abstract boolean keep(String line);

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            if (keep(line.toString(StandardCharsets.UTF_8))) {
                line.writeTo(target);
            }
            line.reset();
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
}
