/**
 * Archive adapters: {@link com.runwayrelay.aws.archive.GuardedDownloader} fetches Runway's outputs
 * over connections pinned to vetted addresses, and {@link com.runwayrelay.aws.archive.S3ArchiveStore}
 * streams them into the bucket in constant memory, whole or not at all; {@link com.runwayrelay.aws.archive.S3StoredOutputs}
 * streams them back out for delivery to the app's own storage.
 */
package com.runwayrelay.aws.archive;
