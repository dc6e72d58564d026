package com.runwayrelay.aws.priming;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Objects;
import java.util.function.Function;

/**
 * The API of an HTTP API function wired in a Lambda runtime, holding its priming hook: {@code org.crac}
 * keeps registered resources only weakly, so the hook lives as long as the handler that holds this.
 * Answers every event with {@code api}.
 *
 * @param <H> the hook's type (an {@code org.crac.Resource} of the function's own)
 */
public record PrimedApi<H>(Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api, H priming)
        implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public PrimedApi {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(priming, "priming");
    }

    @Override
    public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
        return api.apply(event);
    }
}
