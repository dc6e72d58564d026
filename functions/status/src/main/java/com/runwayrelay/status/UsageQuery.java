package com.runwayrelay.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.Violation;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/organization/usage}, checked as Runway documents it: an object with
 * optional {@code startDate} (default: 30 days before today) and {@code beforeDate} (exclusive;
 * default: 30 days after the start), both {@code YYYY-MM-DD} UTC days, the end after the start and at
 * most {@value #MAX_DAYS} days after it. Every violation is reported at once; other members are refused.
 */
final class UsageQuery {
    /** The longest range, in days: Runway's limit. */
    static final int MAX_DAYS = 90;
    /** The default range and the default look-back, in days. */
    static final int DEFAULT_DAYS = 30;
    /** The largest body read; the same limit as every other POST body. */
    static final int MAX_BYTES = StrictJsonBody.MAX_BYTES;

    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Set<String> MEMBERS = Set.of("startDate", "beforeDate");

    private UsageQuery() {
    }

    /**
     * Reads {@code body} (empty: all defaults) for a request made on {@code today}.
     *
     * @return the range, or the problem (413 {@code payload-too-large}, 400 {@code invalid-request}
     *         listing every violation)
     */
    static Parsed parse(String body, LocalDate today) {
        StrictJsonBody.Read read = StrictJsonBody.read(body, MEMBERS, "the body takes startDate and beforeDate");
        if (read instanceof StrictJsonBody.Read.Refused r) {
            return new Parsed.Refused(r.problem());
        }
        StrictJsonBody.Read.Parsed parsed = (StrictJsonBody.Read.Parsed) read;
        ObjectNode object = parsed.object();
        List<Violation> violations = parsed.violations();
        LocalDate start = day(object, "startDate", violations);
        LocalDate before = day(object, "beforeDate", violations);
        if (!violations.isEmpty()) {
            return new Parsed.Refused(Problem.invalidRequest(violations));
        }
        if (start == null) {
            start = today.minusDays(DEFAULT_DAYS);
        }
        if (before == null) {
            before = start.plusDays(DEFAULT_DAYS);
        }
        if (!before.isAfter(start)) {
            return refused(new Violation(List.of("beforeDate"), "custom", "beforeDate (" + before
                    + ") must be after startDate (" + start + ")"));
        }
        long days = ChronoUnit.DAYS.between(start, before);
        if (days > MAX_DAYS) {
            return refused(new Violation(List.of("beforeDate"), "too_big", "beforeDate (" + before
                    + ") must be at most " + MAX_DAYS + " days after startDate (" + start + "); the range covers "
                    + days + " days"));
        }
        return new Parsed.Ok(start, before);
    }

    private static LocalDate day(ObjectNode object, String name, List<Violation> violations) {
        JsonNode value = object.get(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(List.of(name), "invalid_type", name + " must be a string (YYYY-MM-DD), got "
                    + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
            return null;
        }
        String text = value.textValue();
        if (DAY.matcher(text).matches()) {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                // falls through: the pattern matched but the day does not exist (2026-02-30)
            }
        }
        violations.add(new Violation(List.of(name), "invalid_string", name + " must be a day in ISO-8601 form "
                + "(YYYY-MM-DD), got \"" + StrictJsonBody.abbreviate(text) + "\""));
        return null;
    }

    private static Parsed refused(Violation violation) {
        return new Parsed.Refused(Problem.invalidRequest(List.of(violation)));
    }

    /** What {@link #parse} found. */
    sealed interface Parsed {
        /**
         * The range.
         *
         * @param start  the first day
         * @param before the day after the last
         */
        record Ok(LocalDate start, LocalDate before) implements Parsed {
        }

        /** Why the body is refused. */
        record Refused(Problem problem) implements Parsed {
        }
    }
}
