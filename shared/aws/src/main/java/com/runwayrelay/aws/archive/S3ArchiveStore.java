package com.runwayrelay.aws.archive;

import com.runwayrelay.domain.archive.ArchiveStore;
import com.runwayrelay.domain.archive.MeasuredStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link ArchiveStore} on an S3 bucket, in constant memory whatever the object's size.
 *
 * <p>The body is read in parts of {@code partSize} bytes. A body that ends within the first part
 * is stored with one {@code PutObject}, its SHA-256 already in the metadata. Every request carries
 * the CRC32 of its bytes, so S3 refuses a part damaged on the way; it is computed piece by piece as
 * the download fills the part, on bytes still in the CPU's cache from the SHA-256 the
 * {@link MeasuredStream} has just computed, in code the JIT compiles early (one call per read, not
 * one per part; docs/BENCHMARKS.md). A longer one becomes
 * a multipart upload: while one part is being read from the download, up to {@code concurrency}
 * earlier parts upload in parallel, so downloading and uploading overlap; at most
 * {@code concurrency + 1} part buffers exist at once, and a warm store keeps that many idle buffers
 * for the next put instead of allocating them again. Parts are sent by a {@link PartUploader}: in
 * production a pre-signed {@code UploadPart} request written from the part buffer in one call
 * ({@link PresignedPartUploader} says why not the SDK client); every other call goes through the
 * SDK client. Only after the body has ended complete (a {@link MeasuredStream} throws
 * instead of ending early or oversized) is the upload completed; the SHA-256 is known only then,
 * so it is added to the metadata by copying the object onto itself ({@code CopyObject}, server
 * side, {@code REPLACE}; objects up to 5 GiB). Any failure, reading or uploading, waits for the
 * parts in flight and aborts the upload ({@code AbortMultipartUpload}): no object appears and no
 * parts are left billed. The bucket's lifecycle rule for incomplete uploads is the backstop for a
 * process killed in between.
 *
 * <p>Thread-safe: parallel puts share the upload threads.
 */
public final class S3ArchiveStore implements ArchiveStore {
    /** S3's smallest part but the last. */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    /** The largest object {@code CopyObject} can copy in one request, hence the largest stored here. */
    public static final long MAX_OBJECT_SIZE = 5L * 1024 * 1024 * 1024;
    private static final int MAX_PARTS = 10_000;
    private static final String SHA256 = "sha256";

    private final S3Client s3;
    private final String bucket;
    private final int partSize;
    private final int concurrency;
    private final ExecutorService uploads;
    private final PartUploader parts;
    /** Part buffers kept between puts: a warm function reuses them instead of allocating 8 MiB arrays per part. */
    private final ConcurrentLinkedQueue<byte[]> spare = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();

    /**
     * A store whose parts go out as pre-signed requests ({@link PresignedPartUploader}); the
     * other calls go through {@code s3}.
     *
     * @param presigner   signs each part's {@code UploadPart} request; same credentials and endpoint as {@code s3}
     * @param partSize    bytes per part, at least {@link #MIN_PART_SIZE}; also the largest single PUT
     * @param concurrency parts uploading at once, at least 1
     */
    public S3ArchiveStore(S3Client s3, S3Presigner presigner, String bucket, int partSize, int concurrency) {
        this(s3, new PresignedPartUploader(presigner, s3.serviceClientConfiguration().credentialsProvider()), bucket,
                partSize, concurrency);
    }

    /**
     * As {@link #S3ArchiveStore(S3Client, S3Presigner, String, int, int)}, with the write timeout
     * of the part uploads: how long S3 may take none of a part's bytes before that attempt fails.
     */
    public S3ArchiveStore(S3Client s3, S3Presigner presigner, String bucket, int partSize, int concurrency,
                          Duration writeTimeout) {
        this(s3, new PresignedPartUploader(presigner, s3.serviceClientConfiguration().credentialsProvider(), writeTimeout),
                bucket, partSize, concurrency);
    }

    /** A store whose parts go through {@code parts} (tests put faults there). */
    S3ArchiveStore(S3Client s3, PartUploader parts, String bucket, int partSize, int concurrency) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.parts = Objects.requireNonNull(parts, "parts");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("partSize must be at least " + MIN_PART_SIZE + " bytes (S3's minimum)");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1");
        }
        this.partSize = partSize;
        this.concurrency = concurrency;
        this.uploads = Executors.newFixedThreadPool(concurrency, daemonThreads());
    }

    @Override
    public void put(ObjectSpec spec, MeasuredStream body) throws IOException {
        long declared = body.declaredLength();
        if (declared > MAX_OBJECT_SIZE || declared > (long) partSize * MAX_PARTS) {
            throw new IOException("an object of " + declared + " bytes is over what the store accepts");
        }
        int firstSize = declared >= 0 && declared < partSize ? (int) declared : partSize;
        byte[] first = firstSize == partSize ? takeBuffer() : new byte[firstSize];
        CRC32 crc = new CRC32();
        int n;
        try {
            n = fill(body, first, firstSize, crc);
            if (n < firstSize || declared >= 0 && declared < partSize) {
                // The body ended within one part, or will at the next read (which checks it ended complete).
                requireEnd(body);
                putSingle(spec, first, n, body.sha256(), base64(crc));
                giveBack(first);
                return;
            }
        } catch (IOException | RuntimeException e) {
            giveBack(first);
            throw e;
        }
        new Upload(spec).run(first, n, base64(crc), body, crc);
    }

    /**
     * Reads into {@code buffer} until it holds {@code length} bytes or the body ends, as
     * {@link java.io.InputStream#readNBytes(byte[], int, int)} does, and leaves in {@code crc} the CRC32 of
     * the bytes read.
     *
     * @return the bytes read, less than {@code length} only at the end of the body
     */
    static int fill(java.io.InputStream body, byte[] buffer, int length, CRC32 crc) throws IOException {
        crc.reset();
        int n = 0;
        while (n < length) {
            int read = body.read(buffer, n, length - n);
            if (read < 0) {
                break;
            }
            crc.update(buffer, n, read);
            n += read;
        }
        return n;
    }

    private byte[] takeBuffer() {
        byte[] buffer = spare.poll();
        if (buffer == null) {
            return new byte[partSize];
        }
        spareCount.decrementAndGet();
        return buffer;
    }

    /** Keeps an idle part buffer for the next put, up to one upload's worth. */
    private void giveBack(byte[] buffer) {
        if (buffer.length == partSize && spareCount.incrementAndGet() <= concurrency + 1) {
            spare.offer(buffer);
        } else if (buffer.length == partSize) {
            spareCount.decrementAndGet();
        }
    }

    @Override
    public void deleteUnder(String prefix) throws IOException {
        try {
            for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
                s3.deleteObject(r -> r.bucket(bucket).key(object.key()));
            }
        } catch (SdkException e) {
            throw new IOException("S3 could not delete the objects under " + prefix + ": " + e.getMessage(), e);
        }
    }

    /** Bytes per part. */
    public int partSize() {
        return partSize;
    }

    private void putSingle(ObjectSpec spec, byte[] bytes, int length, String sha256, String crc32) throws IOException {
        try {
            s3.putObject(r -> r.bucket(bucket).key(spec.key()).contentType(spec.contentType())
                            .contentLength((long) length).metadata(withSha(spec, sha256))
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32).checksumCRC32(crc32),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                            spec.contentType()));
        } catch (SdkException e) {
            throw new IOException("S3 could not store " + spec.key() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The part's CRC32 as S3 expects it (base64 of the big-endian value). Given up front, it goes
     * in a header: S3 still rejects a corrupted part, and the SDK skips its trailing-checksum
     * encoding of the body, which costs more than this intrinsic CRC.
     */
    static String base64(CRC32 crc) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static void requireEnd(MeasuredStream body) throws IOException {
        if (body.read() != -1 || !body.complete()) {
            throw new IOException("the output continued past its announced length");
        }
    }

    private static Map<String, String> withSha(ObjectSpec spec, String sha256) {
        Map<String, String> metadata = new HashMap<>(spec.metadata());
        metadata.put(SHA256, sha256);
        return metadata;
    }

    /** One multipart upload: reads parts, uploads them in parallel, completes or aborts. */
    private final class Upload {
        private final ObjectSpec spec;
        private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(concurrency + 1);
        private final List<Future<CompletedPart>> sent = new ArrayList<>();
        private final List<byte[]> owned = new ArrayList<>();
        private int allocated;
        private int checked;
        private String uploadId;

        Upload(ObjectSpec spec) {
            this.spec = spec;
        }

        void run(byte[] first, int firstLength, String firstCrc, MeasuredStream body, CRC32 crc) throws IOException {
            allocated = 1;
            owned.add(first);
            try {
                uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(spec.key())
                        .contentType(spec.contentType()).metadata(spec.metadata())
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
                byte[] current = first;
                int length = firstLength;
                String currentCrc = firstCrc;
                int number = 1;
                while (true) {
                    throwIfAnyPartFailed();
                    byte[] next = buffer();
                    int nextLength = fill(body, next, partSize, crc);
                    if (nextLength == 0) {
                        send(number, current, length, currentCrc);
                        free.offer(next);
                        break;
                    }
                    send(number++, current, length, currentCrc);
                    if (number > MAX_PARTS) {
                        throw new IOException("the output needs more than " + MAX_PARTS + " parts of " + partSize + " bytes");
                    }
                    current = next;
                    length = nextLength;
                    currentCrc = base64(crc);
                }
                requireEnd(body);
                List<CompletedPart> completed = new ArrayList<>();
                for (Future<CompletedPart> part : sent) {
                    completed.add(await(part));
                }
                s3.completeMultipartUpload(r -> r.bucket(bucket).key(spec.key()).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(completed)));
            } catch (IOException | RuntimeException e) {
                throw abort(e);
            } finally {
                // Every part is finished (completed, or waited for by the abort): the buffers are idle.
                owned.forEach(S3ArchiveStore.this::giveBack);
            }
            recordSha(body.sha256());
        }

        /** Surfaces a failed part at once rather than after the rest of the download. */
        private void throwIfAnyPartFailed() throws IOException {
            while (checked < sent.size() && sent.get(checked).isDone()) {
                await(sent.get(checked++));
            }
        }

        /** A free buffer; blocks while every buffer is being read or uploaded, so memory stays bounded. */
        private byte[] buffer() throws IOException {
            byte[] buffer = free.poll();
            if (buffer != null) {
                return buffer;
            }
            if (allocated < concurrency + 1) {
                allocated++;
                byte[] fresh = takeBuffer();
                owned.add(fresh);
                return fresh;
            }
            try {
                // Waiting on the oldest upload frees a buffer and surfaces its failure early.
                await(sent.get(firstUnfinished()));
                buffer = free.poll();
                return buffer != null ? buffer : free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for a part upload", e);
            }
        }

        private int firstUnfinished() {
            for (int i = 0; i < sent.size(); i++) {
                if (!sent.get(i).isDone()) {
                    return i;
                }
            }
            return sent.size() - 1;
        }

        private void send(int number, byte[] bytes, int length, String crc32) {
            sent.add(uploads.submit(() -> {
                try {
                    String etag = parts.upload(new PartUploader.Part(bucket, spec.key(), uploadId, number, crc32),
                            bytes, length);
                    return CompletedPart.builder().partNumber(number).eTag(etag).checksumCRC32(crc32).build();
                } finally {
                    free.offer(bytes);
                }
            }));
        }

        private CompletedPart await(Future<CompletedPart> part) throws IOException {
            try {
                return part.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for a part upload", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw new IOException("S3 could not store a part of " + spec.key() + ": " + cause.getMessage(), cause);
            }
        }

        /** Waits for parts in flight (a part finishing after the abort would be left billed), then aborts. */
        private IOException abort(Exception failure) {
            IOException thrown = failure instanceof IOException io ? io
                    : new IOException("S3 could not store " + spec.key() + ": " + failure.getMessage(), failure);
            for (Future<CompletedPart> part : sent) {
                try {
                    part.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (ExecutionException e) {
                    // Already failed; the abort below covers it.
                }
            }
            if (uploadId != null) {
                try {
                    s3.abortMultipartUpload(r -> r.bucket(bucket).key(spec.key()).uploadId(uploadId));
                } catch (SdkException e) {
                    thrown.addSuppressed(e);
                }
            }
            return thrown;
        }

        /** The SHA-256 is known only now; a server-side copy onto itself adds it to the metadata. */
        private void recordSha(String sha256) throws IOException {
            try {
                s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(spec.key())
                        .destinationBucket(bucket).destinationKey(spec.key())
                        .metadataDirective(MetadataDirective.REPLACE)
                        .contentType(spec.contentType()).metadata(withSha(spec, sha256)));
            } catch (SdkException e) {
                throw new IOException("S3 stored " + spec.key() + " but could not add its sha256 metadata: "
                        + e.getMessage(), e);
            }
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "archive-upload-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
