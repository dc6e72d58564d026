package com.runwayrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
    private static final String BOUNDARY = "----formdata-undici-0123456789";

    private static byte[] form(byte[] file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuploads/1\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\nabc=\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(file);
        out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Hands out at most a few bytes per read, as a slow socket might. */
    private static InputStream trickle(byte[] data) {
        Random r = new Random(1);
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + r.nextInt(7)));
            }
        };
    }

    @Test
    void next_returnsFieldsThenTheFile_withExactBytes() throws IOException {
        byte[] file = new byte[300_000];
        new Random(3).nextBytes(file);
        // Bytes that look like the start of a delimiter must not end the part.
        byte[] lookalike = ("\r\n--" + BOUNDARY.substring(0, 10)).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(lookalike, 0, file, 1000, lookalike.length);
        MultipartReader reader = new MultipartReader(trickle(form(file)), BOUNDARY);

        MultipartReader.Part key = reader.next();
        assertEquals("key", key.name());
        assertNull(key.filename());
        assertEquals("uploads/1", new String(key.body().readAllBytes(), StandardCharsets.UTF_8));

        MultipartReader.Part policy = reader.next();
        assertEquals("policy", policy.name());
        // Not reading this part's body: next() must skip it.

        MultipartReader.Part f = reader.next();
        assertEquals("file", f.name());
        assertEquals("cat.png", f.filename());
        assertEquals("image/png", f.contentType());
        assertArrayEquals(file, f.body().readAllBytes());
        assertNull(reader.next());
    }

    @Test
    void partBody_throws_whenTheClosingBoundaryIsMissing() {
        byte[] truncated = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\nsome bytes")
                .getBytes(StandardCharsets.UTF_8);
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(truncated), BOUNDARY);
        assertThrows(IOException.class, () -> reader.next().body().readAllBytes());
    }

    @Test
    void boundaryOf_readsQuotedAndBareBoundaries() {
        assertEquals("abc", MultipartReader.boundaryOf("multipart/form-data; boundary=abc"));
        assertEquals("a b", MultipartReader.boundaryOf("multipart/form-data; boundary=\"a b\""));
        assertNull(MultipartReader.boundaryOf("application/json"));
        assertNull(MultipartReader.boundaryOf(null));
    }
}
