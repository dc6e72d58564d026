package com.runwayrelay.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;

/** One stretch of an {@link OutputContent}: fixed bytes, or bytes generated from a seed as they are written. */
sealed interface ContentPart {

    int BLOCK = 64 * 1024;

    long length();

    void writeTo(OutputStream out) throws IOException;

    /** Bytes known up front (headers, a small encoded image). */
    record Fixed(byte[] data) implements ContentPart {
        @Override
        public long length() {
            return data.length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(data);
        }
    }

    /** The same bytes {@code count} times (the frames of a generated video). */
    record Repeated(byte[] data, long count) implements ContentPart {
        @Override
        public long length() {
            return data.length * count;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            for (long i = 0; i < count; i++) {
                out.write(data);
            }
        }
    }

    /** Pseudo-random bytes from a seed (SplitMix64), identical on every write. */
    record Noise(long length, long seed) implements ContentPart {
        @Override
        public void writeTo(OutputStream out) throws IOException {
            writeNoise(out, length, seed, null);
        }
    }

    /**
     * Private ancillary PNG chunks ({@code rrDt}) adding exactly {@code length} bytes, valid CRCs
     * included. {@code length} is 0 or at least 12 (a chunk's framing).
     */
    record PngPadding(long length, long seed) implements ContentPart {
        static final int OVERHEAD = 12;
        private static final long MAX_DATA = 1L << 30;
        private static final byte[] TYPE = {'r', 'r', 'D', 't'};

        public PngPadding {
            if (length != 0 && length < OVERHEAD) {
                throw new IllegalArgumentException("PNG padding must be 0 or at least 12 bytes, was " + length);
            }
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            long remaining = length;
            long chunkSeed = seed;
            while (remaining > 0) {
                long data = splitData(remaining, OVERHEAD, MAX_DATA);
                writeInt(out, (int) data);
                out.write(TYPE);
                CRC32 crc = new CRC32();
                crc.update(TYPE);
                writeNoise(out, data, chunkSeed++, crc);
                writeInt(out, (int) crc.getValue());
                remaining -= data + OVERHEAD;
            }
        }
    }

    /** JPEG APP15 segments adding exactly {@code length} bytes; {@code length} is 0 or at least 4. */
    record JpegPadding(long length, long seed) implements ContentPart {
        static final int OVERHEAD = 4;
        private static final long MAX_DATA = 65533;

        public JpegPadding {
            if (length != 0 && length < OVERHEAD) {
                throw new IllegalArgumentException("JPEG padding must be 0 or at least 4 bytes, was " + length);
            }
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            long remaining = length;
            long segmentSeed = seed;
            while (remaining > 0) {
                long data = splitData(remaining, OVERHEAD, MAX_DATA);
                out.write(0xFF);
                out.write(0xEF);
                out.write((int) ((data + 2) >>> 8));
                out.write((int) ((data + 2) & 0xFF));
                writeNoise(out, data, segmentSeed++, null);
                remaining -= data + OVERHEAD;
            }
        }
    }

    /** 16-bit little-endian mono PCM of a steady tone at {@code sampleRate / 40} Hz; {@code length} is even. */
    record Tone(long length, int sampleRate) implements ContentPart {
        private static final int PERIOD = 40;

        public Tone {
            if (length % 2 != 0) {
                throw new IllegalArgumentException("16-bit PCM needs an even byte count, was " + length);
            }
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            byte[] period = new byte[PERIOD * 2];
            for (int i = 0; i < PERIOD; i++) {
                short sample = (short) Math.round(Math.sin(2 * Math.PI * i / PERIOD) * 8000);
                period[2 * i] = (byte) sample;
                period[2 * i + 1] = (byte) (sample >> 8);
            }
            byte[] block = new byte[period.length * (BLOCK / period.length)];
            for (int off = 0; off < block.length; off += period.length) {
                System.arraycopy(period, 0, block, off, period.length);
            }
            long remaining = length;
            while (remaining > 0) {
                int n = (int) Math.min(block.length, remaining);
                out.write(block, 0, n);
                remaining -= n;
            }
        }
    }

    /** Payload size of the next chunk so that what is left is either nothing or a whole chunk. */
    private static long splitData(long remaining, int overhead, long maxData) {
        if (remaining <= maxData + overhead) {
            return remaining - overhead;
        }
        long data = maxData;
        if (remaining - (data + overhead) < overhead) {
            data -= overhead;
        }
        return data;
    }

    private static void writeInt(OutputStream out, int v) throws IOException {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeNoise(OutputStream out, long length, long seed, CRC32 crc) throws IOException {
        byte[] block = new byte[(int) Math.min(BLOCK, Math.max(8, length))];
        long state = seed;
        long remaining = length;
        while (remaining > 0) {
            int n = (int) Math.min(block.length, remaining);
            for (int i = 0; i < n; i += 8) {
                state += 0x9E3779B97F4A7C15L;
                long z = state;
                z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                z ^= z >>> 31;
                for (int b = 0; b < 8 && i + b < n; b++) {
                    block[i + b] = (byte) (z >>> (8 * b));
                }
            }
            if (crc != null) {
                crc.update(block, 0, n);
            }
            out.write(block, 0, n);
            remaining -= n;
        }
    }
}
