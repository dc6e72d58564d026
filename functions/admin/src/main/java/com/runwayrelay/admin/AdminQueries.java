package com.runwayrelay.admin;

import com.runwayrelay.aws.gateway.ApiRequest;
import com.runwayrelay.domain.TaskQuery;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.admin.HealthReport;
import com.runwayrelay.domain.admin.MetricsOverview;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Reads the query strings of the admin API's read routes, every violation at once: parameters the
 * route does not take, values of the wrong shape or out of range. A value is reported under the
 * path {@code ["query", name]}.
 */
final class AdminQueries {
    static final Set<String> TASK_LIST = Set.of("appId", "state", "endpoint", "model", "createdAfter", "createdBefore",
            "limit", "cursor");
    static final Set<String> USAGE = Set.of("from", "to", "appId");
    static final Set<String> HEALTH = Set.of("stuckAfterMinutes", "oldest");
    static final Set<String> METRICS = Set.of("hours", "period");
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
                violations.add(violation("state", "invalid_enum_value", "state must be one of "
                        + String.join(", ", Arrays.stream(TaskState.values()).map(Enum::name).toList())
                        + " (got '" + stateText + "')"));
            }
        }
        Instant after = instant(request, "createdAfter", violations);
        Instant before = instant(request, "createdBefore", violations);
        if (after != null && before != null && !after.isBefore(before)) {
            violations.add(violation("createdAfter", "invalid_range", "createdAfter (" + after
                    + ") must be before createdBefore (" + before + ")"));
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
                    violations.add(violation("period", "invalid_enum_value", "period must be one of " + periods
                            + " seconds (got " + period + ")"));
                }
            } catch (NumberFormatException e) {
                violations.add(violation("period", "invalid_type", "period must be a whole number of seconds, one of "
                        + periods + " (got '" + periodText + "')"));
            }
        }
        if (violations.isEmpty() && hours * 3600 / period > MetricsOverview.MAX_POINTS) {
            violations.add(violation("period", "too_small", "hours × 3600 / period must be at most "
                    + MetricsOverview.MAX_POINTS + " points per series (got " + hours * 3600 / period
                    + "); ask for fewer hours or a longer period"));
        }
        return new Metrics((int) hours, Duration.ofSeconds(period), violations);
    }

    private static String text(ApiRequest request, String name, List<Violation> violations) {
        String value = request.queryParameter(name);
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > MAX_TEXT) {
            violations.add(violation(name, value.isEmpty() ? "too_small" : "too_big", name + " must be 1 to "
                    + MAX_TEXT + " characters"));
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
            violations.add(violation(name, "invalid_date", name + " must be an ISO-8601 UTC instant such as "
                    + "2026-12-03T08:00:00Z (got '" + value + "')"));
            return null;
        }
    }

    private static LocalDate day(ApiRequest request, String name, List<Violation> violations) {
        String value = request.queryParameter(name);
        if (value == null) {
            violations.add(violation(name, "required", name + " is required (a UTC day, YYYY-MM-DD)"));
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            violations.add(violation(name, "invalid_date", name + " must be a day, YYYY-MM-DD (got '" + value + "')"));
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
                        name + " must be between " + min + " and " + max + " (got " + parsed + ")"));
            }
            return parsed;
        } catch (NumberFormatException e) {
            violations.add(violation(name, "invalid_type", name + " must be a whole number (got '" + value + "')"));
            return defaultValue;
        }
    }

    static Violation violation(String name, String code, String message) {
        return new Violation(List.of("query", name), code, message);
    }
}
