package com.runwayrelay.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runway's realtime sessions and their avatar conversations as the simulator keeps them: one set for
 * the whole organization, with no notion of the gateway's apps. A session is {@code NOT_READY} for the
 * configured pending time, then {@code READY} (with a {@code sessionKey}); nobody joins a simulated
 * session over WebRTC, so tests move it on ({@link #connect}, {@link #end}, {@link #fail}). A running
 * session completes by itself at its {@code maxDuration}. A cancel ends a session that has not ended
 * (its duration is the time it ran); its conversation has the session's id, is {@code in_progress}
 * while the session is not over, then {@code ended} ({@code failed} for a failed session), and can be
 * deleted while the session stays readable. Thread-safe; time is the simulator's clock.
 */
final class RealtimeBook {
    /** Runway's limit on a session's length, in seconds (also the default maxDuration here). */
    static final int MAX_DURATION = 300;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> MEMBERS = Set.of("avatar", "model", "integration", "livekit", "maxDuration",
            "personality", "startScript", "tools");
    private static final Set<String> PRESETS = Set.of("game-character", "music-superstar", "game-character-man",
            "cat-character", "influencer", "tennis-coach", "human-resource", "fashion-designer", "cooking-teacher");
    /** How long a READY session's credentials last. */
    private static final Duration CREDENTIALS = Duration.ofMinutes(10);

    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Clock clock;
    private final Duration pending;

    RealtimeBook(Clock clock, Duration pending) {
        this.clock = clock;
        this.pending = pending;
    }

    private static final class Session {
        final String id;
        final Instant createdAt;
        final int maxDuration;
        final ObjectNode avatar;
        final ArrayNode tools;
        String status;
        Instant startedAt;
        Instant endedAt;
        Double duration;
        String failure;
        String failureCode;
        boolean conversationDeleted;

        Session(String id, Instant createdAt, int maxDuration, ObjectNode avatar, ArrayNode tools) {
            this.id = id;
            this.createdAt = createdAt;
            this.maxDuration = maxDuration;
            this.avatar = avatar;
            this.tools = tools;
        }
    }

    /** Creates a session from Runway's create body; answers {@code {id}}. */
    synchronized ObjectNode create(JsonNode body) {
        List<ApiException.Issue> issues = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!MEMBERS.contains(name)) {
                issues.add(new ApiException.Issue("unrecognized_keys", List.of(), "Unrecognized key(s) in object: '"
                        + name + "'"));
            }
        });
        if (!"gwm1_avatars".equals(body.path("model").textValue())) {
            issues.add(new ApiException.Issue("invalid_literal", List.of("model"), "Invalid literal value, expected \"gwm1_avatars\""));
        }
        ObjectNode avatar = JSON.createObjectNode();
        JsonNode given = body.path("avatar");
        String type = given.path("type").textValue();
        if ("runway-preset".equals(type) && PRESETS.contains(given.path("presetId").textValue())) {
            avatar.put("presetId", given.get("presetId").textValue()).put("type", type);
        } else if ("custom".equals(type) && given.path("avatarId").isTextual() && !given.get("avatarId").textValue().isEmpty()) {
            avatar.put("id", given.get("avatarId").textValue()).putNull("imageUrl").putNull("name").put("type", type);
        } else {
            issues.add(new ApiException.Issue("invalid_union", List.of("avatar"),
                    "avatar must be {type: 'runway-preset', presetId} with a known preset or {type: 'custom', avatarId}"));
        }
        int maxDuration = MAX_DURATION;
        JsonNode duration = body.get("maxDuration");
        if (duration != null) {
            if (duration.isIntegralNumber() && duration.asLong() >= 1 && duration.asLong() <= MAX_DURATION) {
                maxDuration = duration.asInt();
            } else {
                issues.add(new ApiException.Issue("too_big", List.of("maxDuration"),
                        "maxDuration must be an integer from 1 to " + MAX_DURATION));
            }
        }
        ArrayNode tools = JSON.createArrayNode();
        JsonNode givenTools = body.get("tools");
        if (givenTools != null) {
            if (!givenTools.isArray()) {
                issues.add(new ApiException.Issue("invalid_type", List.of("tools"), "Expected array"));
            } else {
                for (JsonNode tool : givenTools) {
                    tools.addObject().put("description", tool.path("description").asText(""))
                            .put("name", tool.path("name").asText("")).put("type", tool.path("type").asText(""));
                }
            }
        }
        if (!issues.isEmpty()) {
            throw new ApiException(400, "Validation of body failed", issues, Map.of());
        }
        Session session = new Session(UUID.randomUUID().toString(), clock.instant(), maxDuration, avatar, tools);
        session.status = "NOT_READY";
        sessions.put(session.id, session);
        return JSON.createObjectNode().put("id", session.id);
    }

    synchronized ObjectNode get(String id) {
        Session s = advance(find(id));
        ObjectNode node = JSON.createObjectNode();
        node.put("id", s.id);
        node.put("createdAt", s.createdAt.toString());
        switch (s.status) {
            case "NOT_READY" -> node.put("queued", false);
            case "READY" -> {
                Instant readyAt = s.createdAt.plus(pending);
                node.put("expiresAt", readyAt.plus(CREDENTIALS).toString());
                node.put("sessionKey", "sk_sim_" + s.id.replace("-", ""));
            }
            case "COMPLETED" -> node.put("duration", s.duration);
            case "FAILED" -> node.put("failure", s.failure).put("failureCode", s.failureCode);
            default -> {
            }
        }
        node.put("status", s.status);
        return node;
    }

    /** Cancels a session that has not ended; an ended one is a 400. */
    synchronized void cancel(String id) {
        Session s = advance(find(id));
        if (ended(s)) {
            throw new ApiException(400, "The realtime session has already ended.");
        }
        Instant now = clock.instant();
        s.status = "CANCELLED";
        s.endedAt = now;
        s.duration = s.startedAt == null ? null : seconds(s.startedAt, now);
    }

    synchronized ObjectNode conversation(String id) {
        Session s = advance(findConversation(id));
        ObjectNode node = summaryBase(s);
        node.set("avatar", s.avatar.deepCopy());
        String status = conversationStatus(s);
        if (!status.equals("in_progress")) {
            putInstant(node, "endedAt", s.endedAt);
        }
        if (status.equals("failed")) {
            node.put("failure", s.failure).put("failureCode", s.failureCode);
        }
        node.put("maxDuration", s.maxDuration);
        node.putNull("recordingUrl");
        putInstant(node, "startedAt", s.startedAt);
        node.put("status", status);
        node.set("tools", s.tools.deepCopy());
        node.putArray("transcript");
        return node;
    }

    synchronized void deleteConversation(String id) {
        findConversation(id).conversationDeleted = true;
    }

    /**
     * Conversations newest first: {@code limit} 1–100 (default 50), {@code cursor}, {@code avatar} (a
     * custom avatar's id), {@code startDate} (inclusive), {@code endDate} (exclusive).
     */
    synchronized ObjectNode listConversations(Map<String, String> query) {
        int limit = CursorPages.limit(query);
        Instant start = date(query, "startDate");
        Instant end = date(query, "endDate");
        String avatar = query.get("avatar");
        List<Session> all = sessions.values().stream().filter(s -> !s.conversationDeleted)
                .filter(s -> avatar == null || avatar.equals(s.avatar.path("id").textValue()))
                .filter(s -> start == null || !s.createdAt.isBefore(start))
                .filter(s -> end == null || s.createdAt.isBefore(end))
                .sorted(Comparator.comparing((Session s) -> s.createdAt).thenComparing(s -> s.id).reversed())
                .toList();
        return CursorPages.page(all, s -> s.id, this::conversationItem, limit, query.get("cursor"));
    }

    /** One conversation as the list shows it (advancing its session first). */
    private ObjectNode conversationItem(Session s) {
        advance(s);
        ObjectNode item = summaryBase(s);
        ObjectNode brief = item.putObject("avatar");
        if ("custom".equals(s.avatar.path("type").textValue())) {
            brief.set("id", s.avatar.get("id"));
            brief.putNull("name");
        } else {
            brief.put("name", s.avatar.path("presetId").asText());
            brief.set("presetId", s.avatar.get("presetId"));
        }
        brief.set("type", s.avatar.get("type"));
        item.put("hasTools", !s.tools.isEmpty());
        item.put("status", conversationStatus(s));
        return item;
    }

    /**
     * The organization's avatar usage, as Runway sums it: the conversations (sessions) created in
     * {@code [startDate, endDate)}, both required, at most 90 days apart; a conversation's seconds count
     * once it has ended or failed with a duration; every UTC day of the range is listed, zeros
     * included. Deleted conversations still count: they were used.
     */
    synchronized ObjectNode usage(Map<String, String> query) {
        List<ApiException.Issue> issues = new ArrayList<>();
        for (String name : List.of("startDate", "endDate")) {
            if (!query.containsKey(name)) {
                issues.add(new ApiException.Issue("invalid_type", List.of(name), "Required"));
            }
        }
        if (!issues.isEmpty()) {
            throw new ApiException(400, "Validation of query failed", issues, Map.of());
        }
        Instant start = date(query, "startDate");
        Instant end = date(query, "endDate");
        if (!end.isAfter(start)) {
            throw new ApiException(400, "endDate must be after startDate.");
        }
        if (Duration.between(start, end).compareTo(Duration.ofDays(90)) > 0) {
            throw new ApiException(400, "The date range must not exceed 90 days.");
        }
        Map<java.time.LocalDate, double[]> days = new LinkedHashMap<>();
        java.time.LocalDate last = java.time.LocalDate.ofInstant(end.minusNanos(1), java.time.ZoneOffset.UTC);
        for (java.time.LocalDate day = java.time.LocalDate.ofInstant(start, java.time.ZoneOffset.UTC); !day.isAfter(last);
                day = day.plusDays(1)) {
            days.put(day, new double[2]);
        }
        long total = 0;
        long measured = 0;
        double seconds = 0;
        for (Session s : sessions.values()) {
            advance(s);
            if (s.createdAt.isBefore(start) || !s.createdAt.isBefore(end)) {
                continue;
            }
            double[] day = days.get(java.time.LocalDate.ofInstant(s.createdAt, java.time.ZoneOffset.UTC));
            total++;
            day[1]++;
            if (!conversationStatus(s).equals("in_progress") && s.duration != null) {
                measured++;
                seconds += s.duration;
                day[0] += s.duration;
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("avgDurationSeconds", measured == 0 ? 0 : seconds / measured);
        ArrayNode byDay = out.putArray("byDay");
        days.forEach((day, sums) -> byDay.addObject().put("date", day.toString()).put("seconds", sums[0])
                .put("sessions", (long) sums[1]));
        out.put("totalSeconds", seconds);
        out.put("totalSessions", total);
        return out;
    }

    /** Someone joined the session: it runs from now. */
    synchronized void connect(String id) {
        Session s = advance(find(id));
        if (!s.status.equals("READY") && !s.status.equals("NOT_READY")) {
            throw new IllegalStateException("session " + id + " is " + s.status + ", not waiting to be joined");
        }
        s.status = "RUNNING";
        s.startedAt = clock.instant();
    }

    /** The session ran {@code seconds} and completed (it is joined first if nobody had). */
    synchronized void end(String id, double seconds) {
        Session s = advance(find(id));
        if (ended(s)) {
            throw new IllegalStateException("session " + id + " has already ended: " + s.status);
        }
        if (s.startedAt == null) {
            s.startedAt = clock.instant();
        }
        s.status = "COMPLETED";
        s.duration = seconds;
        s.endedAt = s.startedAt.plusMillis((long) (seconds * 1000));
    }

    /** The session failed; {@code seconds} is how long it had run (null: it never started). */
    synchronized void fail(String id, Double seconds) {
        Session s = advance(find(id));
        s.status = "FAILED";
        s.failure = "The avatar worker stopped unexpectedly.";
        s.failureCode = "INTERNAL";
        if (seconds != null && s.startedAt == null) {
            s.startedAt = clock.instant();
        }
        s.duration = seconds;
        s.endedAt = clock.instant();
    }

    /** How many sessions the organization has. */
    synchronized int size() {
        return sessions.size();
    }

    /** A session's status now. */
    synchronized String status(String id) {
        return advance(find(id)).status;
    }

    private Session advance(Session s) {
        Instant now = clock.instant();
        if (s.status.equals("NOT_READY") && !now.isBefore(s.createdAt.plus(pending))) {
            s.status = "READY";
        }
        if (s.status.equals("RUNNING") && !now.isBefore(s.startedAt.plusSeconds(s.maxDuration))) {
            s.status = "COMPLETED";
            s.duration = (double) s.maxDuration;
            s.endedAt = s.startedAt.plusSeconds(s.maxDuration);
        }
        return s;
    }

    private ObjectNode summaryBase(Session s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", s.id);
        node.put("createdAt", s.createdAt.toString());
        Double duration = s.duration;
        if (duration == null && s.status.equals("RUNNING")) {
            duration = seconds(s.startedAt, clock.instant());
        }
        if (duration == null) {
            node.putNull("duration");
        } else {
            node.put("duration", duration);
        }
        node.put("name", "Conversation " + s.id.substring(0, 8));
        return node;
    }

    private static String conversationStatus(Session s) {
        return switch (s.status) {
            case "COMPLETED", "CANCELLED" -> "ended";
            case "FAILED" -> "failed";
            default -> "in_progress";
        };
    }

    private static boolean ended(Session s) {
        return Set.of("COMPLETED", "FAILED", "CANCELLED").contains(s.status);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static void putInstant(ObjectNode node, String field, Instant value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.toString());
        }
    }

    private static Instant date(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "Validation of query failed",
                    List.of(new ApiException.Issue("invalid_string", List.of(name), "Invalid datetime")), Map.of());
        }
    }

    private Session find(String id) {
        Session s = sessions.get(id);
        if (s == null) {
            throw new ApiException(404, "Realtime session not found.");
        }
        return s;
    }

    private Session findConversation(String id) {
        Session s = sessions.get(id);
        if (s == null || s.conversationDeleted) {
            throw new ApiException(404, "Conversation not found.");
        }
        return s;
    }
}
