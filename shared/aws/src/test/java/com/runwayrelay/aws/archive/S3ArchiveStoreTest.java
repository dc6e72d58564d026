package com.runwayrelay.aws.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class S3ArchiveStoreTest {
    private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);
    /** The CRC-32 check value of "123456789". */
    private static final long CHECK_CRC = 0xCBF43926L;

    @Test
    void encodesCrc32AsS3Expects_base64OfBigEndianValue() {
        CRC32 crc = new CRC32();
        crc.update(CHECK);

        assertEquals("y/Q5Jg==", S3ArchiveStore.base64(crc));
    }

    @Test
    void fillsAPartFromShortReads_withTheCrc32OfExactlyWhatItRead() throws IOException {
        CRC32 crc = new CRC32();
        crc.update(new byte[] {1, 2, 3});
        byte[] buffer = new byte[16];

        int n = S3ArchiveStore.fill(trickle(CHECK, 2), buffer, buffer.length, crc);

        assertEquals(CHECK.length, n, "ends with the body");
        assertArrayEquals(CHECK, Arrays.copyOf(buffer, n));
        assertEquals(CHECK_CRC, crc.getValue(), "the earlier part's state is reset, the pieces add up");
    }

    @Test
    void fillsNoMoreThanAPart_andLeavesTheRestForTheNext() throws IOException {
        InputStream body = trickle(CHECK, 3);
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[5];

        assertEquals(5, S3ArchiveStore.fill(body, buffer, 5, crc));
        CRC32 expected = new CRC32();
        expected.update(CHECK, 0, 5);
        assertEquals(expected.getValue(), crc.getValue());

        assertEquals(4, S3ArchiveStore.fill(body, buffer, 5, crc));
        expected.reset();
        expected.update(CHECK, 5, 4);
        assertEquals(expected.getValue(), crc.getValue());
        assertEquals(0, S3ArchiveStore.fill(body, buffer, 5, crc), "nothing left");
    }

    /** A body that hands out at most {@code piece} bytes per read, as a socket does. */
    private static InputStream trickle(byte[] bytes, int piece) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, piece));
            }
        };
    }
}
