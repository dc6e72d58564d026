package com.runwayrelay.domain.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchiveKeysTest {
    private static final String TASK = "0b6f3d1e-4c2a-4f8e-9d3b-7a1c2e5f6a90";

    @Test
    void buildsPrefixAppTaskIndexExtension() {
        assertEquals("outputs/app_01HZX/" + TASK + "/2.mp4", ArchiveKeys.of("outputs", "app_01HZX", TASK, 2, "mp4"));
        assertEquals("relay/outputs/app_1/" + TASK + "/0.png", ArchiveKeys.of("relay/outputs", "app_1", TASK, 0, "png"));
    }

    @Test
    void taskPrefixCoversEveryKeyOfTheTask() {
        String prefix = ArchiveKeys.taskPrefix("outputs", "app_1", TASK);

        assertEquals("outputs/app_1/" + TASK + "/", prefix);
        assertEquals(true, ArchiveKeys.of("outputs", "app_1", TASK, 7, "wav").startsWith(prefix));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "..", "", "-x", "x y"})
    void refusesIds_whenTheyWouldChangeTheKeyShape(String appId) {
        assertThrows(IllegalArgumentException.class, () -> ArchiveKeys.of("outputs", appId, TASK, 0, "png"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/outputs", "outputs/", "out//puts", "a/../b", ""})
    void refusesPrefix_whenNotCleanSegments(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> ArchiveKeys.checkPrefix(prefix));
    }

    @Test
    void putsAnInvocationsOutputUnderItsNode_withinTheTasksPrefix() {
        String key = ArchiveKeys.of("outputs", "app_1", TASK, "b2a4c6d8-0002", 1, "png");
        assertEquals("outputs/app_1/" + TASK + "/b2a4c6d8-0002/1.png", key);
        assertEquals(true, key.startsWith(ArchiveKeys.taskPrefix("outputs", "app_1", TASK)));
        assertThrows(IllegalArgumentException.class, () -> ArchiveKeys.of("outputs", "app_1", TASK, "../x", 0, "png"));
        assertThrows(IllegalArgumentException.class, () -> ArchiveKeys.of("outputs", "app_1", TASK, "a/b", 0, "png"));
    }

    @Test
    void refusesNegativeIndex() {
        assertThrows(IllegalArgumentException.class, () -> ArchiveKeys.of("outputs", "app", TASK, -1, "png"));
    }
}
