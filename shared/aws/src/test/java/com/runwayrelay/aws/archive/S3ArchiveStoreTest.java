package com.runwayrelay.aws.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class S3ArchiveStoreTest {

    @Test
    void encodesCrc32AsS3Expects_base64OfBigEndianValue() {
        byte[] check = "123456789xxxx".getBytes(StandardCharsets.US_ASCII);

        // CRC-32 check value of "123456789" is 0xCBF43926; only the first 9 bytes count.
        assertEquals("y/Q5Jg==", S3ArchiveStore.crc32(check, 9));
    }
}
