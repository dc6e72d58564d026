/**
 * Archiving: copying a task's outputs from Runway's expiring links into the gateway's own store.
 *
 * <p>{@link com.runwayrelay.domain.archive.TaskArchiver} is the use case. It re-reads the task,
 * acts only on {@code OUTPUT_READY}, counts its attempts on the task, downloads each output
 * through the {@link com.runwayrelay.domain.archive.OutputSource} port, measures it on the way
 * ({@link com.runwayrelay.domain.archive.MeasuredStream}: byte count, SHA-256, declared length,
 * size cap) and hands the stream to the {@link com.runwayrelay.domain.archive.ArchiveStore} port,
 * then marks the task {@code ARCHIVED} (or {@code FAILED}, with an {@code ARCHIVE.*} code, when
 * the outputs can never be archived) with a conditional write. The rules it applies, which hosts
 * outputs may come from ({@link com.runwayrelay.domain.archive.OutputHosts}), which media types
 * are accepted ({@link com.runwayrelay.domain.archive.OutputMediaType}) and where objects go
 * ({@link com.runwayrelay.domain.archive.ArchiveKeys}), are plain values here; the network and
 * the bucket are adapters.
 */
package com.runwayrelay.domain.archive;
