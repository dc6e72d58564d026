/**
 * Archive adapters: {@link com.runwayrelay.aws.archive.GuardedDownloader} fetches Runway's outputs
 * over connections pinned to vetted addresses, and {@link com.runwayrelay.aws.archive.S3ArchiveStore}
 * streams them into the bucket in constant memory, whole or not at all.
 */
package com.runwayrelay.aws.archive;
