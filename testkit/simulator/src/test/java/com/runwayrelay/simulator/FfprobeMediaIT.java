package com.runwayrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.domain.media.MediaKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated media as ffprobe sees it. Skipped when ffprobe is not installed. */
class FfprobeMediaIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void video_isReadAsMotionJpegWithTheRequestedFramesAndDuration_evenWhenPadded() throws Exception {
        for (long size : new long[] {0, 3_000_000}) {
            SimulatorConfig config = SimulatorConfig.builder().outputSizeBytes(size).build();
            Path file = write(new MediaFactory(config).create(MediaKind.VIDEO, JSON.readTree("{\"ratio\":\"1280:720\",\"duration\":5}"), 7), "v.mp4");
            String probe = ffprobe("-show_entries", "stream=codec_name,width,height,nb_frames:format=duration", file.toString());
            assertTrue(probe.contains("codec_name=mjpeg"), probe);
            assertTrue(probe.contains("width=320") && probe.contains("height=180"), probe);
            assertTrue(probe.contains("nb_frames=40"), probe);
            assertTrue(probe.contains("duration=5.000000"), probe);
        }
    }

    @Test
    void audio_isReadAsPcmWithTheRequestedDuration() throws Exception {
        Path file = write(new MediaFactory(SimulatorConfig.defaults()).create(MediaKind.AUDIO, JSON.readTree("{\"duration\":2}"), 7), "a.wav");
        String probe = ffprobe("-show_entries", "stream=codec_name,sample_rate,duration", file.toString());
        assertTrue(probe.contains("codec_name=pcm_s16le") && probe.contains("sample_rate=16000") && probe.contains("duration=2.000000"), probe);
    }

    private Path write(OutputContent content, String name) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            content.writeTo(out);
        }
        return file;
    }

    private static String ffprobe(String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = "ffprobe";
        command[1] = "-v";
        command[2] = "error";
        System.arraycopy(args, 0, command, 3, args.length);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "ffprobe is not installed: skipping the ffprobe media check");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
