package com.runwayrelay.aws.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.owned.RunwayResources;
import com.runwayrelay.runway.RunwayClient;
import com.runwayrelay.runway.RunwayException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/**
 * {@link RunwayResources} of one kind ({@code /v1/avatars}, {@code /v1/voices}) over {@link RunwayClient},
 * with Runway's JSON passed through as it came. Errors map as in {@link RunwayClientDocuments}: 400 is
 * {@code Rejected}, 404 {@code NotFound}, a create whose answer was lost (or could not be read)
 * {@code Ambiguous}, anything a later try may fix {@code Unavailable}; Runway's 409 to a create or change
 * is {@code Rejected} with status 409 (nothing was made or changed). An answer without a string
 * {@code id} is unreadable.
 */
public final class RunwayClientResources implements RunwayResources<ObjectNode, ObjectNode> {
    private static final String UNREADABLE = "Runway's answer could not be read";
    private final RunwayClient client;
    private final String collection;

    public RunwayClientResources(RunwayClient client, ResourceKind kind) {
        this.client = client;
        this.collection = kind.wireName();
    }

    @Override
    public Answer<ObjectNode> create(ObjectNode body) {
        Answer<ObjectNode> answer = change(() -> {
            ObjectNode created = client.createResource(collection, body);
            return new Answer.Created<>(id(created), createdAt(created), created);
        });
        // A create Runway answered with something unreadable has probably made a resource.
        return answer instanceof Answer.Unavailable<ObjectNode> u && u.reason().startsWith(UNREADABLE)
                ? new Answer.Ambiguous<>(u.reason()) : answer;
    }

    @Override
    public Answer<ObjectNode> get(String id) {
        return call(() -> found(client.getResource(collection, id)));
    }

    @Override
    public Answer<ObjectNode> update(String id, ObjectNode body) {
        return change(() -> found(client.updateResource(collection, id, body)));
    }

    @Override
    public Answer<ObjectNode> delete(String id) {
        return call(() -> {
            client.deleteResource(collection, id);
            return new Answer.Done<>();
        });
    }

    /**
     * Posts to an action of this collection, e.g. {@code preview} for {@code POST /v1/voices/preview}.
     *
     * @return {@link Answer.Found} with Runway's answer, {@link Answer.Rejected} or {@link Answer.Unavailable}
     *         (an answer lost after sending is unavailable too: an action makes no resource to orphan)
     */
    public Answer<ObjectNode> action(String action, ObjectNode body) {
        Answer<ObjectNode> answer = call(() -> new Answer.Found<>(client.postAction(collection + "/" + action, body)));
        return answer instanceof Answer.Ambiguous<ObjectNode> a ? new Answer.Unavailable<>(a.reason(), null) : answer;
    }

    private static Answer<ObjectNode> found(ObjectNode resource) {
        id(resource);
        return new Answer.Found<>(resource);
    }

    /** Like {@link #call}, except that Runway's 409 (see {@link RunwayFailureAnswers#change}) is {@code Rejected} 409. */
    private static <R> Answer<R> change(Supplier<Answer<R>> call) {
        return call(() -> {
            try {
                return call.get();
            } catch (RunwayException e) {
                if (RunwayFailureAnswers.isConflict(e)) {
                    return new Answer.Rejected<>(409, RunwayFailureAnswers.conflictError(e), java.util.List.of());
                }
                throw e;
            }
        });
    }

    static <R> Answer<R> call(Supplier<Answer<R>> call) {
        try {
            return call.get();
        } catch (RunwayException.BadRequest e) {
            return new Answer.Rejected<>(400, e.runwayError().orElse("Runway refused the request"), e.issues().stream()
                    .map(i -> new Violation(i.path(), i.code(), i.message())).toList());
        } catch (RunwayException.NotFound e) {
            return new Answer.NotFound<>();
        } catch (RunwayException.Ambiguous e) {
            return new Answer.Ambiguous<>("Runway's answer to the create was lost");
        } catch (RunwayException.RateLimited e) {
            return new Answer.Unavailable<>("Runway is rate limiting", e.retryAfter().orElse(null));
        } catch (RunwayException.Transient e) {
            return new Answer.Unavailable<>("Runway is unreachable or busy", e.retryAfter().orElse(null));
        } catch (RunwayException.InvalidResponse | Malformed e) {
            return new Answer.Unavailable<>(UNREADABLE, null);
        } catch (RunwayException e) {
            return new Answer.Unavailable<>("Runway refused the gateway's call (" + e.getClass().getSimpleName() + ")", null);
        }
    }

    private static String id(ObjectNode node) {
        JsonNode id = node.get("id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw new Malformed();
        }
        return id.asText();
    }

    /** The node's {@code createdAt} as an instant, or null when it has none that reads as one. */
    static Instant createdAt(JsonNode node) {
        JsonNode value = node.get("createdAt");
        if (value == null || !value.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Runway's answer has no id. */
    private static final class Malformed extends RuntimeException {
        Malformed() {
            super("Runway's answer has no valid 'id'", null, false, false);
        }
    }
}
