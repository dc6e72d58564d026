package com.runwayrelay.aws.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ArchivePathPrimingTest {

    private static String sha256Of(long seed, long length) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            ArchivePathPriming.bytes(seed, length, out);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Test
    void readsEveryServedByteThroughTheMeasuredStream_whenTheBodyEndsWithinARead() throws Exception {
        long length = 1024 * 1024 + 123;

        ArchivePathPriming.Result result = ArchivePathPriming.read(3, length, 4096, 7L);

        assertEquals(new ArchivePathPriming.Result(3, length, sha256Of(7L, length)), result);
    }

    @Test
    void readsTheWholeBody_whenItEndsExactlyAtAReadBoundary() throws Exception {
        long length = 64 * 4096;

        ArchivePathPriming.Result result = ArchivePathPriming.read(1, length, 4096, 11L);

        assertEquals(sha256Of(11L, length), result.lastSha256());
    }

    @Test
    void servesDifferentBytesForAnotherSeed() throws Exception {
        assertNotEquals(sha256Of(1L, 10_000), sha256Of(2L, 10_000));
        assertEquals(sha256Of(1L, 10_000), ArchivePathPriming.read(1, 10_000, 1000, 1L).lastSha256());
    }

    @Test
    void sendsEveryPartAsASignedUploadPartToTheLoopbackStandIn() throws Exception {
        assertEquals(3 * 4, ArchivePathPriming.upload(3, 4, 70_000));
    }

    @Test
    void refusesUploadSizesBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> ArchivePathPriming.upload(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ArchivePathPriming.upload(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ArchivePathPriming.upload(1, 1, 0));
    }

    @Test
    void refusesSizesBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> ArchivePathPriming.read(0, 10, 10, 1L));
        assertThrows(IllegalArgumentException.class, () -> ArchivePathPriming.read(1, 0, 10, 1L));
        assertThrows(IllegalArgumentException.class, () -> ArchivePathPriming.read(1, 10, 0, 1L));
    }
}
