package com.runwayrelay.bench.archiver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine's CPUs were between two readings of {@code /proc/stat} (Linux):
 * the work of every process (simulator, S3 endpoint, archiver), not just one.
 */
final class MachineCpu {
    private static final Path STAT = Path.of("/proc/stat");
    private final long busy;
    private final long total;

    private MachineCpu(long busy, long total) {
        this.busy = busy;
        this.total = total;
    }

    /** A reading now; busy and total are 0 where {@code /proc/stat} is missing. */
    static MachineCpu now() {
        try {
            String[] f = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long user = Long.parseLong(f[1]);
            long nice = Long.parseLong(f[2]);
            long system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]);
            long iowait = Long.parseLong(f[5]);
            long irq = Long.parseLong(f[6]);
            long softirq = Long.parseLong(f[7]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            long busy = user + nice + system + irq + softirq + steal;
            return new MachineCpu(busy, busy + idle + iowait);
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(0, 0);
        }
    }

    /** Average busy CPUs since {@code before} (0 to the CPU count), or -1 when unknown. */
    double busyCoresSince(MachineCpu before) {
        long dt = total - before.total;
        if (dt <= 0) {
            return -1;
        }
        return Runtime.getRuntime().availableProcessors() * (double) (busy - before.busy) / dt;
    }
}
