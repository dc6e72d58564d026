package com.runwayrelay.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.owned.AvatarConversations;
import com.runwayrelay.domain.owned.RealtimePricing;
import com.runwayrelay.domain.owned.RealtimeSessions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The requests of {@code /v1/realtime_sessions} and {@code /v1/avatar_conversations}, checked before
 * anything is reserved or Runway is asked. The create body is checked where the gateway depends on it
 * (the model, the avatar it checks ownership of, the {@code maxDuration} it reserves for, the URLs
 * Runway's worker would connect to) and forwarded as sent; Runway checks the rest (tools, texts).
 * Every violation is reported at once.
 */
final class RealtimeRequests {
    private static final Set<String> MEMBERS = Set.of("avatar", "model", "integration", "livekit", "maxDuration",
            "personality", "startScript", "tools");
    private static final int MAX_ID = 128;

    private RealtimeRequests() {
    }

    /** A conversation list query. */
    record ListQuery(AvatarConversations.Filter filter, String cursor, int limit) {
    }

    static DocumentRequests.Parsed<RealtimeSessions.Request> create(String body) {
        StrictJsonBody.Read read = StrictJsonBody.read(body, MEMBERS, "the body takes avatar, model, integration,"
                + " livekit, maxDuration, personality, startScript and tools");
        if (read instanceof StrictJsonBody.Read.Refused r) {
            return new DocumentRequests.Parsed.Refused<>(r.problem());
        }
        StrictJsonBody.Read.Parsed parsed = (StrictJsonBody.Read.Parsed) read;
        ObjectNode object = parsed.object();
        List<Violation> violations = parsed.violations();
        JsonNode model = object.get("model");
        if (model == null || !"gwm1_avatars".equals(model.textValue())) {
            violations.add(new Violation(List.of("model"), "invalid_literal", "model must be 'gwm1_avatars'"
                    + (model == null ? " (it is required)" : "")));
        }
        String avatarType = null;
        String avatarId = null;
        JsonNode avatar = object.get("avatar");
        if (!(avatar instanceof ObjectNode a)) {
            violations.add(new Violation(List.of("avatar"), "invalid_type",
                    "avatar is required: an object with type 'runway-preset' and presetId, or type 'custom' and avatarId"));
        } else {
            String type = a.path("type").textValue();
            String idField = "runway-preset".equals(type) ? "presetId" : "custom".equals(type) ? "avatarId" : null;
            if (idField == null) {
                violations.add(new Violation(List.of("avatar", "type"), "invalid_union_discriminator",
                        "avatar.type must be 'runway-preset' or 'custom'"));
            } else {
                String id = a.path(idField).textValue();
                if (id == null || id.isEmpty() || id.length() > MAX_ID) {
                    violations.add(new Violation(List.of("avatar", idField), "invalid_type", "avatar." + idField
                            + " is required: a string of 1-" + MAX_ID + " characters"));
                } else {
                    avatarType = type;
                    avatarId = id;
                }
            }
        }
        int maxDuration = RealtimePricing.MAX_DURATION_SECONDS;
        JsonNode duration = object.get("maxDuration");
        if (duration != null) {
            if (duration.canConvertToInt() && duration.isIntegralNumber() && duration.intValue() >= 1
                    && duration.intValue() <= RealtimePricing.MAX_DURATION_SECONDS) {
                maxDuration = duration.intValue();
            } else {
                violations.add(new Violation(List.of("maxDuration"), "invalid_type", "maxDuration must be a whole number"
                        + " of seconds from 1 to " + RealtimePricing.MAX_DURATION_SECONDS + " (Runway's limit on a session)"));
            }
        }
        JsonNode integration = object.get("integration");
        if (integration != null) {
            if (!(integration instanceof ObjectNode i)) {
                violations.add(new Violation(List.of("integration"), "invalid_type", "integration must be an object"));
            } else if ("elevenlabs".equals(i.path("type").textValue())) {
                workerUrl(i, "signedUrl", List.of("integration", "signedUrl"), violations);
            } else if ("livekit".equals(i.path("type").textValue())) {
                workerUrl(i, "url", List.of("integration", "url"), violations);
            } else {
                violations.add(new Violation(List.of("integration", "type"), "invalid_union_discriminator",
                        "integration.type must be 'elevenlabs' or 'livekit'"));
            }
        }
        JsonNode livekit = object.get("livekit");
        if (livekit != null) {
            if (livekit instanceof ObjectNode l) {
                workerUrl(l, "url", List.of("livekit", "url"), violations);
            } else {
                violations.add(new Violation(List.of("livekit"), "invalid_type", "livekit must be an object"));
            }
        }
        for (String text : List.of("personality", "startScript")) {
            JsonNode value = object.get(text);
            if (value != null && !value.isTextual()) {
                violations.add(new Violation(List.of(text), "invalid_type", text + " must be a string"));
            }
        }
        JsonNode tools = object.get("tools");
        if (tools != null && !tools.isArray()) {
            violations.add(new Violation(List.of("tools"), "invalid_type", "tools must be an array"));
        }
        if (!violations.isEmpty()) {
            return new DocumentRequests.Parsed.Refused<>(Problem.invalidRequest(violations));
        }
        return new DocumentRequests.Parsed.Ok<>(new RealtimeSessions.Request(object.toString(),
                maxDuration, avatarType, avatarId));
    }

    /** A URL Runway's avatar worker connects to: wss:// or https://, a host, no user information. */
    private static void workerUrl(ObjectNode parent, String field, List<Object> path, List<Violation> violations) {
        String text = parent.path(field).textValue();
        String where = path.get(0) + "." + path.get(1);
        if (text == null) {
            violations.add(new Violation(path, "invalid_type", where + " is required (a wss:// or https:// URL)"));
            return;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("wss") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null) {
                violations.add(new Violation(path, "invalid_string", where
                        + " must be a wss:// or https:// URL with a host and no user information"));
            }
        } catch (URISyntaxException e) {
            violations.add(new Violation(path, "invalid_string", where + " is not a valid URL"));
        }
    }

    /**
     * The list's query: {@code limit} 1–100 (default 50), {@code cursor}, {@code avatar} (a custom
     * avatar's id), {@code startDate} (inclusive) and {@code endDate} (exclusive), each an ISO 8601
     * date-time or a date (its UTC midnight).
     */
    static DocumentRequests.Parsed<ListQuery> list(String limit, String cursor, String avatar, String startDate,
                                                   String endDate) {
        List<Violation> violations = new ArrayList<>();
        int size = DocumentRequests.limit(limit, AvatarConversations.DEFAULT_LIMIT, AvatarConversations.MAX_LIMIT,
                violations);
        DocumentRequests.cursor(cursor, violations);
        if (avatar != null && (avatar.isEmpty() || avatar.length() > MAX_ID)) {
            violations.add(Problem.queryIssue("avatar", "invalid_string", "must be a custom avatar's id of 1-"
                    + MAX_ID + " characters, got " + avatar.length()));
        }
        Instant start = instant("startDate", startDate, violations);
        Instant end = instant("endDate", endDate, violations);
        if (start != null && end != null && !start.isBefore(end)) {
            violations.add(Problem.queryIssue("endDate", "custom", "(" + end + ") must be after query parameter "
                    + "'startDate' (" + start + ")"));
        }
        return violations.isEmpty()
                ? new DocumentRequests.Parsed.Ok<>(new ListQuery(new AvatarConversations.Filter(avatar, start, end), cursor, size))
                : new DocumentRequests.Parsed.Refused<>(Problem.invalidQuery(violations));
    }

    /**
     * The query parameter {@code name} as an instant: an ISO 8601 date-time, or a date (midnight UTC); null
     * when absent, or (with a query issue added) when it is neither.
     */
    static Instant instant(String name, String value, List<Violation> violations) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException again) {
                violations.add(Problem.queryIssue(name, "invalid_string", "must be an ISO 8601 date-time"
                        + " (2026-11-21T06:30:00Z) or date (2026-11-21, its midnight UTC), got \""
                        + StrictJsonBody.abbreviate(value) + "\""));
                return null;
            }
        }
    }
}
