package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
    @TempDir
    Path temp;

    @Test
    void open_createsAndLocksTheFolder_soASecondStackIsRefused() {
        Path folder = temp.resolve("data");
        assertFalse(DataDirectory.inUse(folder));
        try (DataDirectory data = DataDirectory.open(folder, false)) {
            assertTrue(Files.exists(folder.resolve(DataDirectory.MARKER)));
            assertTrue(DataDirectory.inUse(folder));
            var error = assertThrows(StackStartException.class, () -> DataDirectory.open(folder, false));
            assertTrue(error.getMessage().contains("in use by another ./relay process"), error.getMessage());
            assertEquals(folder.toAbsolutePath(), data.root());
        }
        assertFalse(DataDirectory.inUse(folder), "closing releases the lock");
        DataDirectory.open(folder, false).close();
    }

    @Test
    void open_withReset_emptiesAFolderOfTheStack() throws Exception {
        Path folder = temp.resolve("data");
        try (DataDirectory data = DataDirectory.open(folder, false)) {
            Files.createDirectories(data.aws().resolve("dynamodb"));
            Files.writeString(data.devApp(), "{}");
        }
        try (DataDirectory data = DataDirectory.open(folder, true)) {
            assertFalse(Files.exists(data.aws()));
            assertFalse(Files.exists(data.devApp()));
            assertTrue(Files.exists(folder.resolve(DataDirectory.MARKER)));
        }
    }

    @Test
    void open_withReset_refusesAForeignFolder() throws Exception {
        Path foreign = Files.createDirectories(temp.resolve("home"));
        Files.writeString(foreign.resolve("thesis.tex"), "precious");

        var error = assertThrows(StackStartException.class, () -> DataDirectory.open(foreign, true));
        assertTrue(error.getMessage().contains("refusing to reset"), error.getMessage());
        assertTrue(Files.exists(foreign.resolve("thesis.tex")));
    }

    @Test
    void writePrivate_leavesAFileOnlyItsOwnerCanRead() throws Exception {
        Path file = temp.resolve("sub/secret.json");
        DataDirectory.writePrivate(file, "{\"key\":\"x\"}");

        assertEquals("{\"key\":\"x\"}", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
