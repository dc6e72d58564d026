package com.runwayrelay.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Stands in for a stream event source's on-failure destination (the template's SQS queue): when a
 * batch has used up its retries, one JSON line describing it (function, shard, sequence range, the
 * records' keys, the reason) is appended to a file, as Lambda sends metadata, not the records, to
 * the queue. Without a file (an ephemeral stack) the stack log is the only trace.
 */
final class OnFailureDestination {

    private final Optional<Path> file;
    private final Clock clock;

    OnFailureDestination(Optional<Path> file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** Where the lines go, if anywhere. */
    Optional<Path> file() {
        return file;
    }

    /** Appends one line for a batch given up on. */
    synchronized void record(String function, String shardId, List<String> sequenceNumbers, List<String> keys, String reason) {
        if (file.isEmpty()) {
            return;
        }
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("time", clock.instant().toString());
        line.put("function", function);
        line.put("shardId", shardId);
        line.put("firstSequenceNumber", sequenceNumbers.getFirst());
        line.put("lastSequenceNumber", sequenceNumbers.getLast());
        line.put("records", sequenceNumbers.size());
        var keyArray = line.putArray("keys");
        keys.forEach(keyArray::add);
        line.put("reason", reason);
        try {
            Files.createDirectories(file.get().getParent());
            Files.writeString(file.get(), Json.MAPPER.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot append to " + file.get(), e);
        }
    }
}
