package com.runwayrelay.testkit.aws;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;

/**
 * Decides quickly whether Docker-based tests can run. Testcontainers' own check is fast when
 * nothing is configured but can hang for minutes when {@code DOCKER_HOST} points at something
 * that accepts connections and never answers; so it is skipped when no engine is configured at
 * all, and otherwise run on a daemon thread with a hard time limit.
 */
final class DockerProbe {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private DockerProbe() {
    }

    /** Why Docker tests cannot run here, or empty when an engine answered. */
    static Optional<String> unavailableReason() {
        return unavailableReason(System.getenv(), Path.of(System.getProperty("user.home")), Files::exists,
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows"),
                () -> DockerClientFactory.instance().isDockerAvailable(), DEFAULT_TIMEOUT);
    }

    static Optional<String> unavailableReason(Map<String, String> env, Path home, Predicate<Path> exists, boolean windows,
            Callable<Boolean> engineAnswers, Duration timeout) {
        if (!configured(env, home, exists, windows)) {
            return Optional.of("no Docker engine configured (no DOCKER_HOST or TC_HOST, no Docker socket, no ~/.testcontainers.properties)");
        }
        FutureTask<Boolean> probe = new FutureTask<>(engineAnswers);
        Thread.ofPlatform().name("docker-probe").daemon().start(probe);
        try {
            return probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? Optional.empty()
                    : Optional.of("Testcontainers found no working Docker engine");
        } catch (TimeoutException e) {
            probe.cancel(true);
            return Optional.of("Docker did not answer within " + timeout.toSeconds() + " s"
                    + Optional.ofNullable(env.get("DOCKER_HOST")).map(host -> " (DOCKER_HOST=" + host + ")").orElse(""));
        } catch (ExecutionException e) {
            return Optional.of("Docker probe failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while probing Docker");
        }
    }

    private static boolean configured(Map<String, String> env, Path home, Predicate<Path> exists, boolean windows) {
        if (windows || env.containsKey("DOCKER_HOST") || env.containsKey("TC_HOST")) {
            return true;
        }
        Stream<Path> runtimeSocket = Optional.ofNullable(env.get("XDG_RUNTIME_DIR")).map(dir -> Path.of(dir, "docker.sock")).stream();
        List<Path> candidates = Stream.concat(runtimeSocket, Stream.of(
                home.resolve(".testcontainers.properties"),
                Path.of("/var/run/docker.sock"),
                Path.of("/run/docker.sock"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock"),
                home.resolve(".colima/default/docker.sock"),
                home.resolve(".rd/docker.sock"))).toList();
        return candidates.stream().anyMatch(exists);
    }
}
