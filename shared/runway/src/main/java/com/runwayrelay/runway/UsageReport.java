package com.runwayrelay.runway;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Credits used per model per day ({@code POST /v1/organization/usage}).
 *
 * @param models models with usage in the range
 * @param days one entry per day with usage, in the order Runway returned them
 */
public record UsageReport(List<String> models, List<DailyUsage> days) {

    public UsageReport {
        models = List.copyOf(models);
        days = List.copyOf(days);
    }

    /**
     * Net credits per model on one UTC day; an amount can be negative when refunds exceeded
     * charges that day.
     */
    public record DailyUsage(LocalDate date, Map<String, BigDecimal> creditsByModel) {
        public DailyUsage {
            Objects.requireNonNull(date, "date");
            creditsByModel = Collections.unmodifiableMap(new LinkedHashMap<>(creditsByModel));
        }
    }
}
