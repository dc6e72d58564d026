package com.runwayrelay.bench.archiver;

import java.security.MessageDigest;
import java.util.Random;

/**
 * How fast this JVM hashes with SHA-256 on one core: the floor of the archiver's per-byte cost,
 * since every archived byte is hashed. Hashes {@code GiB} (argument, default 2) of random data
 * from a 1 MiB buffer, three times, and prints the rate of each round.
 */
public final class Sha256Rate {
    private static final int BUFFER = 1 << 20;

    private Sha256Rate() {
    }

    public static void main(String[] args) throws Exception {
        int gib = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        byte[] buffer = new byte[BUFFER];
        new Random(1).nextBytes(buffer);
        long buffers = (long) gib * 1024;
        for (int round = 1; round <= 3; round++) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long started = System.nanoTime();
            for (long i = 0; i < buffers; i++) {
                digest.update(buffer);
            }
            digest.digest();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("round %d: SHA-256 of %d GiB in %.2f s = %.0f MiB/s%n", round, gib, seconds,
                    buffers / seconds);
        }
    }
}
