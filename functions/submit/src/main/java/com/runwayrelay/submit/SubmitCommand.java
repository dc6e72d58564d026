package com.runwayrelay.submit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.app.App;
import java.util.Objects;

/**
 * One task submission as the app sent it.
 *
 * @param app            the authenticated app
 * @param endpoint       the endpoint without {@code /v1/}, e.g. {@code text_to_image}
 * @param idempotencyKey the {@code Idempotency-Key} header, or null
 * @param body           the request body as the edge read it ({@link RequestBody#parse}, the only parse of
 *                       it), {@code relay} included. Read only: it is what the idempotency fingerprint is
 *                       taken from, so nothing may change it ({@link RequestCheck} works on a copy)
 */
record SubmitCommand(App app, String endpoint, String idempotencyKey, ObjectNode body) {
    SubmitCommand {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
        return "SubmitCommand[" + app.id() + ", " + endpoint + ", " + body.size() + " members]";
    }
}
