package com.runwayrelay.admin;

import com.runwayrelay.aws.gateway.ApiRequest;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.TaskQuery;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.admin.HealthReport;
import com.runwayrelay.domain.admin.MetricsOverview;
import com.runwayrelay.domain.admin.Orphans;
import com.runwayrelay.domain.admin.UsageReport;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Reads the query strings of the admin API's read routes, every violation at once: parameters the
 * route does not take, values of the wrong shape or out of range. Each is a query issue
 * ({@link Problem#queryIssue}: path {@code ["query", name]}, a message naming the parameter, what is
 * wrong and what is accepted), answered with {@link Problem#invalidQuery}.
 */
final class AdminQueries {
    static final Set<String> TASK_LIST = Set.of("appId", "state", "endpoint", "model", "createdAfter", "createdBefore",
            "limit", "cursor");
    static final Set<String> USAGE = Set.of("from", "to", "appId");
    static final Set<String> HEALTH = Set.of("stuckAfterMinutes", "oldest");
    static final Set<String> METRICS = Set.of("hours", "period");
    static final Set<String> ORPHANS = Set.of("limit", "cursor");
    /** The longest orphans cursor: Runway's (at most 1000 characters) wrapped with the kind. */
    private static final int MAX_ORPHANS_CURSOR = 2000;
    /** The longest stuck threshold: a week. */
    static final long MAX_STUCK_MINUTES = 7 * 24 * 60;
    private static final int MAX_TEXT = 256;

    private AdminQueries() {
    }

    /** A task list query, or the violations that prevent one. */
    record TaskList(TaskQuery query, List<Violation> violations) {
    }

    /** A usage range, or the violations that prevent one. */
    record Usage(LocalDate from, LocalDate to, String appId, List<Violation> violations) {
    }

    /** A health request, or the violations that prevent one. */
    record Health(Duration stuckAfter, int oldest, List<Violation> violations) {
    }

    /** A metrics window, or the violations that prevent one. */
    record Metrics(int hours, Duration period, List<Violation> violations) {
    }

    /** An orphans scan: Runway items to examine and the cursor, or the violations that prevent one. */
    record OrphanScan(int limit, String cursor, List<Violation> violations) {
    }

    static OrphanScan orphanScan(ApiRequest request) {
        List<Violation> violations = AdminApi.unknownParameters(request, ORPHANS);
        long limit = whole(request, "limit", Orphans.DEFAULT_LIMIT, 1, Orphans.MAX_LIMIT, violations);
        String cursor = request.queryParameter("cursor");
        if (cursor != null && (cursor.isEmpty() || cursor.length() > MAX_ORPHANS_CURSOR)) {
            violations.add(violation("cursor", cursor.isEmpty() ? "too_small" : "too_big", "must be 1 to "
                    + MAX_ORPHANS_CURSOR + " characters (got " + cursor.length() + "); pass the previous page's "
                    + "nextCursor unchanged"));
            cursor = null;
        }
        return new OrphanScan((int) limit, cursor, violations);
    }

    static TaskList taskList(ApiRequest request) {
        List<Violation> violations = AdminApi.unknownParameters(request, TASK_LIST);
        String appId = text(request, "appId", violations);
        String endpoint = text(request, "endpoint", violations);
        String model = text(request, "model", violations);
        String cursor = text(request, "cursor", violations);
        TaskState state = null;
        String stateText = request.queryParameter("state");
        if (stateText != null) {
            try {
                state = TaskState.valueOf(stateText);
            } catch (IllegalArgumentException e) {
                violations.add(violation("state", "invalid_enum_value", "must be one of "
                        + String.join(", ", Arrays.stream(TaskState.values()).map(Enum::name).toList())
                        + " (got '" + shown(stateText) + "')"));
            }
        }
        Instant after = instant(request, "createdAfter", violations);
        Instant before = instant(request, "createdBefore", violations);
        if (after != null && before != null && !after.isBefore(before)) {
            violations.add(violation("createdAfter", "invalid_range", "(" + after
                    + ") must be before query parameter 'createdBefore' (" + before + ")"));
        }
        long limit = whole(request, "limit", TaskQuery.DEFAULT_LIMIT, TaskQuery.MIN_LIMIT, TaskQuery.MAX_LIMIT, violations);
        if (!violations.isEmpty()) {
            return new TaskList(null, violations);
        }
        return new TaskList(new TaskQuery(appId, state, endpoint, model, after, before, (int) limit, cursor), List.of());
    }

    static Usage usage(ApiRequest request) {
        List<Violation> violations = AdminApi.unknownParameters(request, USAGE);
        LocalDate from = day(request, "from", violations);
        LocalDate to = day(request, "to", violations);
        String appId = text(request, "appId", violations);
        if (from != null && to != null) {
            long days = ChronoUnit.DAYS.between(from, to) + 1;
            if (from.isAfter(to)) {
                violations.add(violation("from", "invalid_range", "(" + from + ") must not be after query parameter "
                        + "'to' (" + to + ")"));
            } else if (days > UsageReport.MAX_DAYS) {
                violations.add(violation("from", "invalid_range", "(" + from + ") starts a range of " + days
                        + " days up to query parameter 'to' (" + to + "); at most " + UsageReport.MAX_DAYS
                        + " days are accepted"));
            }
        }
        return new Usage(from, to, appId, violations);
    }

    static Health health(ApiRequest request) {
        List<Violation> violations = AdminApi.unknownParameters(request, HEALTH);
        long minutes = whole(request, "stuckAfterMinutes", HealthReport.DEFAULT_STUCK_AFTER.toMinutes(), 1,
                MAX_STUCK_MINUTES, violations);
        long oldest = whole(request, "oldest", HealthReport.DEFAULT_OLDEST, 0, HealthReport.MAX_OLDEST, violations);
        return new Health(Duration.ofMinutes(minutes), (int) oldest, violations);
    }

    static Metrics metrics(ApiRequest request) {
        List<Violation> violations = AdminApi.unknownParameters(request, METRICS);
        long hours = whole(request, "hours", MetricsOverview.DEFAULT_HOURS, 1, MetricsOverview.MAX_HOURS, violations);
        List<Long> periods = MetricsOverview.PERIODS.stream().map(Duration::toSeconds).toList();
        long period = MetricsOverview.DEFAULT_PERIOD.toSeconds();
        String periodText = request.queryParameter("period");
        if (periodText != null) {
            try {
                period = Long.parseLong(periodText);
                if (!periods.contains(period)) {
                    violations.add(violation("period", "invalid_enum_value", "must be one of " + periods
                            + " seconds (got " + period + ")"));
                }
            } catch (NumberFormatException e) {
                violations.add(violation("period", "invalid_type", "must be a whole number of seconds, one of "
                        + periods + " (got '" + shown(periodText) + "')"));
            }
        }
        if (violations.isEmpty() && hours * 3600 / period > MetricsOverview.MAX_POINTS) {
            violations.add(violation("period", "too_small", "(" + period + ") is too short for query parameter "
                    + "'hours' (" + hours + "): hours × 3600 / period must be at most " + MetricsOverview.MAX_POINTS
                    + " points per series (got " + hours * 3600 / period + "); ask for fewer hours or a longer period"));
        }
        return new Metrics((int) hours, Duration.ofSeconds(period), violations);
    }

    private static String text(ApiRequest request, String name, List<Violation> violations) {
        String value = request.queryParameter(name);
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > MAX_TEXT) {
            violations.add(violation(name, value.isEmpty() ? "too_small" : "too_big", "must be 1 to "
                    + MAX_TEXT + " characters (got " + value.length() + ")"));
            return null;
        }
        return value;
    }

    private static Instant instant(ApiRequest request, String name, List<Violation> violations) {
        String value = request.queryParameter(name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            violations.add(violation(name, "invalid_date", "must be an ISO-8601 UTC instant such as "
                    + "2026-12-03T08:00:00Z (got '" + shown(value) + "')"));
            return null;
        }
    }

    private static LocalDate day(ApiRequest request, String name, List<Violation> violations) {
        String value = request.queryParameter(name);
        if (value == null) {
            violations.add(violation(name, "required", "is required (a UTC day, YYYY-MM-DD)"));
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            violations.add(violation(name, "invalid_date", "must be a day, YYYY-MM-DD (got '" + shown(value) + "')"));
            return null;
        }
    }

    private static long whole(ApiRequest request, String name, long defaultValue, long min, long max,
                              List<Violation> violations) {
        String value = request.queryParameter(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                violations.add(violation(name, parsed < min ? "too_small" : "too_big",
                        "must be a whole number from " + min + " to " + max + " (got " + parsed + ")"));
            }
            return parsed;
        } catch (NumberFormatException e) {
            violations.add(violation(name, "invalid_type", "must be a whole number from " + min + " to " + max
                    + " (got '" + shown(value) + "')"));
            return defaultValue;
        }
    }

    /**
     * A query issue of parameter {@code name}.
     *
     * @param wrong what is wrong and what is accepted, continuing "query parameter 'name' "
     */
    static Violation violation(String name, String code, String wrong) {
        return Problem.queryIssue(name, code, wrong);
    }

    /** A value as quoted back: at most 60 characters, control characters as {@code ?}. */
    static String shown(String value) {
        String clean = value.codePoints().limit(60).map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return value.codePointCount(0, value.length()) > 60 ? clean + "…" : clean;
    }
}
