package com.runwayrelay.domain.owned;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The trace of an owned create in progress, written before Runway is asked (documents, avatars, voices):
 * which app was creating what, and since when. A create whose outcome is known and leaves nothing
 * unowned removes it; one that may have left an orphan (a lost answer, a failed undo) keeps it, already
 * {@linkplain #reportedAt() reported}, as evidence; one that never finished (the function crashed or
 * timed out between Runway's create and the ownership record) leaves it unreported, for the poller's
 * {@link com.runwayrelay.domain.admin.InterruptedCreates} sweep to report once. Stores drop an intent
 * {@link #KEEP} after its start.
 *
 * @param intentId   unique per create
 * @param kind       what was being created
 * @param appId      the app creating it
 * @param name       the resource's name as sent to Runway ("" when the body named none)
 * @param startedAt  when the gateway wrote the intent, just before asking Runway (milliseconds)
 * @param reportedAt when the create was reported as a possible orphan (by the create itself or by the
 *                   sweep), or null while it is not
 */
public record CreateIntent(String intentId, ResourceKind kind, String appId, String name, Instant startedAt,
                           Instant reportedAt) {
    /** How long a store keeps an intent after its start: long enough for an operator to act on an alarm. */
    public static final Duration KEEP = Duration.ofDays(14);

    public CreateIntent {
        Objects.requireNonNull(intentId, "intentId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(startedAt, "startedAt");
        // Stores keep milliseconds; an intent read back equals the one written.
        startedAt = startedAt.truncatedTo(ChronoUnit.MILLIS);
        reportedAt = reportedAt == null ? null : reportedAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** This intent, reported at {@code at}. */
    public CreateIntent reported(Instant at) {
        return new CreateIntent(intentId, kind, appId, name, startedAt, at);
    }
}
