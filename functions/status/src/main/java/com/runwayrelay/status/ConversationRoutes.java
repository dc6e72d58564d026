package com.runwayrelay.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.owned.AvatarConversations;
import com.runwayrelay.domain.owned.AvatarConversations.Outcome;
import com.runwayrelay.domain.owned.RunwayConversation;
import java.time.Duration;

/**
 * {@code /v1/avatar_conversations}: runs the {@link AvatarConversations} use case for the authenticated
 * app and answers in Runway's shapes: the conversation object as Runway sent it (get), 204 (delete),
 * {@code {data, hasMore, nextCursor}} of list summaries from the gateway's own index (list). Another
 * app's conversation is the same 404 as a missing one.
 */
final class ConversationRoutes {
    private final AvatarConversations conversations;

    ConversationRoutes(AvatarConversations conversations) {
        this.conversations = conversations;
    }

    /** {@code 404 not-found} for a conversation the app cannot see. */
    static ApiResponse notFound() {
        return Problem.of(404, "not-found", "Not found", "Avatar conversation not found").response();
    }

    ApiResponse get(App app, String id) {
        return answer(conversations.get(app.id(), id));
    }

    ApiResponse delete(App app, String id) {
        return answer(conversations.delete(app.id(), id));
    }

    ApiResponse list(App app, String limit, String cursor, String avatar, String startDate, String endDate) {
        return switch (RealtimeRequests.list(limit, cursor, avatar, startDate, endDate)) {
            case DocumentRequests.Parsed.Refused<RealtimeRequests.ListQuery> refused -> refused.problem().response();
            case DocumentRequests.Parsed.Ok<RealtimeRequests.ListQuery> ok ->
                    answer(conversations.list(app.id(), ok.value().filter(), ok.value().cursor(), ok.value().limit()));
        };
    }

    private static ApiResponse answer(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Found found -> ApiResponse.json(200, found.conversation().json());
            case Outcome.Done done -> ApiResponse.noContent();
            case Outcome.Listed listed -> {
                ObjectNode body = ApiResponse.JSON.createObjectNode();
                ArrayNode data = body.putArray("data");
                for (RunwayConversation conversation : listed.conversations()) {
                    data.add(tree(conversation.summaryJson()));
                }
                body.put("hasMore", listed.nextCursor() != null);
                if (listed.nextCursor() == null) {
                    body.putNull("nextCursor");
                } else {
                    body.put("nextCursor", listed.nextCursor());
                }
                yield ApiResponse.json(200, body);
            }
            case Outcome.NotFound notFound -> notFound();
            // Only a list is refused by the gateway itself: its cursor, a query parameter.
            case Outcome.Rejected rejected -> Problem.invalidQuery(rejected.issues().stream().map(Problem::queryIssue)
                    .toList()).response();
            case Outcome.Unavailable unavailable -> Problem.of(503, "runway-unavailable", "Runway unavailable",
                            "Runway could not be reached (" + unavailable.reason() + "); nothing changed; try again")
                    .withRetryAfter(unavailable.retryAfter() == null ? Duration.ofSeconds(1) : unavailable.retryAfter())
                    .response();
        };
    }

    private static ObjectNode tree(String json) {
        try {
            return (ObjectNode) ApiResponse.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a conversation summary is always a JSON object", e);
        }
    }
}
