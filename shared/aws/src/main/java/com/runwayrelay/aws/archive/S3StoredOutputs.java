package com.runwayrelay.aws.archive;

import com.runwayrelay.domain.delivery.StoredOutputs;
import java.io.IOException;
import java.util.Objects;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * {@link StoredOutputs} over S3: a GET whose body is handed on as the open response stream, so an
 * output of any size passes through in the SDK's buffer, never whole in memory.
 */
public final class S3StoredOutputs implements StoredOutputs {
    private final S3Client s3;
    private final String bucket;

    public S3StoredOutputs(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    @Override
    public StoredOutput open(String key) throws IOException {
        try {
            ResponseInputStream<GetObjectResponse> body = s3.getObject(GetObjectRequest.builder()
                    .bucket(bucket).key(key).build());
            Long length = body.response().contentLength();
            if (length == null) {
                body.abort();
                throw new IOException("S3 answered without a Content-Length for " + key);
            }
            return new StoredOutput(body, length);
        } catch (SdkException e) {
            throw new IOException("reading " + key + " from the archive failed: " + e.getMessage(), e);
        }
    }
}
