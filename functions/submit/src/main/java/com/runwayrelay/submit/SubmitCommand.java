package com.runwayrelay.submit;

import com.runwayrelay.domain.app.App;
import java.util.Objects;

/**
 * One task submission as the app sent it.
 *
 * @param app            the authenticated app
 * @param endpoint       the endpoint without {@code /v1/}, e.g. {@code text_to_image}
 * @param idempotencyKey the {@code Idempotency-Key} header, or null
 * @param body           the raw request body
 */
record SubmitCommand(App app, String endpoint, String idempotencyKey, String body) {
    SubmitCommand {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
        return "SubmitCommand[" + app.id() + ", " + endpoint + ", " + body.length() + " chars]";
    }
}
