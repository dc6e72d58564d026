package com.runwayrelay.local;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Drops the poller's summary lines for runs that found nothing to do, and passes everything else through
 * unchanged, line by line. Locally the poller runs every couple of seconds instead of every minute, so
 * without this an idle stack would print a line every two seconds; {@code --verbose} keeps them.
 */
final class IdlePollerRunFilter extends LineFilter {

    IdlePollerRunFilter(OutputStream target) {
        super(target);
    }

    /** Whether a line is the summary of a poller run that claimed no task. */
    static boolean isIdleRun(String line) {
        return line.startsWith("{\"event\":\"poller.run\"") && line.contains("\"claimed\":0,");
    }

    @Override
    boolean keep(String line) {
        return !isIdleRun(line);
    }

    @Override
    public synchronized void close() throws IOException {
        if (line.size() > 0) {
            line.writeTo(target);
            line.reset();
        }
        target.close();
    }
}
