package com.runwayrelay.aws.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP response of the gateway API, independent of the Lambda event types.
 *
 * @param status  the status code
 * @param headers header names in lower case
 * @param body    the body, empty for 204
 */
public record ApiResponse(int status, Map<String, String> headers, String body) {
    /** The one JSON mapper of the gateway's HTTP edge: {@link GatewayJson#MAPPER}. */
    public static final ObjectMapper JSON = GatewayJson.MAPPER;

    public ApiResponse {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** {@code application/json} with the given body. */
    public static ApiResponse json(int status, JsonNode body) {
        return json(status, write(body));
    }

    /** {@code application/json} with a body already serialized (a replayed response). */
    public static ApiResponse json(int status, String body) {
        return new ApiResponse(status, Map.of("content-type", "application/json"), body);
    }

    /** {@code 204 No Content}. */
    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), "");
    }

    /** This response with one more header. */
    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name.toLowerCase(Locale.ROOT), value);
        return new ApiResponse(status, more, body);
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
