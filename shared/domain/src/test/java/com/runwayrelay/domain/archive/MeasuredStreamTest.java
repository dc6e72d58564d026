package com.runwayrelay.domain.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MeasuredStreamTest {
    private static final byte[] BODY = "hello, archive".getBytes(StandardCharsets.US_ASCII);

    @Test
    void measuresSizeAndSha256_whenBodyMatchesDeclaredLength() throws IOException {
        MeasuredStream stream = new MeasuredStream(new ByteArrayInputStream(BODY), BODY.length, 100);

        byte[] read = stream.readAllBytes();

        assertArrayEquals(BODY, read);
        assertTrue(stream.complete());
        assertEquals(BODY.length, stream.size());
        assertEquals(TaskArchiverTest.sha256(BODY), stream.sha256());
    }

    @Test
    void measures_whenLengthIsUnknown() throws IOException {
        MeasuredStream stream = new MeasuredStream(new ByteArrayInputStream(BODY), -1, 100);

        stream.readAllBytes();

        assertEquals(TaskArchiverTest.sha256(BODY), stream.sha256());
    }

    @Test
    void readsSingleBytes_likeBulkReads() throws IOException {
        MeasuredStream stream = new MeasuredStream(new ByteArrayInputStream(BODY), BODY.length, 100);
        int b;
        int n = 0;
        while ((b = stream.read()) != -1) {
            assertEquals(BODY[n++] & 0xff, b);
        }
        assertEquals(TaskArchiverTest.sha256(BODY), stream.sha256());
    }

    @Test
    void throwsInsteadOfEnding_whenBodyIsShorterThanDeclared() {
        MeasuredStream stream = assertDoesNotThrowNew(BODY, BODY.length + 5, 100);

        TruncatedOutputException e = assertThrows(TruncatedOutputException.class, stream::readAllBytes);

        assertEquals(BODY.length, e.received());
        assertEquals(BODY.length + 5, e.declared());
        assertFalse(stream.complete());
        assertThrows(IllegalStateException.class, stream::sha256);
    }

    @Test
    void throws_whenBodyIsLongerThanDeclared() {
        MeasuredStream stream = assertDoesNotThrowNew(BODY, BODY.length - 1, 100);

        IOException e = assertThrows(IOException.class, stream::readAllBytes);

        assertTrue(e.getMessage().contains("more bytes than its Content-Length"), e.getMessage());
    }

    @Test
    void refusesAtOnce_whenDeclaredLengthIsOverCap() {
        OutputTooLargeException e = assertThrows(OutputTooLargeException.class,
                () -> new MeasuredStream(new ByteArrayInputStream(BODY), 101, 100));

        assertEquals(100, e.maxBytes());
    }

    @Test
    void throws_whenUnannouncedBodyPassesCap() {
        MeasuredStream stream = assertDoesNotThrowNew(BODY, -1, 5);

        assertThrows(OutputTooLargeException.class, stream::readAllBytes);
    }

    @Test
    void refusesToSkip_becauseEveryByteMustBeHashed() {
        MeasuredStream stream = assertDoesNotThrowNew(BODY, -1, 100);

        assertThrows(IOException.class, () -> stream.skip(3));
    }

    @Test
    void keepsAnsweringEndOfStream_afterCompletion() throws IOException {
        MeasuredStream stream = new MeasuredStream(new ByteArrayInputStream(BODY), BODY.length, 100);
        stream.readAllBytes();

        assertEquals(-1, stream.read(new byte[4], 0, 4));
        assertEquals(BODY.length, stream.size());
    }

    private static MeasuredStream assertDoesNotThrowNew(byte[] body, long declared, long max) {
        try {
            return new MeasuredStream(new ByteArrayInputStream(body), declared, max);
        } catch (OutputTooLargeException e) {
            throw new AssertionError(e);
        }
    }
}
