package com.runwayrelay.bench.archiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.bench.archiver.ArchiverBenchmark.Result;
import com.runwayrelay.bench.archiver.ArchiverBenchmark.Sink;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark at a small size: every step runs, and every archive is checked, in a few seconds. */
class ArchiverBenchmarkSmokeTest {
    private static final long SIZE = 6L * 1024 * 1024 + 1;

    @Test
    void archivesThroughS3proxyAndHttpsEndpoint_inAChildJvmWithSmallHeap() throws Exception {
        List<Result> results = ArchiverBenchmark.run(List.of(SIZE), List.of(Sink.S3PROXY, Sink.DISCARD_HTTPS), 1024 * 1024);

        assertEquals(2, results.size());
        for (Result r : results) {
            assertEquals(SIZE, r.storedBytes());
            assertTrue(r.archiveMillis() > 0 && r.rawMillis() >= 0, r.toString());
            assertTrue(r.peakRssKib() > 10_000, "peak RSS measured: " + r);
        }
        String table = ArchiverBenchmark.markdown(results);
        assertTrue(table.contains("| s3proxy (filesystem, http) |") && table.contains("| discard (https) |"), table);
        assertFalse(table.contains("Peak RSS spread"), "one size gives no spread: " + table);
    }

    @Test
    void runsTheArchiverWithTheJvmOptionsTheTemplateGivesIt() {
        assertEquals("-XX:+TieredCompilation -XX:TieredStopAtLevel=4",
                ArchiverBenchmark.archiverToolOptions().orElseThrow(), "C2 on, as deployed");
    }

    @Test
    void parsesBinarySizes() {
        assertEquals(List.of(64L << 20, 2L << 30, 512L, 3L << 10), ArchiverBenchmark.parseSizes("64MiB, 2GiB,512,3KiB"));
        assertThrows(IllegalArgumentException.class, () -> ArchiverBenchmark.parseSizes("2GB"));
    }
}
