package com.runwayrelay.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.domain.media.MediaKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Makes the real media files a task outputs: PNG or JPEG images in the requested ratio, MP4 videos
 * (Motion-JPEG frames in ISO-BMFF) and WAV audio of the requested duration. With
 * {@link SimulatorConfig#outputSizeBytes()} set, each file is padded to exactly that size in a way
 * its format allows (private PNG chunks, JPEG APP15 segments, extra {@code mdat} payload, longer PCM data).
 */
final class MediaFactory {
    private static final Pattern RATIO = Pattern.compile("(\\d{1,5}):(\\d{1,5})");
    private static final double DEFAULT_VIDEO_SECONDS = 5;
    private static final double DEFAULT_AUDIO_SECONDS = 3;

    private final SimulatorConfig config;

    MediaFactory(SimulatorConfig config) {
        this.config = config;
    }

    OutputContent create(MediaKind kind, JsonNode body, long seed) {
        return switch (kind) {
            case IMAGE -> image(body, seed);
            case VIDEO -> video(body, seed);
            case AUDIO -> audio(body, seed);
        };
    }

    private OutputContent image(JsonNode body, long seed) {
        int[] size = scaledSize(body.path("ratio").asText(""), 1024, 1024, config.imageMaxSide());
        boolean jpeg = body.path("outputFormat").asText("").equalsIgnoreCase("jpeg");
        byte[] encoded = encode(picture(size[0], size[1], seed), jpeg ? "jpeg" : "png");
        long target = config.outputSizeBytes();
        if (jpeg) {
            long pad = target - encoded.length;
            List<ContentPart> parts = pad >= ContentPart.JpegPadding.OVERHEAD
                    ? List.of(new ContentPart.Fixed(Arrays.copyOf(encoded, 2)), new ContentPart.JpegPadding(pad, seed),
                            new ContentPart.Fixed(Arrays.copyOfRange(encoded, 2, encoded.length)))
                    : List.of(new ContentPart.Fixed(encoded));
            return new OutputContent("image/jpeg", "jpg", parts);
        }
        long pad = target - encoded.length;
        int iend = encoded.length - 12;
        List<ContentPart> parts = pad >= ContentPart.PngPadding.OVERHEAD
                ? List.of(new ContentPart.Fixed(Arrays.copyOf(encoded, iend)), new ContentPart.PngPadding(pad, seed),
                        new ContentPart.Fixed(Arrays.copyOfRange(encoded, iend, encoded.length)))
                : List.of(new ContentPart.Fixed(encoded));
        return new OutputContent("image/png", "png", parts);
    }

    private OutputContent video(JsonNode body, long seed) {
        int[] size = scaledSize(body.path("ratio").asText(""), 1280, 720, config.videoMaxSide());
        // Motion JPEG wants even dimensions.
        int width = Math.max(2, size[0] & ~1);
        int height = Math.max(2, size[1] & ~1);
        double seconds = seconds(body.path("duration"), DEFAULT_VIDEO_SECONDS);
        int frames = (int) Math.max(1, Math.round(seconds * config.videoFps()));
        byte[] frame = encode(picture(width, height, seed), "jpeg");
        return Mp4Layout.motionJpeg(width, height, config.videoFps(), frames, frame, config.outputSizeBytes(), seed);
    }

    private OutputContent audio(JsonNode body, long seed) {
        int rate = body.path("sampleRate").canConvertToInt() && body.path("sampleRate").asInt() >= 8000
                && body.path("sampleRate").asInt() <= 96000 ? body.path("sampleRate").asInt() : config.audioSampleRate();
        double seconds = seconds(body.path("duration"), DEFAULT_AUDIO_SECONDS);
        long natural = WavLayout.HEADER + 2L * Math.max(1, Math.round(seconds * rate));
        long target = Math.max(natural, config.outputSizeBytes());
        return WavLayout.pcm16Mono(rate, target);
    }

    /** Width and height in the ratio {@code W:H}, scaled so the longer side is at most {@code maxSide}. */
    static int[] scaledSize(String ratio, int defaultWidth, int defaultHeight, int maxSide) {
        Matcher m = RATIO.matcher(ratio);
        int w = defaultWidth;
        int h = defaultHeight;
        if (m.matches() && Integer.parseInt(m.group(1)) > 0 && Integer.parseInt(m.group(2)) > 0) {
            w = Integer.parseInt(m.group(1));
            h = Integer.parseInt(m.group(2));
        }
        double scale = Math.min(1.0, (double) maxSide / Math.max(w, h));
        return new int[] {Math.max(1, (int) Math.round(w * scale)), Math.max(1, (int) Math.round(h * scale))};
    }

    private static double seconds(JsonNode duration, double fallback) {
        double s = duration.isNumber() ? duration.asDouble() : fallback;
        return Math.min(120, Math.max(0.1, s));
    }

    /** A colour gradient with a few blocks, different per seed; drawn pixel by pixel so no fonts are needed. */
    private static BufferedImage picture(int width, int height, long seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int base = (int) (seed ^ (seed >>> 32));
        int r0 = base & 0xFF;
        int g0 = (base >>> 8) & 0xFF;
        int b0 = (base >>> 16) & 0xFF;
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (r0 + 255 * x / Math.max(1, width)) & 0xFF;
                int g = (g0 + 255 * y / Math.max(1, height)) & 0xFF;
                int b = ((x / 16 + y / 16) % 2 == 0) ? b0 : 255 - b0;
                row[x] = (r << 16) | (g << 8) | b;
            }
            img.setRGB(0, y, width, 1, row, 0, width);
        }
        return img;
    }

    private static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

}
