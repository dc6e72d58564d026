package com.runwayrelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a stream reader stands in each shard, kept in a small JSON file so a restarted stack resumes
 * after the last record it handled instead of replaying the stream or skipping what it had not yet
 * handled. Without a file (an ephemeral stack) positions live in memory only.
 *
 * <p>Not thread-safe: one stream reader owns one instance.
 */
final class StreamCheckpoints {

    /** Where to resume in a shard. */
    enum Kind {
        /** After the records that existed when the reader first saw the shard (first start). */
        LATEST,
        /** From the oldest record kept (a shard that appeared while the stack was running). */
        TRIM_HORIZON,
        /** At {@link Position#sequenceNumber()}: a record read but not yet handled when the reader stopped. */
        AT_SEQUENCE_NUMBER,
        /** After {@link Position#sequenceNumber()}. */
        AFTER_SEQUENCE_NUMBER
    }

    /**
     * A shard's position.
     *
     * @param kind           where to resume
     * @param sequenceNumber the last record handled, for {@link Kind#AFTER_SEQUENCE_NUMBER}
     * @param finished       the shard is closed and every record in it was handled
     */
    record Position(Kind kind, String sequenceNumber, boolean finished) {
        static Position after(String sequenceNumber) {
            return new Position(Kind.AFTER_SEQUENCE_NUMBER, sequenceNumber, false);
        }

        static Position at(String sequenceNumber) {
            return new Position(Kind.AT_SEQUENCE_NUMBER, sequenceNumber, false);
        }

        /** Whether it names a record, rather than an end of the shard. */
        boolean exact() {
            return kind == Kind.AT_SEQUENCE_NUMBER || kind == Kind.AFTER_SEQUENCE_NUMBER;
        }

        Position finish() {
            return new Position(kind, sequenceNumber, true);
        }
    }

    private final Optional<Path> file;
    private final String streamArn;
    private final boolean firstStart;
    private final Map<String, Position> shards;

    private StreamCheckpoints(Optional<Path> file, String streamArn, boolean firstStart, Map<String, Position> shards) {
        this.file = file;
        this.streamArn = streamArn;
        this.firstStart = firstStart;
        this.shards = shards;
    }

    /**
     * Reads the positions saved for {@code streamArn}. A missing file, or one written for another stream
     * (the table was recreated), counts as a first start.
     *
     * @throws UncheckedIOException if the file exists but cannot be read or parsed
     */
    static StreamCheckpoints load(Optional<Path> file, String streamArn) {
        Map<String, Position> shards = new LinkedHashMap<>();
        if (file.isEmpty() || !Files.exists(file.get())) {
            return new StreamCheckpoints(file, streamArn, true, shards);
        }
        JsonNode saved;
        try {
            saved = Json.MAPPER.readTree(file.get().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read stream positions " + file.get() + " (delete it to start over at the stream's end)", e);
        }
        if (!streamArn.equals(saved.path("streamArn").asText())) {
            return new StreamCheckpoints(file, streamArn, true, shards);
        }
        saved.path("shards").properties().forEach(entry -> {
            JsonNode position = entry.getValue();
            shards.put(entry.getKey(), new Position(Kind.valueOf(position.path("kind").asText(Kind.TRIM_HORIZON.name())),
                    position.hasNonNull("sequenceNumber") ? position.get("sequenceNumber").asText() : null,
                    position.path("finished").asBoolean(false)));
        });
        return new StreamCheckpoints(file, streamArn, false, shards);
    }

    /** Whether no positions were saved for this stream before. */
    boolean firstStart() {
        return firstStart;
    }

    /** The saved position in a shard. */
    Optional<Position> get(String shardId) {
        return Optional.ofNullable(shards.get(shardId));
    }

    /** Records a position; {@link #save()} writes it. */
    void put(String shardId, Position position) {
        shards.put(shardId, position);
    }

    /** Writes every position (atomically: a crash leaves the old file or the new one). */
    void save() {
        if (file.isEmpty()) {
            return;
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("streamArn", streamArn);
        ObjectNode shardsNode = root.putObject("shards");
        shards.forEach((id, position) -> {
            ObjectNode node = shardsNode.putObject(id);
            node.put("kind", position.kind().name());
            node.put("sequenceNumber", position.sequenceNumber());
            node.put("finished", position.finished());
        });
        Path target = file.get();
        try {
            Files.createDirectories(target.getParent());
            Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), root);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write stream positions " + target, e);
        }
    }
}
