package com.runwayrelay.status;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.runwayrelay.aws.gateway.HttpApiStreamHandler;
import java.util.function.Function;

/**
 * Lambda entry point for {@code GET|DELETE /v1/tasks/{id}} and {@code GET /v1/organization}
 * (HTTP API, payload format 2.0). Translates only: the work is done by the use case the
 * composition root ({@link StatusFunction}) wires once at init.
 *
 * <p>The Lambda runtime calls it with the invocation's bytes ({@link HttpApiStreamHandler}), so it
 * never builds its own event serializer.
 */
public final class StatusHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>,
        HttpApiStreamHandler {
    private final Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api;

    /** Used by the Lambda runtime: wires everything from the process environment. */
    public StatusHandler() {
        this(StatusFunction.fromEnvironment(System.getenv()));
    }

    /** Used by tests and the local stack. */
    public StatusHandler(Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api) {
        this.api = api;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.apply(event);
    }
}
