package com.runwayrelay.aws.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.owned.RunwayConversation;
import com.runwayrelay.domain.owned.RunwayRealtime;
import com.runwayrelay.domain.owned.RunwaySession;
import com.runwayrelay.domain.owned.SessionStatus;
import com.runwayrelay.runway.RunwayClient;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/**
 * {@link RunwayRealtime} over {@link RunwayClient}, mapping Runway's answers like
 * {@link RunwayClientDocuments}: 400 {@code Rejected}, 404 {@code NotFound}, a create whose answer was
 * lost or unreadable {@code Ambiguous}, anything a later try may fix {@code Unavailable}; Runway's 409 to a
 * session create is {@code Rejected} with status 409 (no session was made). Runway's
 * objects reach the app as sent; a conversation's list summary is derived from its full object
 * ({@code hasTools} from {@code tools}, the avatar without its image).
 */
public final class RunwayClientRealtime implements RunwayRealtime {
    private static final String UNREADABLE = RunwayFailureAnswers.UNREADABLE;
    private static final RunwayFailureAnswers<Answer> ANSWERS = new RunwayFailureAnswers<>(Answer.Rejected::new,
            Answer.NotFound::new, Answer.Ambiguous::new, Answer.Unavailable::new,
            error -> new Answer.Rejected(409, error, java.util.List.of()));
    private final RunwayClient client;

    public RunwayClientRealtime(RunwayClient client) {
        this.client = client;
    }

    @Override
    public Answer createSession(String body) {
        ObjectNode request;
        try {
            request = (ObjectNode) ApiResponse.JSON.readTree(body);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("the session body must be a JSON object", e);
        }
        Answer answer = ANSWERS.change(() -> new Answer.Created(text(client.createRealtimeSession(request), "id")));
        return answer instanceof Answer.Unavailable u && u.reason().startsWith(UNREADABLE)
                ? new Answer.Ambiguous(u.reason()) : answer;
    }

    @Override
    public Answer getSession(String id) {
        return call(() -> new Answer.SessionFound(session(client.getRealtimeSession(id))));
    }

    @Override
    public Answer cancelSession(String id) {
        return call(() -> {
            client.cancelRealtimeSession(id);
            return new Answer.Done();
        });
    }

    @Override
    public Answer getConversation(String id) {
        return call(() -> new Answer.ConversationFound(conversation(client.getAvatarConversation(id))));
    }

    @Override
    public Answer deleteConversation(String id) {
        return call(() -> {
            client.deleteAvatarConversation(id);
            return new Answer.Done();
        });
    }

    private static Answer call(Supplier<Answer> call) {
        return ANSWERS.call(call);
    }

    /** Runway's session object: id and status required, duration read when it is a number. */
    static RunwaySession session(ObjectNode node) {
        return new RunwaySession(text(node, "id"), SessionStatus.of(text(node, "status")), number(node, "duration"),
                write(node));
    }

    /** Runway's conversation object, and its list summary. */
    static RunwayConversation conversation(ObjectNode node) {
        ObjectNode summary = ApiResponse.JSON.createObjectNode();
        summary.put("id", text(node, "id"));
        JsonNode avatar = node.get("avatar");
        if (avatar instanceof ObjectNode full) {
            ObjectNode brief = summary.putObject("avatar");
            if ("custom".equals(full.path("type").asText())) {
                brief.set("id", full.path("id").isMissingNode() ? ApiResponse.JSON.nullNode() : full.get("id"));
                brief.set("name", full.path("name").isMissingNode() ? ApiResponse.JSON.nullNode() : full.get("name"));
            } else {
                // Runway's retrieve has no display name for a preset; the list shows the preset's own when sent, else its id.
                brief.set("name", full.path("name").isTextual() ? full.get("name") : full.path("presetId"));
                brief.set("presetId", full.path("presetId"));
            }
            brief.set("type", full.path("type"));
        } else {
            summary.putNull("avatar");
        }
        summary.put("createdAt", text(node, "createdAt"));
        Double duration = number(node, "duration");
        if (duration == null) {
            summary.putNull("duration");
        } else {
            summary.set("duration", node.get("duration"));
        }
        summary.put("hasTools", node.path("tools").isArray() && !node.path("tools").isEmpty());
        summary.set("name", node.path("name").isTextual() ? node.get("name") : ApiResponse.JSON.getNodeFactory().textNode(""));
        summary.put("status", text(node, "status"));
        Instant createdAt;
        try {
            createdAt = Instant.parse(text(node, "createdAt"));
        } catch (DateTimeParseException e) {
            throw new RunwayFailureAnswers.Malformed("createdAt");
        }
        return new RunwayConversation(text(node, "id"), text(node, "status"), createdAt, duration, write(node),
                write(summary));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new RunwayFailureAnswers.Malformed(field);
        }
        return value.asText();
    }

    private static Double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.asDouble() : null;
    }

    private static String write(JsonNode node) {
        try {
            return ApiResponse.JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serializes", e);
        }
    }
}
