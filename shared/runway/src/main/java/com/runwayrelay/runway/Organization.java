package com.runwayrelay.runway;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * The organization behind the API key ({@code GET /v1/organization}): credit balance, tier limits
 * and usage over the past (rolling) day.
 *
 * @param creditBalance credits left
 * @param maxMonthlyCreditSpend most credits purchasable in 30 days, or {@code null} if not given
 * @param modelLimits limits per model name
 * @param dailyGenerations generations per model name in the past 24 hours
 */
public record Organization(
        BigDecimal creditBalance,
        Long maxMonthlyCreditSpend,
        Map<String, ModelLimits> modelLimits,
        Map<String, Long> dailyGenerations) {

    public Organization {
        Objects.requireNonNull(creditBalance, "creditBalance");
        modelLimits = Map.copyOf(modelLimits);
        dailyGenerations = Map.copyOf(dailyGenerations);
    }

    /**
     * The tier limits for one model; {@code null} means unlimited.
     *
     * @param maxConcurrentGenerations tasks beyond this wait as {@code THROTTLED}
     * @param maxDailyGenerations creates beyond this in 24 h get a 429
     */
    public record ModelLimits(Long maxConcurrentGenerations, Long maxDailyGenerations) {
    }
}
