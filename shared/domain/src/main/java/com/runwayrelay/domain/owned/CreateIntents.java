package com.runwayrelay.domain.owned;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * The intent around an owned create ({@link CreateIntent}): {@link #begin} before Runway is asked,
 * {@link #finish} once the outcome is known. A failure to write the intent stops the create before
 * Runway (the caller answers "unavailable"); a failure to remove or mark it afterwards is swallowed:
 * the app's create already happened as answered, and the worst that follows is one
 * {@code interrupted_create} report by the sweep for a create that ended well (a false alarm, which the
 * operator's orphan scan then shows as owned).
 */
final class CreateIntents {
    /** The wait an app is told before retrying a create whose intent could not be written. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final OwnershipStore store;
    private final Clock clock;

    CreateIntents(OwnershipStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Writes the intent of {@code appId} creating a {@code kind} named {@code name} (null as "").
     *
     * @throws RuntimeException when the store fails; nothing may then be created at Runway
     */
    CreateIntent begin(String appId, ResourceKind kind, String name) {
        CreateIntent intent = new CreateIntent(UUID.randomUUID().toString(), kind, appId, name == null ? "" : name,
                clock.instant(), null);
        store.recordIntent(intent);
        return intent;
    }

    /** Why a create was refused when {@link #begin} failed with {@code e}. */
    static String notBegun(RuntimeException e) {
        return "the create could not be prepared (" + e.getClass().getSimpleName() + "); nothing was created at Runway";
    }

    /**
     * Ends the intent: kept and marked reported when the create may have left an orphan (the caller reports
     * it), else removed. Never throws.
     */
    void finish(CreateIntent intent, boolean possibleOrphan) {
        try {
            if (possibleOrphan) {
                store.markIntentReported(intent, clock.instant());
            } else {
                store.removeIntent(intent.kind(), intent.intentId());
            }
        } catch (RuntimeException e) {
            // Deliberately swallowed (see the class comment): the sweep reports the intent at worst.
        }
    }
}
