package com.runwayrelay.aws.archive;

import java.io.IOException;

/** Sends one part of a multipart upload to S3. */
@FunctionalInterface
interface PartUploader {

    /**
     * Which part: its upload, its 1-based number, and the CRC32 S3 must find in its bytes (base64
     * of the big-endian value, as in {@code x-amz-checksum-crc32}).
     */
    record Part(String bucket, String key, String uploadId, int number, String crc32) {
    }

    /**
     * Sends {@code length} bytes of {@code bytes} as {@code part}, retrying what is worth retrying.
     *
     * @return the part's ETag, for {@code CompleteMultipartUpload}
     * @throws IOException when S3 did not take the part
     */
    String upload(Part part, byte[] bytes, int length) throws IOException;
}
