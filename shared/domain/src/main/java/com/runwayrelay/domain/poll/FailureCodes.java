package com.runwayrelay.domain.poll;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which Runway {@code failureCode}s are worth a new Runway task. Runway's codes are dotted, most
 * generic segment first, and not a closed set, so an entry is either an exact code
 * ({@code INTERNAL} matches only {@code INTERNAL}), a prefix ending in {@code .*}
 * ({@code INTERNAL.BAD_OUTPUT.*} matches {@code INTERNAL.BAD_OUTPUT.CODE01}), or {@value #NONE}
 * for a failure that carries no code.
 */
public final class FailureCodes {
    /** The entry that stands for a failure without a code. */
    public static final String NONE = "NONE";

    /**
     * Runway's guidance: moderation hiccups, third-party outages, generic internal errors and
     * failures without a code may succeed after a delay. Quality-check rejections
     * ({@code INTERNAL.BAD_OUTPUT.*}) rarely do unchanged, and safety or asset failures never do.
     */
    public static final List<String> DEFAULT = List.of(
            "INPUT_PREPROCESSING.INTERNAL", "THIRD_PARTY.UNAVAILABLE", "INTERNAL", NONE);

    private static final java.util.regex.Pattern ENTRY =
            java.util.regex.Pattern.compile("[A-Z0-9_]+(\\.[A-Z0-9_]+)*(\\.\\*)?");

    private final List<String> entries;

    private FailureCodes(List<String> entries) {
        this.entries = entries;
    }

    /**
     * Parses the entries, case-insensitively.
     *
     * @throws IllegalArgumentException naming the first malformed entry
     */
    public static FailureCodes of(List<String> entries) {
        Objects.requireNonNull(entries, "entries");
        List<String> normalised = entries.stream().map(e -> e.trim().toUpperCase(Locale.ROOT)).toList();
        for (String entry : normalised) {
            if (!ENTRY.matcher(entry).matches()) {
                throw new IllegalArgumentException("'" + entry + "' is not a failure code, a prefix ending in"
                        + " '.*', or " + NONE);
            }
        }
        return new FailureCodes(normalised);
    }

    /** Whether a Runway task that failed with {@code failureCode} (null when absent) may be tried again. */
    public boolean retryable(String failureCode) {
        if (failureCode == null || failureCode.isBlank()) {
            return entries.contains(NONE);
        }
        String code = failureCode.trim().toUpperCase(Locale.ROOT);
        for (String entry : entries) {
            if (entry.endsWith(".*") ? code.startsWith(entry.substring(0, entry.length() - 1)) : code.equals(entry)) {
                return true;
            }
        }
        return false;
    }

    /** The entries, normalised. */
    public List<String> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return String.join(",", entries);
    }
}
