package com.runwayrelay.bench.archiver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * This process's CPU time spent in the kernel ({@code stime} of {@code /proc/self/stat}, Linux): the
 * part of its CPU time that socket reads and writes cost, which a Java profiler does not sample.
 */
final class ProcessCpu {
    /** The kernel's clock ticks per second for {@code /proc} times ({@code USER_HZ}; 100 on Linux). */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** Kernel CPU time so far in milliseconds, or -1 where {@code /proc/self/stat} is missing. */
    static long systemMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // f[0] is field 3 (state): utime is field 14, stime field 15.
            return Long.parseLong(f[12]) * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * With {@code -Dbench.marks=<file>}, appends {@code <pid> <label> <start> <end>} to it, the
     * times being {@link System#nanoTime()} values in seconds (CLOCK_MONOTONIC on Linux, the clock
     * {@code perf record -k CLOCK_MONOTONIC} stamps samples with), so a profile can be cut to the
     * measured interval. Does nothing without the property.
     */
    static void mark(String label, long startNanos, long endNanos) {
        String file = System.getProperty("bench.marks");
        if (file == null) {
            return;
        }
        String line = String.format(java.util.Locale.ROOT, "%d %s %.6f %.6f%n", ProcessHandle.current().pid(), label,
                startNanos / 1e9, endNanos / 1e9);
        try {
            Files.writeString(Path.of(file), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
