package com.runwayrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.domain.media.MediaKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MediaFactoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private static JsonNode body(String json) throws IOException {
        return JSON.readTree(json);
    }

    private static OutputContent make(SimulatorConfig config, MediaKind kind, String json) throws IOException {
        return new MediaFactory(config).create(kind, body(json), 42);
    }

    @Test
    void image_isAPngInTheRequestedRatio_whenTheRatioIsWide() throws IOException {
        OutputContent c = make(SimulatorConfig.defaults(), MediaKind.IMAGE, "{\"ratio\":\"1920:1080\"}");
        byte[] bytes = c.toBytes();
        assertEquals("image/png", c.contentType());
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, 8));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        assertEquals(512, img.getWidth());
        assertEquals(288, img.getHeight());
    }

    @Test
    void image_keepsSmallRatiosUnscaled_andPortraitOrientation() throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(
                make(SimulatorConfig.defaults(), MediaKind.IMAGE, "{\"ratio\":\"300:400\"}").toBytes()));
        assertEquals(300, img.getWidth());
        assertEquals(400, img.getHeight());
    }

    @Test
    void image_isAJpeg_whenOutputFormatIsJpeg() throws IOException {
        OutputContent c = make(SimulatorConfig.defaults(), MediaKind.IMAGE, "{\"ratio\":\"1024:1024\",\"outputFormat\":\"jpeg\"}");
        byte[] bytes = c.toBytes();
        assertEquals("image/jpeg", c.contentType());
        assertEquals(0xFF, bytes[0] & 0xFF);
        assertEquals(0xD8, bytes[1] & 0xFF);
        assertEquals(512, ImageIO.read(new ByteArrayInputStream(bytes)).getWidth());
    }

    @Test
    void paddedPng_hasExactSize_validChunkCrcs_andStillDecodes() throws IOException {
        SimulatorConfig config = SimulatorConfig.builder().outputSizeBytes(200_000).build();
        OutputContent c = make(config, MediaKind.IMAGE, "{\"ratio\":\"1280:720\"}");
        byte[] bytes = c.toBytes();
        assertEquals(200_000, bytes.length);
        assertEquals(200_000, c.length());
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.position(8);
        List<String> types = new ArrayList<>();
        while (buf.hasRemaining()) {
            int len = buf.getInt();
            byte[] typeAndData = new byte[4 + len];
            buf.get(typeAndData);
            CRC32 crc = new CRC32();
            crc.update(typeAndData);
            assertEquals((int) crc.getValue(), buf.getInt(), "CRC of chunk " + types.size());
            types.add(new String(typeAndData, 0, 4, StandardCharsets.US_ASCII));
        }
        assertEquals("IHDR", types.getFirst());
        assertEquals("IEND", types.getLast());
        assertTrue(types.contains("rrDt"));
        assertEquals(512, ImageIO.read(new ByteArrayInputStream(bytes)).getWidth());
    }

    @Test
    void paddedJpeg_hasExactSize_andStillDecodes() throws IOException {
        SimulatorConfig config = SimulatorConfig.builder().outputSizeBytes(300_001).build();
        OutputContent c = make(config, MediaKind.IMAGE, "{\"ratio\":\"1024:1024\",\"outputFormat\":\"jpeg\"}");
        byte[] bytes = c.toBytes();
        assertEquals(300_001, bytes.length);
        assertNotNull(ImageIO.read(new ByteArrayInputStream(bytes)));
    }

    @Test
    void video_isAnIsoBmffWithFtypMoovAndMdat_whoseSamplesAreJpegFrames() throws IOException {
        OutputContent c = make(SimulatorConfig.defaults(), MediaKind.VIDEO, "{\"ratio\":\"1280:720\",\"duration\":5}");
        byte[] bytes = c.toBytes();
        assertEquals("video/mp4", c.contentType());
        List<Box> top = boxes(bytes, 0, bytes.length);
        assertEquals(List.of("ftyp", "moov", "mdat"), top.stream().map(Box::type).toList());
        assertEquals(bytes.length, top.stream().mapToLong(Box::size).sum());
        Box moov = top.get(1);
        List<Box> moovChildren = boxes(bytes, moov.payload(), moov.end());
        assertEquals(List.of("mvhd", "trak"), moovChildren.stream().map(Box::type).toList());
        ByteBuffer mvhd = ByteBuffer.wrap(bytes, moovChildren.getFirst().payload(), 32);
        mvhd.position(mvhd.position() + 12);
        assertEquals(1000, mvhd.getInt(), "timescale");
        assertEquals(5000, mvhd.getInt(), "duration in ms");
        int stco = indexOf(bytes, "stco");
        int chunkOffset = ByteBuffer.wrap(bytes, stco + 16, 4).getInt();
        assertEquals(0xFF, bytes[chunkOffset] & 0xFF, "first sample is a JPEG (SOI)");
        assertEquals(0xD8, bytes[chunkOffset + 1] & 0xFF);
        int tkhd = indexOf(bytes, "tkhd");
        ByteBuffer dims = ByteBuffer.wrap(bytes, tkhd + 4 + 4 + 76, 8);
        assertEquals(320, dims.getInt() >>> 16);
        assertEquals(180, dims.getInt() >>> 16);
        int stsz = indexOf(bytes, "stsz");
        assertEquals(5 * 8, ByteBuffer.wrap(bytes, stsz + 16, 4).getInt(), "frames = seconds x fps");
    }

    @Test
    void paddedVideo_usesA64BitMdatHeader_whenLargerThan4GiB() throws IOException {
        long size = 5L << 30;
        OutputContent c = make(SimulatorConfig.builder().outputSizeBytes(size).build(), MediaKind.VIDEO, "{\"duration\":2}");
        assertEquals(size, c.length());
        byte[] head = head(c, 64 * 1024);
        List<Box> top = new ArrayList<>();
        int pos = 0;
        for (int i = 0; i < 2; i++) {
            Box b = box(head, pos);
            top.add(b);
            pos = (int) b.end();
        }
        ByteBuffer mdat = ByteBuffer.wrap(head, pos, 16);
        assertEquals(1, mdat.getInt(), "size 1 announces a 64-bit largesize");
        assertEquals("mdat", fourcc(head, pos + 4));
        mdat.getInt();
        assertEquals(size - pos, mdat.getLong());
    }

    @Test
    void audio_isAWavOfTheRequestedDuration() throws IOException {
        OutputContent c = make(SimulatorConfig.defaults(), MediaKind.AUDIO, "{\"duration\":2.5}");
        byte[] bytes = c.toBytes();
        assertEquals("audio/wav", c.contentType());
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", fourcc(bytes, 0));
        assertEquals(bytes.length - 8, b.getInt(4));
        assertEquals("WAVE", fourcc(bytes, 8));
        assertEquals("fmt ", fourcc(bytes, 12));
        assertEquals(1, b.getShort(20), "PCM");
        assertEquals(16_000, b.getInt(24));
        assertEquals("data", fourcc(bytes, 36));
        assertEquals(2.5 * 16_000 * 2, b.getInt(40));
    }

    @Test
    void paddedAudio_addsARiffPadByte_whenTheDataLengthIsOdd() throws IOException {
        OutputContent c = make(SimulatorConfig.builder().outputSizeBytes(1_000_001).build(), MediaKind.AUDIO, "{}");
        byte[] bytes = c.toBytes();
        assertEquals(1_000_001, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1_000_001 - 8, b.getInt(4));
        assertEquals(1_000_000 - 44, b.getInt(40));
    }

    @Test
    void content_isDeterministicPerSeed() throws IOException {
        SimulatorConfig big = SimulatorConfig.builder().outputSizeBytes(3_000_000).build();
        MediaFactory f = new MediaFactory(big);
        JsonNode b = body("{\"duration\":1}");
        assertEquals(f.create(MediaKind.VIDEO, b, 1).sha256(), f.create(MediaKind.VIDEO, b, 1).sha256());
        assertNotEquals(f.create(MediaKind.VIDEO, b, 1).sha256(), f.create(MediaKind.VIDEO, b, 2).sha256());
    }

    record Box(String type, long start, long size, int header) {
        int payload() {
            return (int) (start + header);
        }

        long end() {
            return start + size;
        }
    }

    private static List<Box> boxes(byte[] bytes, int from, long to) {
        List<Box> out = new ArrayList<>();
        long pos = from;
        while (pos < to) {
            Box b = box(bytes, (int) pos);
            out.add(b);
            pos = b.end();
        }
        return out;
    }

    private static Box box(byte[] bytes, int pos) {
        long size = ByteBuffer.wrap(bytes, pos, 4).getInt() & 0xFFFFFFFFL;
        return new Box(fourcc(bytes, pos + 4), pos, size, 8);
    }

    private static String fourcc(byte[] bytes, int pos) {
        return new String(bytes, pos, 4, StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] bytes, String type) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        for (int i = 4; i < bytes.length - 4; i++) {
            if (bytes[i] == t[0] && bytes[i + 1] == t[1] && bytes[i + 2] == t[2] && bytes[i + 3] == t[3]) {
                return i - 4;
            }
        }
        throw new AssertionError("no " + type + " box");
    }

    /** The first {@code n} bytes of a content too large to materialise. */
    private static byte[] head(OutputContent c, int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            c.writeTo(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    int take = Math.min(len, n - out.size());
                    out.write(b, off, take);
                    if (out.size() >= n) {
                        throw new IOException("enough");
                    }
                }
            });
        } catch (IOException expected) {
            // stopped after n bytes
        }
        return out.toByteArray();
    }
}
