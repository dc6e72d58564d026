package com.runwayrelay.aws.gateway;

import com.runwayrelay.aws.s3.LinkSigner;
import com.runwayrelay.domain.gateway.ArchiveAccess;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;

/** {@link ArchiveAccess} on the archive bucket: links from {@link LinkSigner}, deletes one object at a time. */
public final class S3ArchiveAccess implements ArchiveAccess {
    private final LinkSigner signer;
    private final S3Client s3;
    private final String bucket;

    public S3ArchiveAccess(LinkSigner signer, S3Client s3, String bucket) {
        this.signer = signer;
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Link link(String key, Duration lifetime) {
        LinkSigner.SignedLink signed = signer.sign(key, lifetime);
        return new Link(signed.url(), signed.expiresAt());
    }

    @Override
    public void delete(List<String> keys) {
        // A task has a handful of outputs; single deletes need only s3:DeleteObject and no Content-MD5.
        for (String key : keys) {
            s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
        }
    }
}
