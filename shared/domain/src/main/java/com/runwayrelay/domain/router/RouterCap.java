package com.runwayrelay.domain.router;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the gateway knows of one Model Router configuration, read from Runway's answer to the last
 * admin call that carried it: enough to reserve credits for a routed generation without asking
 * Runway first.
 *
 * @param slug      the configuration's slug, the {@code configId} apps send
 * @param runwayId  Runway's id of the configuration (what the admin routes take)
 * @param maxCredits {@code settings.maxCreditsPerGeneration} per kind ({@code video}, {@code image},
 *                  {@code audio}); a kind without a cap is absent
 * @param seenAt    when the gateway last read it from Runway
 */
public record RouterCap(String slug, String runwayId, Map<String, Long> maxCredits, Instant seenAt) {
    public RouterCap {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(runwayId, "runwayId");
        Objects.requireNonNull(seenAt, "seenAt");
        maxCredits = Map.copyOf(maxCredits == null ? Map.of() : maxCredits);
        maxCredits.forEach((kind, credits) -> {
            if (credits < 0) {
                throw new IllegalArgumentException("maxCredits of " + kind + " must be >= 0");
            }
        });
    }

    /** The most credits one generation of {@code kind} may cost through this router, when capped. */
    public OptionalLong cap(String kind) {
        return Optional.ofNullable(maxCredits.get(kind)).map(OptionalLong::of).orElse(OptionalLong.empty());
    }
}
