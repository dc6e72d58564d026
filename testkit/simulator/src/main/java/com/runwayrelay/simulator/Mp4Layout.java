package com.runwayrelay.simulator;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * ISO-BMFF (MP4) files holding one Motion-JPEG video track: {@code ftyp}, a {@code moov} with
 * {@code mvhd} and one {@code trak}, then {@code mdat} with every frame in one chunk. Extra payload for
 * a requested file size goes after the frames inside {@code mdat}, where players never look.
 */
final class Mp4Layout {
    private static final int MJPEG_OBJECT_TYPE = 0x6C;
    private static final int[] IDENTITY = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};

    private Mp4Layout() {
    }

    static OutputContent motionJpeg(int width, int height, int fps, int frames, byte[] frame, long targetBytes, long seed) {
        byte[] ftyp = ftyp();
        byte[] moovProbe = moov(width, height, fps, frames, frame.length, 0);
        long head = ftyp.length + moovProbe.length;
        long framesBytes = (long) frame.length * frames;
        long natural = head + 8 + framesBytes;
        long total = Math.max(natural, targetBytes);
        boolean large = total - head > 0xFFFFFFFFL;
        if (large) {
            total = Math.max(total, head + 16 + framesBytes);
        }
        int mdatHeader = large ? 16 : 8;
        long padding = total - head - mdatHeader - framesBytes;
        byte[] moov = moov(width, height, fps, frames, frame.length, head + mdatHeader);
        return new OutputContent("video/mp4", "mp4", List.of(
                new ContentPart.Fixed(ftyp),
                new ContentPart.Fixed(moov),
                new ContentPart.Fixed(mdatHeader(total - head, large)),
                new ContentPart.Repeated(frame, frames),
                new ContentPart.Noise(padding, seed)));
    }

    private static byte[] mdatHeader(long boxSize, boolean large) {
        Boxes b = new Boxes();
        if (large) {
            b.u32(1).fourcc("mdat").u64(boxSize);
        } else {
            b.u32((int) boxSize).fourcc("mdat");
        }
        return b.bytes();
    }

    private static byte[] ftyp() {
        Boxes b = new Boxes();
        b.open("ftyp").fourcc("isom").u32(0x200).fourcc("isom").fourcc("iso2").fourcc("mp41").close();
        return b.bytes();
    }

    private static byte[] moov(int width, int height, int fps, int frames, int frameSize, long chunkOffset) {
        long durationMs = Math.round(frames * 1000.0 / fps);
        Boxes b = new Boxes();
        b.open("moov");

        b.full("mvhd", 0, 0).u32(0).u32(0).u32(1000).u32((int) durationMs)
                .u32(0x00010000).u16(0x0100).zeros(10).matrix().zeros(24).u32(2).close();

        b.open("trak");
        b.full("tkhd", 0, 3).u32(0).u32(0).u32(1).zeros(4).u32((int) durationMs).zeros(8)
                .u16(0).u16(0).u16(0).u16(0).matrix().u32(width << 16).u32(height << 16).close();

        b.open("mdia");
        b.full("mdhd", 0, 0).u32(0).u32(0).u32(fps).u32(frames).u16(0x55C4).u16(0).close();
        b.full("hdlr", 0, 0).u32(0).fourcc("vide").zeros(12).cstring("VideoHandler").close();

        b.open("minf");
        b.full("vmhd", 0, 1).u16(0).zeros(6).close();
        b.open("dinf").full("dref", 0, 0).u32(1).full("url ", 0, 1).close().close().close();

        b.open("stbl");
        b.full("stsd", 0, 0).u32(1);
        b.open("mp4v").zeros(6).u16(1).zeros(16).u16(width).u16(height)
                .u32(0x00480000).u32(0x00480000).u32(0).u16(1).compressorName("Motion JPEG").u16(0x0018).u16(0xFFFF);
        // ES_Descriptor > DecoderConfigDescriptor (object type 0x6C = JPEG, visual stream) + SLConfig.
        b.full("esds", 0, 0)
                .u8(0x03).u8(21).u16(1).u8(0)
                .u8(0x04).u8(13).u8(MJPEG_OBJECT_TYPE).u8(0x11).u24(frameSize).u32(0).u32(0)
                .u8(0x06).u8(1).u8(0x02)
                .close();
        b.close(); // mp4v
        b.close(); // stsd
        b.full("stts", 0, 0).u32(1).u32(frames).u32(1).close();
        b.full("stsc", 0, 0).u32(1).u32(1).u32(frames).u32(1).close();
        b.full("stsz", 0, 0).u32(frameSize).u32(frames).close();
        b.full("stco", 0, 0).u32(1).u32((int) chunkOffset).close();
        b.close(); // stbl
        b.close(); // minf
        b.close(); // mdia
        b.close(); // trak
        b.close(); // moov
        return b.bytes();
    }

    /** Writes big-endian box fields; {@link #open}/{@link #close} patch in box sizes. */
    private static final class Boxes {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(buf);
        private final Deque<Integer> starts = new ArrayDeque<>();

        Boxes open(String type) {
            starts.push(buf.size());
            return u32(0).fourcc(type);
        }

        Boxes full(String type, int version, int flags) {
            return open(type).u8(version).u24(flags);
        }

        Boxes close() {
            int start = starts.pop();
            byte[] all = buf.toByteArray();
            int size = all.length - start;
            all[start] = (byte) (size >>> 24);
            all[start + 1] = (byte) (size >>> 16);
            all[start + 2] = (byte) (size >>> 8);
            all[start + 3] = (byte) size;
            buf.reset();
            buf.write(all, 0, all.length);
            return this;
        }

        Boxes u8(int v) {
            return run(() -> out.writeByte(v));
        }

        Boxes u16(int v) {
            return run(() -> out.writeShort(v));
        }

        Boxes u24(int v) {
            return u8(v >>> 16).u8(v >>> 8).u8(v);
        }

        Boxes u32(int v) {
            return run(() -> out.writeInt(v));
        }

        Boxes u64(long v) {
            return run(() -> out.writeLong(v));
        }

        Boxes zeros(int n) {
            return run(() -> out.write(new byte[n]));
        }

        Boxes fourcc(String code) {
            return run(() -> out.write(code.getBytes(StandardCharsets.US_ASCII)));
        }

        Boxes cstring(String s) {
            return run(() -> {
                out.write(s.getBytes(StandardCharsets.UTF_8));
                out.writeByte(0);
            });
        }

        Boxes compressorName(String name) {
            byte[] field = new byte[32];
            byte[] text = name.getBytes(StandardCharsets.US_ASCII);
            field[0] = (byte) text.length;
            System.arraycopy(text, 0, field, 1, text.length);
            return run(() -> out.write(field));
        }

        Boxes matrix() {
            for (int v : IDENTITY) {
                u32(v);
            }
            return this;
        }

        byte[] bytes() {
            if (!starts.isEmpty()) {
                throw new IllegalStateException("unclosed box");
            }
            return buf.toByteArray();
        }

        private Boxes run(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}
