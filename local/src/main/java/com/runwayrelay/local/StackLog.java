package com.runwayrelay.local;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The local stack's console output: one line per event, time-stamped. Callers pass only what is safe
 * to show: route keys, status codes, ids and timings, never headers, bodies or keys.
 */
final class StackLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    /** How much is shown. */
    enum Level {
        /** Warnings only (a stack started for {@code ./relay demo}). */
        QUIET,
        /** Requests served and warnings. */
        NORMAL,
        /** Also poller runs and stream batches delivered. */
        VERBOSE
    }

    private final PrintStream out;
    private final Level level;

    StackLog(PrintStream out, Level level) {
        this.out = Objects.requireNonNull(out, "out");
        this.level = Objects.requireNonNull(level, "level");
    }

    /** Shown unless quiet. */
    void info(String message) {
        if (level != Level.QUIET) {
            line(" ", message);
        }
    }

    /** Always shown, marked as a warning. */
    void warn(String message) {
        line("!", message);
    }

    /** Shown with {@code --verbose} only (poller runs, stream batches that succeeded). */
    void detail(String message) {
        if (level == Level.VERBOSE) {
            line(" ", message);
        }
    }

    /** The stream it writes to, for multi-line blocks such as the start banner. */
    PrintStream out() {
        return out;
    }

    private void line(String marker, String message) {
        out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS).format(TIME) + " " + marker + " " + message);
        out.flush();
    }
}
