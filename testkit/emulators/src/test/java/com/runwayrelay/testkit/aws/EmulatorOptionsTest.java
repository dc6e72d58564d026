package com.runwayrelay.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmulatorOptionsTest {

    @Test
    void inMemory_usesFreePortsAndDefaultNames() {
        EmulatorOptions options = EmulatorOptions.inMemory();
        assertFalse(options.persistent());
        assertEquals(0, options.dynamoPort());
        assertEquals(0, options.s3Port());
        assertEquals("relay-tasks", options.tableName());
        assertEquals("relay-archive", options.bucketName());
    }

    @Test
    void persistentIn_keepsDirectory() {
        EmulatorOptions options = EmulatorOptions.persistentIn(Path.of("data"));
        assertTrue(options.persistent());
        assertEquals(Optional.of(Path.of("data")), options.dataDirectory());
    }

    @Test
    void withers_changeOnlyTheirComponent() {
        EmulatorOptions options = EmulatorOptions.inMemory().withDynamoPort(8000).withS3Port(9000)
                .withTableName("other_table").withBucketName("other-bucket");
        assertEquals(new EmulatorOptions(Optional.empty(), 8000, 9000, "other_table", "other-bucket"), options);
    }

    @Test
    void constructor_rejectsPortOutOfRange_namingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmulatorOptions.inMemory().withS3Port(70_000));
        assertEquals("s3Port must be 0 (any free port) or 1-65535, was 70000", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EmulatorOptions.inMemory().withDynamoPort(-1));
    }

    @Test
    void constructor_rejectsSameFixedPortTwice() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmulatorOptions.inMemory().withDynamoPort(4566).withS3Port(4566));
        assertTrue(e.getMessage().contains("both 4566"), e.getMessage());
    }

    @Test
    void constructor_rejectsInvalidNames() {
        assertThrows(IllegalArgumentException.class, () -> EmulatorOptions.inMemory().withTableName("ab"));
        assertThrows(IllegalArgumentException.class, () -> EmulatorOptions.inMemory().withTableName("has space"));
        assertThrows(IllegalArgumentException.class, () -> EmulatorOptions.inMemory().withBucketName("Upper"));
        assertThrows(IllegalArgumentException.class, () -> EmulatorOptions.inMemory().withBucketName("-lead"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmulatorOptions.inMemory().withBucketName("a--b"));
        assertTrue(e.getMessage().startsWith("bucketName 'a--b'"), e.getMessage());
    }

    @Test
    void constructor_rejectsNullDirectoryHolder() {
        assertThrows(NullPointerException.class, () -> new EmulatorOptions(null, 0, 0, "table", "bucket"));
    }
}
