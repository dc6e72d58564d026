package com.runwayrelay.aws.priming;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.GatewayJson;
import com.runwayrelay.aws.gateway.HttpApiJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The request a priming hook sends its function's API, as the bytes API Gateway would send (payload
 * format 2.0, {@link PrimingApps#UNKNOWN_KEY} as the app key), taken the way the function's stream
 * handler takes a real invocation: read by {@link HttpApiJson}, answered by the API, the answer written
 * by {@link HttpApiJson} (to nowhere). So priming runs the event decoding and response writing a real
 * first request runs, not only the API in between.
 *
 * @param routeKey the route API Gateway matched, e.g. {@code GET /v1/tasks/{id}}
 * @param path the raw path, e.g. {@code /v1/tasks/…}
 * @param pathParameters the route's path parameters ({@code id} above), empty for none
 * @param body the JSON body, or null for none
 */
public record PrimingRequest(String routeKey, String path, Map<String, String> pathParameters, String body) {
    public PrimingRequest {
        Objects.requireNonNull(routeKey, "routeKey");
        Objects.requireNonNull(path, "path");
        pathParameters = Map.copyOf(pathParameters);
        if (routeKey.indexOf(' ') <= 0) {
            throw new IllegalArgumentException("a route key is a method, a space and a path: " + routeKey);
        }
    }

    /** The method the route key names. */
    public String method() {
        return routeKey.substring(0, routeKey.indexOf(' '));
    }

    /** The event as JSON bytes, with the unknown key, a JSON content type when there is a body, and the API version header. */
    public byte[] eventJson() {
        ObjectNode event = GatewayJson.MAPPER.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        headers.put("authorization", "Bearer " + PrimingApps.UNKNOWN_KEY);
        headers.put("x-runway-version", "2024-11-06");
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("routeKey", routeKey);
        ObjectNode http = context.putObject("http");
        http.put("method", method());
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        event.put("isBase64Encoded", false);
        if (!pathParameters.isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            pathParameters.forEach(parameters::put);
        }
        if (body != null) {
            event.put("body", body);
        }
        try {
            return GatewayJson.MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event of plain strings always serializes", e);
        }
    }

    /**
     * Sends this request to {@code api} as the stream handler would and returns the answer's status.
     *
     * @throws IOException if the event cannot be read or the answer written (neither happens for a well-formed request)
     */
    public int sendTo(Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api) throws IOException {
        APIGatewayV2HTTPEvent event = HttpApiJson.read(new ByteArrayInputStream(eventJson()));
        APIGatewayV2HTTPResponse response = api.apply(event);
        HttpApiJson.write(response, OutputStream.nullOutputStream());
        return response.getStatusCode();
    }
}
