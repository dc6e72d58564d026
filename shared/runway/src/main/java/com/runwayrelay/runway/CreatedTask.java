package com.runwayrelay.runway;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Runway's answer to a create request: the new task's id and, when Runway reports it, the most
 * credits the task may cost (the final charge may be lower).
 *
 * @param estimatedCredits {@code null} when the response had no {@code estimatedCost}
 */
public record CreatedTask(String id, BigDecimal estimatedCredits) {

    public CreatedTask {
        Objects.requireNonNull(id, "id");
    }
}
