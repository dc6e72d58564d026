package com.runwayrelay.aws.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.archive.ArchiveStore.ObjectSpec;
import com.runwayrelay.domain.archive.MeasuredStream;
import com.runwayrelay.domain.archive.OutputTooLargeException;
import com.runwayrelay.domain.archive.TruncatedOutputException;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

@WithAwsEmulators
class S3ArchiveStoreIT {
    private static final int PART = S3ArchiveStore.MIN_PART_SIZE;

    private final AwsEmulators aws;
    private final String prefix = "it-" + UUID.randomUUID() + "/";

    S3ArchiveStoreIT(AwsEmulators aws) {
        this.aws = aws;
    }

    private S3ArchiveStore store(S3Client s3) {
        return new S3ArchiveStore(s3, aws.s3Presigner(), aws.bucketName(), PART, 2);
    }

    private ObjectSpec spec(String name, String type) {
        return new ObjectSpec(prefix + name, type, Map.of("task-id", "t-1", "model", "gen4_image"));
    }

    @Test
    void storesSmallObjectWithOnePut_whenLengthIsKnown() throws IOException {
        byte[] bytes = bytes(1000);
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes), bytes.length, Long.MAX_VALUE);

        store(aws.s3()).put(spec("0.png", "image/png"), body);

        assertStored(prefix + "0.png", bytes, "image/png");
    }

    @Test
    void storesEmptyObject() throws IOException {
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(new byte[0]), 0, Long.MAX_VALUE);

        store(aws.s3()).put(spec("empty.wav", "audio/wav"), body);

        assertStored(prefix + "empty.wav", new byte[0], "audio/wav");
    }

    @Test
    void storesLargeObjectInParts_whenLengthIsUnknown() throws IOException {
        byte[] bytes = bytes(2 * PART + PART / 2 + 3);
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes), -1, Long.MAX_VALUE);

        store(aws.s3()).put(spec("0.mp4", "video/mp4"), body);

        assertStored(prefix + "0.mp4", bytes, "video/mp4");
        assertNoUploadsLeft();
    }

    @Test
    void reusesPartBuffersAcrossPuts_withoutMixingContents() throws IOException {
        S3ArchiveStore store = store(aws.s3());
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

        store(aws.s3()).put(spec("1.mp4", "video/mp4"), body);

        assertStored(prefix + "1.mp4", bytes, "video/mp4");
    }

    @Test
    void storesSmallUnannouncedObjectWithOnePut() throws IOException {
        byte[] bytes = bytes(PART - 1);
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes), -1, Long.MAX_VALUE);

        store(aws.s3()).put(spec("2.png", "image/png"), body);

        assertStored(prefix + "2.png", bytes, "image/png");
    }

    @Test
    void replacesObject_whenSameKeyIsStoredAgain() throws IOException {
        S3ArchiveStore store = store(aws.s3());
        store.put(spec("0.png", "image/png"), new MeasuredStream(new ByteArrayInputStream(bytes(10)), 10, 100));
        byte[] again = "second".getBytes();

        store.put(spec("0.png", "image/png"), new MeasuredStream(new ByteArrayInputStream(again), again.length, 100));

        assertStored(prefix + "0.png", again, "image/png");
        assertEquals(1, aws.s3().listObjectsV2(r -> r.bucket(aws.bucketName()).prefix(prefix)).keyCount());
    }

    @Test
    void leavesNoObjectAndNoUpload_whenDownloadIsCutAfterSeveralParts() throws IOException {
        byte[] bytes = bytes(3 * PART);
        InputStream cut = new ByteArrayInputStream(bytes, 0, 2 * PART + 100);
        MeasuredStream body = new MeasuredStream(cut, bytes.length, Long.MAX_VALUE);

        assertThrows(TruncatedOutputException.class, () -> store(aws.s3()).put(spec("cut.mp4", "video/mp4"), body));

        assertAbsent(prefix + "cut.mp4");
        assertNoUploadsLeft();
    }

    @Test
    void leavesNoObject_whenDownloadIsCutWithinFirstPart() throws IOException {
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes(100)), 1000, Long.MAX_VALUE);

        assertThrows(TruncatedOutputException.class, () -> store(aws.s3()).put(spec("cut.png", "image/png"), body));

        assertAbsent(prefix + "cut.png");
    }

    @Test
    void abortsUpload_whenUnannouncedBodyPassesCap() throws IOException {
        MeasuredStream body = new MeasuredStream(new ByteArrayInputStream(bytes(2 * PART + 1)), -1, 2L * PART);

        assertThrows(OutputTooLargeException.class, () -> store(aws.s3()).put(spec("big.mp4", "video/mp4"), body));

        assertAbsent(prefix + "big.mp4");
        assertNoUploadsLeft();
    }

    @Test
    void abortsUpload_whenAPartFailsToUpload() throws IOException {
        PartUploader real = new PresignedPartUploader(aws.s3Presigner());
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
        PartUploader real = new PresignedPartUploader(aws.s3Presigner());
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
    void deletesEveryObjectUnderPrefix_andNothingElse() throws IOException {
        S3ArchiveStore store = store(aws.s3());
        for (String name : List.of("t/0.png", "t/1.png", "other/0.png")) {
            store.put(spec(name, "image/png"), new MeasuredStream(new ByteArrayInputStream(bytes(5)), 5, 10));
        }

        store.deleteUnder(prefix + "t/");

        assertEquals(List.of(prefix + "other/0.png"), aws.s3().listObjectsV2(r -> r.bucket(aws.bucketName())
                .prefix(prefix)).contents().stream().map(o -> o.key()).toList());
    }

    @Test
    void refusesPartSizeBelowS3Minimum() {
        assertThrows(IllegalArgumentException.class, () -> new S3ArchiveStore(aws.s3(), aws.s3Presigner(), "b", PART - 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new S3ArchiveStore(aws.s3(), aws.s3Presigner(), "b", PART, 0));
    }

    private void assertStored(String key, byte[] expected, String contentType) {
        HeadObjectResponse head = aws.s3().headObject(r -> r.bucket(aws.bucketName()).key(key));
        assertEquals(contentType, head.contentType());
        assertEquals(expected.length, head.contentLength());
        assertEquals(sha256(expected), head.metadata().get("sha256"));
        assertEquals("t-1", head.metadata().get("task-id"));
        assertEquals("gen4_image", head.metadata().get("model"));
        byte[] stored = aws.s3().getObject(r -> r.bucket(aws.bucketName()).key(key), ResponseTransformer.toBytes())
                .asByteArray();
        assertEquals(sha256(expected), sha256(stored));
    }

    private void assertAbsent(String key) {
        assertThrows(NoSuchKeyException.class, () -> aws.s3().headObject(r -> r.bucket(aws.bucketName()).key(key)));
    }

    private void assertNoUploadsLeft() {
        assertEquals(List.of(), aws.s3().listMultipartUploads(r -> r.bucket(aws.bucketName()).prefix(prefix))
                .uploads().stream().map(u -> u.key()).toList());
    }

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
