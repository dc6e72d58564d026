package com.runwayrelay.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.owned.Documents;
import com.runwayrelay.domain.owned.Documents.Outcome;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.owned.RunwayDocument;
import java.time.Duration;

/**
 * {@code /v1/documents}: checks the request ({@link DocumentRequests}), runs the {@link Documents} use
 * case for the authenticated app and answers in Runway's shapes: the document object (create, get),
 * 204 (update, delete), {@code {data, hasMore, nextCursor}} with the documents minus their content
 * (list). Another app's document is the same 404 as a missing one. A create that may have left a
 * document at Runway that no app owns is reported to the operator ({@link PossibleOrphans}: logged as
 * {@code documents.possible_orphan} and counted) and answered 503.
 */
final class DocumentRoutes {
    private final Documents documents;
    private final PossibleOrphans orphans;

    DocumentRoutes(Documents documents, PossibleOrphans orphans) {
        this.documents = documents;
        this.orphans = orphans;
    }

    /** {@code 404 not-found}, the tasks' answer, for a document the app cannot see. */
    static ApiResponse notFound() {
        return Problem.of(404, "not-found", "Not found", "Document not found").response();
    }

    ApiResponse create(App app, String body) {
        return switch (DocumentRequests.create(body)) {
            case DocumentRequests.Parsed.Refused<DocumentRequests.Body> refused -> refused.problem().response();
            case DocumentRequests.Parsed.Ok<DocumentRequests.Body> ok ->
                    answer(app, documents.create(app.id(), ok.value().name(), ok.value().content()));
        };
    }

    ApiResponse get(App app, String id) {
        return answer(app, documents.get(app.id(), id));
    }

    ApiResponse update(App app, String id, String body) {
        return switch (DocumentRequests.update(body)) {
            case DocumentRequests.Parsed.Refused<DocumentRequests.Body> refused -> refused.problem().response();
            case DocumentRequests.Parsed.Ok<DocumentRequests.Body> ok ->
                    answer(app, documents.update(app.id(), id, ok.value().name(), ok.value().content()));
        };
    }

    ApiResponse delete(App app, String id) {
        return answer(app, documents.delete(app.id(), id));
    }

    ApiResponse list(App app, String limit, String cursor, String order, String sort) {
        return switch (DocumentRequests.list(limit, cursor, order, sort)) {
            case DocumentRequests.Parsed.Refused<DocumentRequests.ListQuery> refused -> refused.problem().response();
            case DocumentRequests.Parsed.Ok<DocumentRequests.ListQuery> ok ->
                    answer(app, documents.list(app.id(), ok.value().descending(), ok.value().cursor(), ok.value().limit()));
        };
    }

    private ApiResponse answer(App app, Outcome outcome) {
        return switch (outcome) {
            case Outcome.Found found -> ApiResponse.json(200, render(found.document(), true));
            case Outcome.Done done -> ApiResponse.noContent();
            case Outcome.Listed listed -> {
                ObjectNode body = ApiResponse.JSON.createObjectNode();
                ArrayNode data = body.putArray("data");
                listed.documents().forEach(d -> data.add(render(d, false)));
                body.put("hasMore", listed.nextCursor() != null);
                if (listed.nextCursor() == null) {
                    body.putNull("nextCursor");
                } else {
                    body.put("nextCursor", listed.nextCursor());
                }
                yield ApiResponse.json(200, body);
            }
            case Outcome.NotFound notFound -> notFound();
            case Outcome.Rejected rejected when rejected.status() == 409 ->
                    Problem.of(409, "conflict", "Conflict", rejected.error()).response();
            // The gateway's own refusal is of the list's cursor, a query parameter; Runway's is of the body.
            case Outcome.Rejected rejected -> rejected.issues().stream().anyMatch(i -> i.code().equals("invalid_cursor"))
                    ? Problem.invalidQuery(rejected.issues().stream().map(Problem::queryIssue).toList()).response()
                    : new Problem(400, "runway-rejected", "Rejected by Runway", rejected.error(), rejected.issues(),
                            java.util.Map.of(), null).response();
            case Outcome.Unavailable unavailable -> Problem.of(503, "runway-unavailable", "Runway unavailable",
                            "Runway could not be reached (" + unavailable.reason() + "); nothing changed; try again")
                    .withRetryAfter(unavailable.retryAfter() == null ? Duration.ofSeconds(1) : unavailable.retryAfter())
                    .response();
            case Outcome.PossibleOrphan orphan -> {
                orphans.report(ResourceKind.DOCUMENTS, app.id(), orphan.reason(), "runwayDocumentId", orphan.runwayId());
                yield Problem.of(503, "runway-unavailable", "Runway unavailable",
                                "The document could not be created for the app (" + orphan.reason()
                                        + "); nothing was recorded for it; try again")
                        .withRetryAfter(Duration.ofSeconds(1)).response();
            }
        };
    }

    /** Runway's document object; lists leave out {@code content}, as Runway's do. */
    private static ObjectNode render(RunwayDocument document, boolean withContent) {
        ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("id", document.id());
        if (withContent) {
            node.put("content", document.content());
        }
        node.put("createdAt", document.createdAt().toString());
        node.put("name", document.name());
        node.put("type", document.type());
        node.put("updatedAt", document.updatedAt().toString());
        ArrayNode usedBy = node.putArray("usedBy");
        for (RunwayDocument.UsedBy user : document.usedBy()) {
            ObjectNode u = usedBy.addObject().put("id", user.id());
            if (user.imageUrl() == null) {
                u.putNull("imageUrl");
            } else {
                u.put("imageUrl", user.imageUrl());
            }
            u.put("name", user.name());
        }
        return node;
    }
}
