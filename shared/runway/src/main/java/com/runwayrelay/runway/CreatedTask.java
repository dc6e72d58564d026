package com.runwayrelay.runway;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Runway's answer to a create request: the new task's id and, when Runway reports it, the most
 * credits the task may cost (the final charge may be lower).
 *
 * @param estimatedCredits {@code null} when the response had no {@code estimatedCost}
 * @param routingJson      the Model Router's {@code routing} object as JSON text (a routed
 *                         generation, {@code POST /v1/generate/*}), else null
 */
public record CreatedTask(String id, BigDecimal estimatedCredits, String routingJson) {

    public CreatedTask {
        Objects.requireNonNull(id, "id");
    }

    /** A created task with no {@code routing} (every create but a routed generation's). */
    public CreatedTask(String id, BigDecimal estimatedCredits) {
        this(id, estimatedCredits, null);
    }
}
