package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamFailureFileVariableTest {

    @Test
    void namesTheDataFoldersFailureFile_orNoneForAnEphemeralStack() {
        Path file = Path.of("data", "stream-failures.jsonl");

        assertEquals(Map.of("A", "1", "RELAY_STREAM_FAILURE_FILE", file.toAbsolutePath().toString()),
                LocalStack.withStreamFailureFile(Map.of("A", "1"), Optional.of(file)));
        assertEquals(Map.of("RELAY_STREAM_FAILURE_FILE", "none"), LocalStack.withStreamFailureFile(Map.of(), Optional.empty()));
    }
}
