package com.runwayrelay.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.owned.AvatarUsage;
import com.runwayrelay.domain.owned.AvatarUsage.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/avatar_usage}: the calling app's own avatar usage ({@link AvatarUsage}) in Runway's
 * shape, {@code {totalSessions, totalSeconds, avgDurationSeconds, byDay: [{date, seconds, sessions}]}}.
 * Both query parameters are required, as the SDK types them: {@code startDate} (inclusive) and
 * {@code endDate} (exclusive), ISO 8601 date-times (a bare date is midnight UTC); the end after the
 * start, at most 90 days later. Every violation is reported at once (400 {@code invalid-request}, each at
 * {@code ["query", name]});
 * other parameters are ignored, as on the gateway's other lists.
 */
final class AvatarUsageRoute {
    private final AvatarUsage usage;

    AvatarUsageRoute(AvatarUsage usage) {
        this.usage = usage;
    }

    ApiResponse get(App app, String startDate, String endDate) {
        List<Violation> violations = new ArrayList<>();
        Instant start = instant("startDate", startDate, violations);
        Instant end = instant("endDate", endDate, violations);
        if (start != null && end != null) {
            if (!end.isAfter(start)) {
                violations.add(Problem.queryIssue("endDate", "custom", "(" + end
                        + ") must be after query parameter 'startDate' (" + start + ")"));
            } else if (Duration.between(start, end).compareTo(AvatarUsage.MAX_RANGE) > 0) {
                long days = Duration.between(start, end).toDays();
                violations.add(Problem.queryIssue("endDate", "too_big", "(" + end + ") must be at most "
                        + AvatarUsage.MAX_RANGE.toDays() + " days after query parameter 'startDate' (" + start
                        + "); it is " + (days > AvatarUsage.MAX_RANGE.toDays() ? days + " days"
                        : "more than " + AvatarUsage.MAX_RANGE.toDays() + " days") + " after it"));
            }
        }
        if (!violations.isEmpty()) {
            return Problem.invalidQuery(violations).response();
        }
        return switch (usage.of(app.id(), start, end)) {
            case Outcome.Report report -> {
                ObjectNode body = ApiResponse.JSON.createObjectNode();
                body.put("avgDurationSeconds", report.avgDurationSeconds());
                ArrayNode days = body.putArray("byDay");
                for (AvatarUsage.Day day : report.byDay()) {
                    days.addObject().put("date", day.date().toString()).put("seconds", day.seconds())
                            .put("sessions", day.sessions());
                }
                body.put("totalSeconds", report.totalSeconds());
                body.put("totalSessions", report.totalSessions());
                yield ApiResponse.json(200, body);
            }
            case Outcome.TooMany tooMany -> Problem.invalidQuery(List.of(Problem.queryIssue("startDate", "too_big",
                    "(" + start + ") starts a range that holds more than " + tooMany.limit() + " of the app's sessions, "
                            + "more than the gateway sums in one request; ask for a shorter range"))).response();
            case Outcome.Unavailable unavailable -> Problem.of(503, "runway-unavailable", "Runway unavailable",
                            "Runway could not be reached (" + unavailable.reason() + "); nothing changed; try again")
                    .withRetryAfter(unavailable.retryAfter() == null ? Duration.ofSeconds(1) : unavailable.retryAfter())
                    .response();
        };
    }

    private static Instant instant(String name, String value, List<Violation> violations) {
        if (value == null) {
            violations.add(Problem.queryIssue(name, "invalid_type", "is required (an ISO 8601 date-time such as "
                    + "2026-11-01T00:00:00Z, or a date such as 2026-11-01, its midnight UTC)"));
            return null;
        }
        return RealtimeRequests.instant(name, value, violations);
    }
}
