package com.runwayrelay.submit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.runwayrelay.aws.config.Env;
import java.util.Map;
import java.util.function.Function;

/** Composition root of the submit function: reads the configuration and wires the use case, once. */
public final class SubmitFunction {
    private SubmitFunction() {
    }

    public static Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> fromEnvironment(Map<String, String> env) {
        SubmitConfig config = SubmitConfig.from(new Env(env));
        // The gateway use cases land with the Gateway API issue; until then every route answers 501.
        return event -> APIGatewayV2HTTPResponse.builder()
                .withStatusCode(501)
                .withHeaders(Map.of("content-type", "application/problem+json"))
                .withBody("{\"type\":\"about:blank\",\"title\":\"Not implemented\",\"status\":501,"
                        + "\"error\":\"" + event.getRouteKey() + " is not implemented yet\"}")
                .build();
    }
}
