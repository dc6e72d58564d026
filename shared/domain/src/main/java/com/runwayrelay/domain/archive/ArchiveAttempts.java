package com.runwayrelay.domain.archive;

import com.runwayrelay.domain.Task;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's archive attempts: counted in {@link Task.Archive#attempts()} before work begins (so a
 * run that times out or crashes still counts), with {@link Task.Archive#lastError()} when one
 * failed. The task's {@code stateReason} says the same for people ("archive attempt 2 of 3
 * started", "archive attempt 2 of 3 failed: &lt;why&gt;"), as the status endpoint shows it.
 *
 * <p>Tasks written before the count was a field of its own have it only in that reason; for them
 * (no attempt counted on the task) the reason is read, so an upgrade neither resets nor loses a
 * count.
 */
final class ArchiveAttempts {
    /** The reasons written before the count was a field; read only as a fallback. */
    private static final Pattern LEGACY = Pattern.compile("^archive attempt (\\d{1,4}) of \\d{1,4} (started|failed: (.*))$",
            Pattern.DOTALL);
    private static final String CUT_OFF = "the run ended before finishing (timed out or crashed)";

    private ArchiveAttempts() {
    }

    /** Attempts made so far: the task's count, else the number in an older task's reason, else 0. */
    static int made(Task task) {
        if (task.archive().attempts() > 0) {
            return task.archive().attempts();
        }
        Matcher m = legacy(task);
        return m == null ? 0 : Integer.parseInt(m.group(1));
    }

    /** The reason to write when attempt {@code n} starts. */
    static String started(int n, int max) {
        return "archive attempt " + n + " of " + max + " started";
    }

    /** The reason to write when attempt {@code n} failed. */
    static String failed(int n, int max, String why) {
        return "archive attempt " + n + " of " + max + " failed: " + why;
    }

    /** Why the last attempt failed, as recorded; a run that never recorded an end was cut off. */
    static String lastError(Task task) {
        if (task.archive().attempts() > 0) {
            return task.archive().lastError() != null ? task.archive().lastError() : CUT_OFF;
        }
        Matcher m = legacy(task);
        if (m == null) {
            return "unknown";
        }
        return m.group(3) != null ? m.group(3) : CUT_OFF;
    }

    private static Matcher legacy(Task task) {
        if (task.stateReason() == null) {
            return null;
        }
        Matcher m = LEGACY.matcher(task.stateReason());
        return m.matches() ? m : null;
    }
}
