package com.runwayrelay.aws.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** Translation between API Gateway HTTP API (payload 2.0) events and the gateway's request/response values. */
public final class HttpApiEvents {
    private HttpApiEvents() {
    }

    /** The request an HTTP API event carries. */
    public static ApiRequest request(APIGatewayV2HTTPEvent event) {
        return ApiRequest.of(event.getRouteKey(), event.getHeaders(), event.getBody(), event.getIsBase64Encoded(),
                event.getPathParameters(), event.getQueryStringParameters());
    }

    /** The HTTP API response for an answer (bodies are always text). */
    public static APIGatewayV2HTTPResponse response(ApiResponse response) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }
}
