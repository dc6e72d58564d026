package com.runwayrelay.domain;

import java.time.Instant;

/**
 * One Runway create for a task, kept so the status endpoint can show what was tried.
 *
 * @param number       1 for the first create
 * @param runwayTaskId the Runway task it produced, or null when the create failed
 * @param startedAt    when the create was sent
 * @param outcome      how it ended so far
 * @param failureCode  Runway's failure code when that Runway task failed, or null
 * @param failure      a human-readable reason when it failed, or null
 */
public record Attempt(int number, String runwayTaskId, Instant startedAt, AttemptOutcome outcome, String failureCode,
                      String failure) {

    /** Whether this attempt ended (so far) as {@code expected}. */
    public boolean is(AttemptOutcome expected) {
        return outcome == expected;
    }
}
