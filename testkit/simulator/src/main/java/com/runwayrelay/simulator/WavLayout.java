package com.runwayrelay.simulator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** RIFF/WAVE files: a 44-byte canonical header followed by 16-bit mono PCM. */
final class WavLayout {
    static final int HEADER = 44;

    private WavLayout() {
    }

    /** A WAV file of exactly {@code totalBytes} bytes (a RIFF pad byte is added when the data length is odd). */
    static OutputContent pcm16Mono(int sampleRate, long totalBytes) {
        if (totalBytes > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("a WAV file cannot exceed 4 GiB, asked for " + totalBytes);
        }
        long data = (totalBytes - HEADER) & ~1L;
        boolean padByte = (totalBytes - HEADER) % 2 != 0;
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (totalBytes - 8)).put(new byte[] {'W', 'A', 'V', 'E'});
        h.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        h.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) data);
        List<ContentPart> parts = new ArrayList<>();
        parts.add(new ContentPart.Fixed(h.array()));
        parts.add(new ContentPart.Tone(data, sampleRate));
        if (padByte) {
            parts.add(new ContentPart.Fixed(new byte[1]));
        }
        return new OutputContent("audio/wav", "wav", parts);
    }
}
