package com.runwayrelay.aws.gateway;

import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code Prefer: wait=N} (RFC 7240) on the app API: a request held until its task ends as the app
 * sees it ({@link WireTask#status}: SUCCEEDED only once archived, so with links; FAILED; CANCELLED) or
 * the wait is over. It re-reads the stored task with a growing pause between reads and never asks
 * Runway: it rides on what the poller and the archiver write, so a held request costs DynamoDB reads,
 * never Runway calls. Used by {@code GET /v1/tasks/{id}} (status) and by every create (submit).
 */
public final class TaskWait {
    /** The longest wait a request may hold: API Gateway's 30 s integration limit minus a margin. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(25);
    /** The first pause between two reads of a waited-for task; each next one is half as long again. */
    public static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    /** The longest pause between two reads. */
    public static final Duration MAX_PAUSE = Duration.ofSeconds(2);
    /** A wait in whole seconds; longer numbers than this are capped anyway. */
    private static final Pattern WAIT_SECONDS = Pattern.compile("[0-9]{1,6}");

    private final TaskRepository tasks;
    private final Clock clock;
    private final Sleeper sleeper;

    /**
     * @param clock   measures a wait
     * @param sleeper pauses between reads ({@code Thread::sleep} in production)
     */
    public TaskWait(TaskRepository tasks, Clock clock, Sleeper sleeper) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * The task once the app sees it ended or {@code wait} (capped at {@link #MAX_WAIT}) has passed,
     * whichever comes first; empty as soon as a read finds no task the app may see ({@code visible}).
     * An interrupted wait answers with the task as last read.
     */
    public Optional<Task> await(String taskId, Predicate<Task> visible, Duration wait) {
        Duration limit = capped(wait);
        Instant until = clock.instant().plus(limit);
        Duration pause = FIRST_PAUSE;
        while (true) {
            Optional<Task> found = tasks.find(taskId).filter(visible);
            if (found.isEmpty()) {
                return found;
            }
            Task task = found.get();
            Duration left = Duration.between(clock.instant(), until);
            if (WireTask.status(task).terminal() || left.isZero() || left.isNegative()) {
                return found;
            }
            try {
                sleeper.sleep(pause.compareTo(left) < 0 ? pause : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
            Duration longer = pause.plus(pause.dividedBy(2));
            pause = longer.compareTo(MAX_PAUSE) < 0 ? longer : MAX_PAUSE;
        }
    }

    /** The wait honoured for a preferred one: at most {@link #MAX_WAIT}. */
    public static Duration capped(Duration wait) {
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    /**
     * The {@code wait} preference of a {@code Prefer} header (RFC 7240): whole seconds, in a
     * comma-separated list of preferences, any of which may carry parameters after {@code ;}.
     * A preference the gateway does not understand, or a {@code wait} that is not a whole number,
     * is ignored, as the RFC asks; the first {@code wait} counts.
     */
    public static Optional<Duration> preferredWait(String prefer) {
        if (prefer == null) {
            return Optional.empty();
        }
        for (String preference : prefer.split(",")) {
            String token = preference.split(";", 2)[0].trim();
            int equals = token.indexOf('=');
            if (equals < 0 || !token.substring(0, equals).trim().equalsIgnoreCase("wait")) {
                continue;
            }
            String value = token.substring(equals + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (!WAIT_SECONDS.matcher(value).matches()) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        }
        return Optional.empty();
    }

    /** Pauses; {@code Thread::sleep} in production, a clock-advancing fake in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }
}
