package com.runwayrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.testkit.aws.AwsEmulators;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Sends HTTP API events to an admin handler, as API Gateway would after IAM authorization. */
final class AdminCalls {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api;

    AdminCalls(Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api) {
        this.api = api;
    }

    /** The admin function's environment on the emulators, with Runway at {@code runwayBaseUrl}. */
    static Map<String, String> environment(AwsEmulators aws, String runwayBaseUrl) {
        Map<String, String> env = new HashMap<>(aws.environment());
        env.put("RUNWAY_API_BASE_URL", runwayBaseUrl);
        env.put("RUNWAYML_API_SECRET", "key_" + "0".repeat(64));
        return env;
    }

    /** The admin function wired as Lambda wires it, on the emulators, with the simulator as Runway (and its key). */
    static AdminCalls onSimulator(AwsEmulators aws, RunwaySimulator runway) {
        Map<String, String> env = new HashMap<>(environment(aws, runway.baseUri().toString()));
        env.put("RUNWAYML_API_SECRET", runway.apiKey());
        return new AdminCalls(AdminFunction.fromEnvironment(env, AdminCalls::dns));
    }

    /** The answer is a problem document of this status and type slug. */
    static void assertProblem(int status, String slug, Answer answer) {
        assertEquals(status, answer.status(), String.valueOf(answer.body()));
        assertEquals(Problem.MEDIA_TYPE, answer.contentType());
        assertEquals(Problem.TYPE_PREFIX + slug,
                answer.body().path("type").asText());
    }

    /** Test DNS: hooks.example.com is public, internal.example.com private, nothing else resolves. */
    static List<InetAddress> dns(String host) throws UnknownHostException {
        return switch (host) {
            case "hooks.example.com" -> List.of(InetAddress.getByName("93.184.215.20"));
            case "internal.example.com" -> List.of(InetAddress.getByName("10.0.0.7"));
            default -> throw new UnknownHostException(host);
        };
    }

    /** An answer: status, content type and parsed body (null when empty). */
    record Answer(int status, String contentType, JsonNode body) {
    }

    Answer call(String routeKey, String body, Map<String, String> path, Map<String, String> query) {
        String[] parts = routeKey.split(" ", 2);
        String rawPath = parts[1];
        for (Map.Entry<String, String> p : path.entrySet()) {
            rawPath = rawPath.replace("{" + p.getKey() + "}", p.getValue());
        }
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(rawPath)
                .withHeaders(new HashMap<>(Map.of("content-type", "application/json")))
                .withPathParameters(path.isEmpty() ? null : path)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withBody(body)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(parts[0])
                                .withPath(rawPath).build())
                        .build())
                .build();
        APIGatewayV2HTTPResponse response = api.apply(event);
        try {
            JsonNode parsed = response.getBody() == null || response.getBody().isEmpty() ? null
                    : JSON.readTree(response.getBody());
            return new Answer(response.getStatusCode(), response.getHeaders().get("content-type"), parsed);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    Answer call(String routeKey, String body, Map<String, String> path) {
        return call(routeKey, body, path, Map.of());
    }

    Answer call(String routeKey, String body) {
        return call(routeKey, body, Map.of(), Map.of());
    }
}
