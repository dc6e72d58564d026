package com.runwayrelay.bench.archiver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The least an archive can cost, measured in a process like the archiver's: download the link,
 * hash every byte with SHA-256, and send them on to a PUT URL of the same S3 endpoint, in one
 * thread, 1 MiB at a time, with no S3 protocol (one PUT, no parts, no checksum headers, no
 * records, no retries) and no SDK. Run twice, it prints
 * {@code RELAY millis=<transfer> cpuMillis=<process CPU> busyCores=<machine> bytes=<n> sha256=<hex> sysMillis=<kernel part>}
 * for the second run (the first warms the JVM).
 *
 * <p>Arguments: the output link, the PUT URL, the expected length.
 */
public final class RelayOnce {
    private RelayOnce() {
    }

    public static void main(String[] args) throws Exception {
        URI link = URI.create(args[0]);
        URI put = URI.create(args[1]);
        long length = Long.parseLong(args[2]);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        relay(link, put, length);
        MachineCpu before = MachineCpu.now();
        long cpuBefore = os.getProcessCpuTime();
        long sysBefore = ProcessCpu.systemMillis();
        long start = System.nanoTime();
        String sha256 = relay(link, put, length);
        long end = System.nanoTime();
        long millis = (end - start) / 1_000_000;
        long cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1_000_000;
        long sysMillis = ProcessCpu.systemMillis() - sysBefore;
        // After the CPU readings, so writing the mark is not counted in them.
        ProcessCpu.mark("relay", start, end);
        System.out.printf(java.util.Locale.ROOT, "RELAY millis=%d cpuMillis=%d busyCores=%.2f bytes=%d sha256=%s sysMillis=%d%n",
                millis, cpuMillis, MachineCpu.now().busyCoresSince(before), length, sha256, sysMillis);
    }

    private static String relay(URI link, URI put, long length) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        HttpURLConnection get = (HttpURLConnection) link.toURL().openConnection(Proxy.NO_PROXY);
        HttpURLConnection out = (HttpURLConnection) put.toURL().openConnection(Proxy.NO_PROXY);
        out.setRequestMethod("PUT");
        out.setDoOutput(true);
        out.setFixedLengthStreamingMode(length);
        long copied = 0;
        try (InputStream in = get.getInputStream(); OutputStream sink = out.getOutputStream()) {
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) != -1) {
                digest.update(buffer, 0, n);
                sink.write(buffer, 0, n);
                copied += n;
            }
        }
        int status = out.getResponseCode();
        out.getInputStream().close();
        if (status / 100 != 2 || copied != length) {
            throw new IOException("relay failed: HTTP " + status + ", " + copied + " of " + length + " bytes");
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
