package com.runwayrelay.domain;

import java.time.Instant;

/**
 * One Runway create for a task, kept so the status endpoint can show what was tried.
 *
 * @param number       1 for the first create
 * @param runwayTaskId the Runway task it produced, or null when the create failed
 * @param startedAt    when the create was sent
 * @param outcome      e.g. {@code CREATED}, {@code FAILED}, {@code REJECTED}, {@code AMBIGUOUS}
 * @param failureCode  Runway's failure code when that Runway task failed, or null
 * @param failure      a human-readable reason when it failed, or null
 */
public record Attempt(int number, String runwayTaskId, Instant startedAt, String outcome, String failureCode,
                      String failure) {
}
