package com.runwayrelay.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DockerProbeTest {

    private static final Path HOME = Path.of("/home/tester");

    @Test
    void unavailableReason_skipsEngineCheck_whenNothingConfigured() {
        AtomicBoolean checked = new AtomicBoolean();

        Optional<String> reason = DockerProbe.unavailableReason(Map.of(), HOME, path -> false, false,
                () -> checked.getAndSet(true), Duration.ofSeconds(5));

        assertTrue(reason.orElseThrow().startsWith("no Docker engine configured"), reason.toString());
        assertFalse(checked.get());
    }

    @Test
    void unavailableReason_isEmpty_whenSocketExistsAndEngineAnswers() {
        Optional<String> reason = DockerProbe.unavailableReason(Map.of(), HOME, Path.of("/var/run/docker.sock")::equals, false,
                () -> true, Duration.ofSeconds(5));

        assertEquals(Optional.empty(), reason);
    }

    @Test
    void unavailableReason_explains_whenConfiguredEngineIsDown() {
        Optional<String> reason = DockerProbe.unavailableReason(Map.of("DOCKER_HOST", "tcp://127.0.0.1:1"), HOME, path -> false, false,
                () -> false, Duration.ofSeconds(5));

        assertEquals(Optional.of("Testcontainers found no working Docker engine"), reason);
    }

    /** Without the probe's timeout the call would never return; the JUnit timeout is only a hang guard. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void unavailableReason_givesUpAtTimeout_whenEngineNeverAnswers() {
        CountDownLatch never = new CountDownLatch(1);

        Optional<String> reason = DockerProbe.unavailableReason(Map.of("DOCKER_HOST", "tcp://10.0.0.1:2375"), HOME, path -> false, false,
                () -> {
                    never.await();
                    return true;
                }, Duration.ofMillis(300));

        assertTrue(reason.orElseThrow().contains("DOCKER_HOST=tcp://10.0.0.1:2375"), reason.toString());
    }

    @Test
    void unavailableReason_countsTestcontainersPropertiesAsConfiguration() {
        Optional<String> reason = DockerProbe.unavailableReason(Map.of(), HOME, HOME.resolve(".testcontainers.properties")::equals, false,
                () -> true, Duration.ofSeconds(5));

        assertEquals(Optional.empty(), reason);
    }
}
