package com.runwayrelay.catalog;

import com.runwayrelay.domain.Violation;
import java.util.List;

/**
 * Outcome of validating one request.
 *
 * @param violations every problem found; empty when the request is valid
 * @param model      the {@code model} value of the request, or null when absent
 * @param known      whether the catalog knows the model (false for passthrough of unknown models)
 */
public record ValidationResult(List<Violation> violations, String model, boolean known) {
    public ValidationResult {
        violations = List.copyOf(violations);
    }

    public boolean valid() {
        return violations.isEmpty();
    }
}
