package com.runwayrelay.domain.archive;

import com.runwayrelay.domain.Task;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts a task's archive attempts in its {@code stateReason}, the field that says why an
 * OUTPUT_READY task is still not archived: "archive attempt 2 of 3 started" is written before
 * work begins (so a run that times out or crashes still counts), "archive attempt 2 of 3
 * failed: &lt;why&gt;" when it failed. Readable on the status endpoint as it is, and no new task
 * attribute.
 */
final class ArchiveAttempts {
    private static final Pattern ATTEMPT = Pattern.compile("^archive attempt (\\d{1,4}) of \\d{1,4} (started|failed: (.*))$",
            Pattern.DOTALL);

    private ArchiveAttempts() {
    }

    /** Attempts made so far: the number in the task's reason, 0 when it has none. */
    static int made(Task task) {
        Matcher m = matcher(task);
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
        Matcher m = matcher(task);
        if (m == null) {
            return "unknown";
        }
        return m.group(3) != null ? m.group(3) : "the run ended before finishing (timed out or crashed)";
    }

    private static Matcher matcher(Task task) {
        if (task.stateReason() == null) {
            return null;
        }
        Matcher m = ATTEMPT.matcher(task.stateReason());
        return m.matches() ? m : null;
    }
}
