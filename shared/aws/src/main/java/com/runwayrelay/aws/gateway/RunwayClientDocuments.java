package com.runwayrelay.aws.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.owned.RunwayDocument;
import com.runwayrelay.domain.owned.RunwayDocuments;
import com.runwayrelay.runway.RunwayClient;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link RunwayDocuments} over {@link RunwayClient}: Runway's 400 is {@code Rejected}, its 404
 * {@code NotFound}, a create whose answer was lost (or could not be read) {@code Ambiguous}; anything a
 * later try may fix (429, 5xx, unreachable, our own key refused, an unreadable answer) {@code Unavailable}.
 * Runway's 409 to a create or change is {@code Rejected} with status 409 (nothing was made or changed).
 */
public final class RunwayClientDocuments implements RunwayDocuments {
    private final RunwayClient client;

    public RunwayClientDocuments(RunwayClient client) {
        this.client = client;
    }

    @Override
    public Answer create(String name, String content) {
        Answer answer = ANSWERS.change(() -> new Answer.Found(document(client.createDocument(name, content))));
        // A create Runway answered with something unreadable has probably made a document.
        return answer instanceof Answer.Unavailable u && u.reason().startsWith(UNREADABLE)
                ? new Answer.Ambiguous(u.reason()) : answer;
    }

    @Override
    public Answer get(String id) {
        return call(() -> new Answer.Found(document(client.getDocument(id))));
    }

    @Override
    public Answer update(String id, String name, String content) {
        return ANSWERS.change(() -> {
            client.updateDocument(id, name, content);
            return new Answer.Done();
        });
    }

    @Override
    public Answer delete(String id) {
        return call(() -> {
            client.deleteDocument(id);
            return new Answer.Done();
        });
    }

    private static final String UNREADABLE = RunwayFailureAnswers.UNREADABLE;
    private static final RunwayFailureAnswers<Answer> ANSWERS = new RunwayFailureAnswers<>(Answer.Rejected::new,
            Answer.NotFound::new, Answer.Ambiguous::new, Answer.Unavailable::new,
            error -> new Answer.Rejected(409, error, List.of()));

    private static Answer call(Supplier<Answer> call) {
        return ANSWERS.call(call);
    }

    /** Runway's document object, checked field by field. */
    static RunwayDocument document(ObjectNode node) {
        List<RunwayDocument.UsedBy> usedBy = new ArrayList<>();
        JsonNode users = node.path("usedBy");
        if (users.isArray()) {
            for (JsonNode user : users) {
                usedBy.add(new RunwayDocument.UsedBy(text(user, "id"),
                        user.path("imageUrl").isTextual() ? user.get("imageUrl").asText() : null, text(user, "name")));
            }
        }
        return new RunwayDocument(text(node, "id"), text(node, "name"), text(node, "type"), text(node, "content"),
                instant(node, "createdAt"), instant(node, "updatedAt"), usedBy);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new RunwayFailureAnswers.Malformed(field);
        }
        return value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        try {
            return Instant.parse(text(node, field));
        } catch (DateTimeParseException e) {
            throw new RunwayFailureAnswers.Malformed(field);
        }
    }
}
