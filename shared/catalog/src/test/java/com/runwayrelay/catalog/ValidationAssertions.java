package com.runwayrelay.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.domain.Violation;
import java.util.List;

/** Assertions over validation results that print every violation when they fail. */
final class ValidationAssertions {
    static final Catalog CATALOG = Catalog.loadDefault();

    private ValidationAssertions() {}

    static ValidationResult validate(String endpoint, JsonNode body) {
        return CATALOG.validate(endpoint, body, UnknownModelPolicy.REJECT);
    }

    static void assertValid(String endpoint, JsonNode body) {
        ValidationResult result = validate(endpoint, body);
        assertTrue(result.valid(), () -> "expected valid, got " + describe(result.violations()) + " for " + body);
        assertTrue(result.known(), "a valid request of a catalog model is known");
    }

    /** Asserts exactly one violation and returns it. */
    static Violation assertOnlyViolation(String endpoint, JsonNode body, List<Object> path, String code) {
        ValidationResult result = validate(endpoint, body);
        assertEquals(1, result.violations().size(), () -> "expected one violation at " + path + ", got "
                + describe(result.violations()) + " for " + body);
        Violation violation = result.violations().get(0);
        assertEquals(path, violation.path(), () -> describe(result.violations()));
        assertEquals(code, violation.code(), () -> describe(result.violations()));
        return violation;
    }

    /** Asserts that one of possibly several violations is at the path with the code and returns it. */
    static Violation assertHasViolation(ValidationResult result, List<Object> path, String code) {
        return result.violations().stream()
                .filter(v -> v.path().equals(path) && v.code().equals(code))
                .findFirst()
                .orElseGet(() -> fail("no " + code + " at " + path + " in " + describe(result.violations())));
    }

    static String describe(List<Violation> violations) {
        StringBuilder out = new StringBuilder("[");
        violations.forEach(v -> out.append("\n  ").append(v.path()).append(' ').append(v.code()).append(": ")
                .append(v.message()));
        return out.append(violations.isEmpty() ? "]" : "\n]").toString();
    }
}
