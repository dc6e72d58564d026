package com.runwayrelay.bench.archiver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
