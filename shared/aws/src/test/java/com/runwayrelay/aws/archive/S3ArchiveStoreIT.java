package com.runwayrelay.aws.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.archive.MeasuredStream;
import com.runwayrelay.domain.archive.OutputTooLargeException;
import com.runwayrelay.domain.archive.TruncatedOutputException;
import com.runwayrelay.domain.contract.ArchiveStoreContract;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The {@link ArchiveStoreContract} against s3proxy, and what only S3 has: parts, their buffers and
 * checksums, and no multipart upload left behind when a put fails.
 */
@WithAwsEmulators
class S3ArchiveStoreIT extends ArchiveStoreContract<S3ArchiveStore> {
    private static final int PART = S3ArchiveStore.MIN_PART_SIZE;

    private final AwsEmulators aws;

    S3ArchiveStoreIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @Override
    protected S3ArchiveStore openStore() {
        return new S3ArchiveStore(aws.s3(), aws.s3Presigner(), aws.bucketName(), PART, 2);
    }

    @Override
    protected Optional<Stored> read(String key) {
        HeadObjectResponse head;
        try {
            head = aws.s3().headObject(r -> r.bucket(aws.bucketName()).key(key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
        byte[] bytes = aws.s3().getObject(r -> r.bucket(aws.bucketName()).key(key), ResponseTransformer.toBytes())
                .asByteArray();
        assertEquals(head.contentLength(), bytes.length);
        return Optional.of(new Stored(head.contentType(), head.metadata(), bytes));
    }

    @Override
    protected List<String> keysUnder(String keyPrefix) {
        return aws.s3().listObjectsV2(r -> r.bucket(aws.bucketName()).prefix(keyPrefix)).contents().stream()
                .map(o -> o.key()).sorted().toList();
    }

    @Test
    void storesLargeObjectInParts_whenLengthIsUnknown() throws IOException {
        byte[] bytes = bytes(2 * PART + PART / 2 + 3);
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes), -1, Long.MAX_VALUE);

        store.put(spec("0.mp4", "video/mp4"), body);

        assertStored(prefix + "0.mp4", bytes, "video/mp4");
        assertNoUploadsLeft();
    }

    @Test
    void reusesPartBuffersAcrossPuts_withoutMixingContents() throws IOException {
        byte[] longer = bytes(3 * PART + 11);
        byte[] shorter = bytes(PART + 7);

        store.put(spec("a.mp4", "video/mp4"), new MeasuredStream(new ByteArrayInputStream(longer), -1, Long.MAX_VALUE));
        store.put(spec("b.mp4", "video/mp4"), new MeasuredStream(new ByteArrayInputStream(shorter), -1, Long.MAX_VALUE));
        store.put(spec("c.png", "image/png"), new MeasuredStream(new ByteArrayInputStream(shorter, 0, 100), -1, Long.MAX_VALUE));

        assertStored(prefix + "a.mp4", longer, "video/mp4");
        assertStored(prefix + "b.mp4", shorter, "video/mp4");
        assertStored(prefix + "c.png", java.util.Arrays.copyOf(shorter, 100), "image/png");
    }

    @Test
    void storesObjectOfExactlyOnePart_whenLengthIsDeclared() throws IOException {
        byte[] bytes = bytes(PART);
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes), bytes.length, Long.MAX_VALUE);

        store.put(spec("1.mp4", "video/mp4"), body);

        assertStored(prefix + "1.mp4", bytes, "video/mp4");
    }

    @Test
    void storesSmallUnannouncedObjectWithOnePut() throws IOException {
        byte[] bytes = bytes(PART - 1);
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes), -1, Long.MAX_VALUE);

        store.put(spec("2.png", "image/png"), body);

        assertStored(prefix + "2.png", bytes, "image/png");
    }

    @Test
    void leavesNoObjectAndNoUpload_whenDownloadIsCutAfterSeveralParts() throws IOException {
        byte[] bytes = bytes(3 * PART);
        InputStream cut = new ByteArrayInputStream(bytes, 0, 2 * PART + 100);
        MeasuredStream body = new MeasuredStream(cut, bytes.length, Long.MAX_VALUE);

        assertThrows(TruncatedOutputException.class, () -> store.put(spec("cut.mp4", "video/mp4"), body));

        assertAbsent(prefix + "cut.mp4");
        assertNoUploadsLeft();
    }

    @Test
    void abortsUpload_whenUnannouncedBodyPassesCap() throws IOException {
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes(2 * PART + 1)), -1, 2L * PART);

        assertThrows(OutputTooLargeException.class, () -> store.put(spec("big.mp4", "video/mp4"), body));

        assertAbsent(prefix + "big.mp4");
        assertNoUploadsLeft();
    }

    @Test
    void abortsUpload_whenAPartFailsToUpload() throws IOException {
        PartUploader real = new PresignedPartUploader(aws.s3Presigner(), aws.s3().serviceClientConfiguration().credentialsProvider());
        List<Integer> stored = Collections.synchronizedList(new ArrayList<>());
        PartUploader failingSecond = (part, bytes, length) -> {
            if (part.number() == 2) {
                throw new IOException("simulated part failure");
            }
            String etag = real.upload(part, bytes, length);
            stored.add(part.number());
            return etag;
        };
        S3ArchiveStore store = new S3ArchiveStore(aws.s3(), failingSecond, aws.bucketName(), PART, 2);
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes(4 * PART)), -1, Long.MAX_VALUE);

        IOException e = assertThrows(IOException.class, () -> store.put(spec("fail.mp4", "video/mp4"), body));

        assertTrue(e.getMessage().contains("could not store a part") && e.getMessage().contains("simulated part failure"),
                e.getMessage());
        assertTrue(stored.contains(1), "part 1 reached S3 before the failure, so the abort had a real part to drop");
        assertAbsent(prefix + "fail.mp4");
        assertNoUploadsLeft();
    }

    @Test
    void refusesAPartWhoseBytesChangedAfterItsChecksum_andLeavesNothing() throws IOException {
        PartUploader real = new PresignedPartUploader(aws.s3Presigner(), aws.s3().serviceClientConfiguration().credentialsProvider());
        PartUploader corrupting = (part, bytes, length) -> {
            byte[] damaged = bytes.clone();
            damaged[length / 2] ^= 1;
            return real.upload(part, damaged, length);
        };
        S3ArchiveStore store = new S3ArchiveStore(aws.s3(), corrupting, aws.bucketName(), PART, 2);
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes(2 * PART)), -1, Long.MAX_VALUE);

        IOException e = assertThrows(IOException.class, () -> store.put(spec("damaged.mp4", "video/mp4"), body));

        assertTrue(e.getMessage().contains("HTTP 400 BadDigest"), e.getMessage());
        assertAbsent(prefix + "damaged.mp4");
        assertNoUploadsLeft();
    }

    @Test
    void refusesPartSizeBelowS3Minimum() {
        assertThrows(IllegalArgumentException.class, () -> new S3ArchiveStore(aws.s3(), aws.s3Presigner(), "b", PART - 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new S3ArchiveStore(aws.s3(), aws.s3Presigner(), "b", PART, 0));
    }

    private void assertNoUploadsLeft() {
        assertEquals(List.of(), aws.s3().listMultipartUploads(r -> r.bucket(aws.bucketName()).prefix(prefix))
                .uploads().stream().map(u -> u.key()).toList());
    }
}
