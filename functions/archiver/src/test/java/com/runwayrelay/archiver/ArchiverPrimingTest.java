package com.runwayrelay.archiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArchiverPrimingTest {

    @Test
    void primesTheReadPath_withoutWritingAnythingToTheOutput() {
        ArchiverPriming priming = new ArchiverPriming(2, 256 * 1024 + 5, 3, () -> { });
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            // Log lines and EMF metric documents go to standard output (JsonLog, EmfMetrics).
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            priming.beforeCheckpoint(null);
            priming.afterRestore(null);
        } finally {
            System.setOut(out);
        }

        assertEquals("", captured.toString(StandardCharsets.UTF_8), "no log line, no metric");
        assertEquals(java.util.Optional.empty(), priming.failure());
        assertEquals(2, priming.result().orElseThrow().downloads());
        assertEquals(256 * 1024 + 5, priming.result().orElseThrow().bytesPerDownload());
        assertEquals(ArchiverPriming.UPLOAD_OBJECTS * 3, priming.partsTaken());
    }

    @Test
    void theDefaultPrimingCallsThePerReadCodePastC2Thresholds() {
        // Tier4InvocationThreshold is 5,000 and Tier4CompileThreshold 15,000 calls.
        long reads = ArchiverPriming.DOWNLOADS * ArchiverPriming.BYTES_PER_DOWNLOAD / ArchiverPriming.READ_BYTES;
        assertTrue(reads >= 50_000, reads + " reads");
        assertTrue(ArchiverPriming.UPLOAD_OBJECTS * ArchiverPriming.PARTS_PER_OBJECT >= 2_000);
    }

    @Test
    void keepsTheFailureAndDoesNotThrow_whenTheReadPathFails() {
        ArchiverPriming priming = new ArchiverPriming(0, 10, 1, () -> { });

        priming.beforeCheckpoint(null);

        assertTrue(priming.failure().orElseThrow() instanceof IllegalArgumentException);
        assertFalse(priming.result().isPresent());
    }

    @Test
    void goesOnWithTheReadAndPartPaths_whenTheAwsReadsFail() {
        ArchiverPriming priming = new ArchiverPriming(1, 1000, 1, () -> {
            throw new IllegalStateException("DynamoDB unreachable");
        });

        priming.prime();

        assertEquals("DynamoDB unreachable", priming.awsFailure().orElseThrow().getMessage());
        assertEquals(java.util.Optional.empty(), priming.failure());
        assertEquals(ArchiverPriming.UPLOAD_OBJECTS, priming.partsTaken());
    }
}
