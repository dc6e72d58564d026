package com.runwayrelay.aws.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request to the gateway API as a function sees it, independent of the Lambda event
 * types: the route API Gateway matched ({@code "POST /v1/text_to_image"}), headers by lower-case
 * name, the body as text (decoded when it arrived base64-encoded) and the path parameters.
 *
 * @param routeKey       the matched route, {@code "<METHOD> <path template>"}
 * @param headers        header values by lower-case name
 * @param body           the body, empty when there is none
 * @param pathParameters values of the route's {@code {name}} segments
 * @param queryParameters the query string's parameters, decoded; a repeated one has its values
 *                       joined with commas (as API Gateway's payload 2.0 does)
 */
public record ApiRequest(String routeKey, Map<String, String> headers, String body, Map<String, String> pathParameters,
                         Map<String, String> queryParameters) {

    public ApiRequest {
        routeKey = routeKey == null ? "" : routeKey;
        Map<String, String> lower = new HashMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name != null && value != null) {
                    lower.put(name.toLowerCase(Locale.ROOT), value);
                }
            });
        }
        headers = Map.copyOf(lower);
        body = body == null ? "" : body;
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        queryParameters = queryParameters == null ? Map.of() : Map.copyOf(queryParameters);
    }

    /** A request without query parameters. */
    public ApiRequest(String routeKey, Map<String, String> headers, String body, Map<String, String> pathParameters) {
        this(routeKey, headers, body, pathParameters, Map.of());
    }

    /** Builds a request from an HTTP API event's parts; a base64 body is decoded as UTF-8. */
    public static ApiRequest of(String routeKey, Map<String, String> headers, String body, boolean base64,
                                Map<String, String> pathParameters) {
        return of(routeKey, headers, body, base64, pathParameters, Map.of());
    }

    /** As {@link #of(String, Map, String, boolean, Map)}, with the query string's parameters. */
    public static ApiRequest of(String routeKey, Map<String, String> headers, String body, boolean base64,
                                Map<String, String> pathParameters, Map<String, String> queryParameters) {
        String text = body != null && base64
                ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
        return new ApiRequest(routeKey, headers, text, pathParameters, queryParameters);
    }

    /** A header's value, by any spelling of its name; null when absent. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** A query parameter's value; null when absent. */
    public String queryParameter(String name) {
        return queryParameters.get(name);
    }

    /** A path parameter's value; null when absent. */
    public String pathParameter(String name) {
        return pathParameters.get(name);
    }

    @Override
    public String toString() {
        // Headers carry the app key and bodies may carry data URIs: neither belongs in a log line.
        return "ApiRequest[" + routeKey + ", " + body.length() + " chars]";
    }
}
