package com.runwayrelay.archiver;

import com.runwayrelay.aws.archive.ArchivePathPriming;
import java.io.IOException;
import java.util.Optional;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart priming of the archiver: run by the Lambda runtime just before it snapshots an initialized
 * environment, so that a restored archiver streams its first outputs in compiled code instead of paying the
 * JIT's work during them (docs/decisions.md, "SnapStart priming for the archiver").
 *
 * <p>It reads {@link #DOWNLOADS} bodies of {@link #BYTES_PER_DOWNLOAD} bytes from a loopback server through
 * the archiver's read path ({@link ArchivePathPriming#read}) in reads of {@link #READ_BYTES} (about 65,000 calls
 * of the per-read code, past C2's thresholds), then sends {@link #UPLOAD_OBJECTS} × {@link #PARTS_PER_OBJECT}
 * parts of {@link #PART_BYTES} bytes through its part uploader to a loopback stand-in for S3
 * ({@link ArchivePathPriming#upload}). Before both it makes the archive's AWS calls that read only, through
 * the function's own adapters ({@link ArchiverFunction#primingReads}: a task that does not exist, an object
 * that does not exist), which load and run the SDK's pipelines most of an archive's calls share. No write, no
 * Runway call, no log line, no metric. <b>Never fails</b>:
 * a failure is kept in {@link #failure()} and the snapshot goes ahead, since a failing hook would cost the
 * version its snapshot. {@link #afterRestore} does nothing: the loopback server is closed before the
 * snapshot and nothing else is held.
 */
final class ArchiverPriming implements Resource {
    static final int DOWNLOADS = 4;
    static final long BYTES_PER_DOWNLOAD = 64L * 1024 * 1024;
    static final int READ_BYTES = 4 * 1024;
    static final int UPLOAD_OBJECTS = 4;
    static final int PARTS_PER_OBJECT = 500;
    static final int PART_BYTES = 64 * 1024;
    private static final long SEED = 20_261_204L;

    private final int downloads;
    private final long bytesPerDownload;
    private final int partsPerObject;
    private final Runnable awsReads;
    private volatile Optional<Exception> awsFailure = Optional.empty();
    private volatile Optional<ArchivePathPriming.Result> result = Optional.empty();
    private volatile int partsTaken;
    private volatile Optional<Exception> failure = Optional.empty();

    /** @param awsReads the function's read-only AWS calls ({@link ArchiverFunction#primingReads}) */
    ArchiverPriming(Runnable awsReads) {
        this(DOWNLOADS, BYTES_PER_DOWNLOAD, PARTS_PER_OBJECT, awsReads);
    }

    /** A priming of another size (tests). */
    ArchiverPriming(int downloads, long bytesPerDownload, int partsPerObject, Runnable awsReads) {
        this.downloads = downloads;
        this.bytesPerDownload = bytesPerDownload;
        this.partsPerObject = partsPerObject;
        this.awsReads = java.util.Objects.requireNonNull(awsReads, "awsReads");
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    /**
     * Runs the read-only AWS calls, then the read path, then the part path, once; what they did or why one
     * failed is kept. The AWS calls failing (AWS unreachable while the snapshot is taken) does not stop the rest.
     */
    void prime() {
        try {
            awsReads.run();
            awsFailure = Optional.empty();
        } catch (RuntimeException e) {
            awsFailure = Optional.of(e);
        }
        try {
            result = Optional.of(ArchivePathPriming.read(downloads, bytesPerDownload, READ_BYTES, SEED));
            partsTaken = ArchivePathPriming.upload(UPLOAD_OBJECTS, partsPerObject, PART_BYTES);
            failure = Optional.empty();
        } catch (IOException | RuntimeException e) {
            failure = Optional.of(e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing primed is bound to the environment that took the snapshot.
    }

    /** What the last priming read, if it completed. */
    Optional<ArchivePathPriming.Result> result() {
        return result;
    }

    /** Parts the loopback stand-in for S3 took in the last priming. */
    int partsTaken() {
        return partsTaken;
    }

    /** Why the last priming's AWS calls failed, if they did. */
    Optional<Exception> awsFailure() {
        return awsFailure;
    }

    /** Why the last priming failed, if it did. */
    Optional<Exception> failure() {
        return failure;
    }

    static long seed() {
        return SEED;
    }
}
