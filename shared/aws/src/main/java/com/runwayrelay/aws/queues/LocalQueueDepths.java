package com.runwayrelay.aws.queues;

import com.runwayrelay.domain.admin.QueueDepths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link QueueDepths} of the local stack, which has no SQS. Its stream readers stand in for the
 * stream-failure queue by appending one JSON line per batch given up on to a file in the stack's data
 * folder ({@code stream-failures.jsonl}); that file's line count is the depth. An ephemeral stack has no
 * such file, and no stack has a poller dead-letter queue (a failed local poller run is logged and the
 * next tick runs again): both are absent by design, {@link QueueDepths.Depth.NotAvailable}, never zero.
 * A file that is there but cannot be read is a {@link QueueDepths.Depth.CheckFailed}.
 */
public final class LocalQueueDepths implements QueueDepths {
    /**
     * Local-only variable: the stream-failure file's path, or {@value #EPHEMERAL} for a stack without a
     * data folder. Its presence is what tells a function it runs in the local stack
     * ({@link QueueDepthsFromEnv}).
     */
    public static final String STREAM_FAILURE_FILE = "RELAY_STREAM_FAILURE_FILE";
    /** {@link #STREAM_FAILURE_FILE} of an ephemeral stack. */
    public static final String EPHEMERAL = "none";

    private final Optional<Path> streamFailureFile;

    public LocalQueueDepths(Optional<Path> streamFailureFile) {
        this.streamFailureFile = streamFailureFile;
    }

    @Override
    public Depth pollerDeadLetters() {
        return new Depth.NotAvailable("the local stack has no poller dead-letter queue: a failed poller run is logged"
                + " and the next tick runs again");
    }

    @Override
    public Depth streamFailures() {
        if (streamFailureFile.isEmpty()) {
            return new Depth.NotAvailable("an ephemeral local stack records stream failures only in its log");
        }
        Path file = streamFailureFile.get();
        if (!Files.exists(file)) {
            // The stack creates the file with the first batch it gives up on: none so far.
            return new Depth.Known(0);
        }
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return new Depth.Known(lines.filter(line -> !line.isBlank()).count());
        } catch (IOException | UncheckedIOException e) {
            return new Depth.CheckFailed("could not read " + file + ": " + e.getMessage());
        }
    }
}
