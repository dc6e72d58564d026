package com.runwayrelay.domain.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FailureCodesTest {
    private final FailureCodes defaults = FailureCodes.of(FailureCodes.DEFAULT);

    @Test
    void retriesTheTransientCodesOfRunwaysGuidance_byDefault() {
        assertTrue(defaults.retryable("INPUT_PREPROCESSING.INTERNAL"));
        assertTrue(defaults.retryable("THIRD_PARTY.UNAVAILABLE"));
        assertTrue(defaults.retryable("INTERNAL"));
        assertTrue(defaults.retryable(null), "a failure without a code");
        assertTrue(defaults.retryable(" "), "a blank code counts as none");
    }

    @Test
    void doesNotRetrySafetyAssetOrQualityFailures_byDefault() {
        assertFalse(defaults.retryable("SAFETY.INPUT.TEXT"));
        assertFalse(defaults.retryable("SAFETY.OUTPUT.VIDEO"));
        assertFalse(defaults.retryable("INPUT_PREPROCESSING.SAFETY.TEXT"));
        assertFalse(defaults.retryable("ASSET.INVALID"));
        assertFalse(defaults.retryable("INTERNAL.BAD_OUTPUT.CODE01"), "an exact entry is not a prefix");
    }

    @Test
    void matchesByPrefix_whenTheEntryEndsWithDotStar() {
        FailureCodes codes = FailureCodes.of(List.of("internal.bad_output.*"));

        assertTrue(codes.retryable("INTERNAL.BAD_OUTPUT.CODE01"));
        assertTrue(codes.retryable("internal.bad_output.01"));
        assertFalse(codes.retryable("INTERNAL.BAD_OUTPUTS"));
        assertFalse(codes.retryable("INTERNAL"));
        assertFalse(codes.retryable(null), "NONE was not listed");
    }

    @Test
    void namesTheEntry_whenOneIsMalformed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FailureCodes.of(List.of("INTERNAL", "SAFETY.*.TEXT")));

        assertTrue(e.getMessage().contains("SAFETY.*.TEXT"), e.getMessage());
    }

    @Test
    void normalisesEntries() {
        assertEquals(List.of("INTERNAL", "THIRD_PARTY.*"), FailureCodes.of(List.of(" internal ", "third_party.*")).entries());
    }
}
