package com.runwayrelay.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link GatewayFront} routes what template.yaml routes: its route table is the template's
 * {@code HttpApi} events under {@code /v1}, each to the function the template gives it, and a request
 * on each route reaches that function with the route's key and path parameters.
 */
class GatewayFrontTest {
    /** The template's functions {@link GatewayFront} stands in front of. */
    private static final Map<String, GatewayFront.Target> FRONTED = Map.of(
            "SubmitFunction", GatewayFront.Target.SUBMIT, "StatusFunction", GatewayFront.Target.STATUS);

    /** Every {@code HttpApi} event of the template under {@code /v1}: route key to the function's logical id. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> templateRoutes() {
        Map<String, String> routes = new TreeMap<>();
        CloudFormationTemplate template = CloudFormationTemplate.fromClasspath();
        template.resourcesOfType("AWS::Serverless::Function").keySet().forEach(function -> {
            Object events = template.properties(function).get("Events");
            if (events == null) {
                return;
            }
            ((Map<String, Map<String, Object>>) events).forEach((name, event) -> {
                if (!"HttpApi".equals(event.get("Type"))) {
                    return;
                }
                Map<String, Object> properties = (Map<String, Object>) event.get("Properties");
                String path = (String) properties.get("Path");
                if (path.startsWith("/v1/")) {
                    String previous = routes.put(properties.get("Method") + " " + path, function);
                    assertNull(previous, "two functions route " + properties.get("Method") + " " + path);
                }
            });
        });
        return routes;
    }

    @Test
    void routesExactlyTheTemplatesV1Routes_eachToTheTemplatesFunction() {
        Map<String, String> expected = new TreeMap<>(templateRoutes());
        assertFalse(expected.isEmpty(), "the template has no /v1 route");
        Map<String, String> actual = new TreeMap<>();
        GatewayFront.ROUTES.forEach((route, target) -> actual.put(route, FRONTED.entrySet().stream()
                .filter(e -> e.getValue() == target).findFirst().orElseThrow().getKey()));

        List<String> problems = new ArrayList<>();
        expected.forEach((route, function) -> {
            if (!actual.containsKey(route)) {
                problems.add("template.yaml routes " + route + " to " + function + "; GatewayFront.ROUTES lacks it");
            } else if (!actual.get(route).equals(function)) {
                problems.add(route + " goes to " + function + " in template.yaml, to " + actual.get(route)
                        + " in GatewayFront.ROUTES");
            }
        });
        actual.keySet().stream().filter(route -> !expected.containsKey(route))
                .forEach(route -> problems.add("GatewayFront.ROUTES has " + route + ", which template.yaml does not route"));
        assertEquals(List.of(), problems, "GatewayFront.ROUTES must be template.yaml's /v1 HttpApi routes, each to the "
                + "same function (a /v1 route on a function GatewayFront does not front fails too)");
    }

    @Test
    void aRequestOnEachTemplateRouteReachesItsFunction_withTheRouteKeyAndPathParameters() throws Exception {
        AtomicReference<String> reached = new AtomicReference<>();
        AtomicReference<APIGatewayV2HTTPEvent> seen = new AtomicReference<>();
        HttpClient http = HttpClient.newHttpClient();
        List<String> problems = new ArrayList<>();
        try (GatewayFront front = GatewayFront.start(recording("SubmitFunction", reached, seen),
                recording("StatusFunction", reached, seen))) {
            for (Map.Entry<String, String> route : templateRoutes().entrySet()) {
                String[] methodAndPath = route.getKey().split(" ", 2);
                // ANY is tried with a method no other route of the same path has.
                String method = methodAndPath[0].equals("ANY") ? "PUT" : methodAndPath[0];
                Map<String, String> parameters = new HashMap<>();
                StringBuilder path = new StringBuilder();
                for (String segment : methodAndPath[1].substring(1).split("/")) {
                    path.append('/');
                    if (segment.endsWith("+}")) {
                        parameters.put(segment.substring(1, segment.length() - 2), "no_such/thing");
                        path.append("no_such/thing");
                    } else if (segment.startsWith("{")) {
                        parameters.put(segment.substring(1, segment.length() - 1), "id-123");
                        path.append("id-123");
                    } else {
                        path.append(segment);
                    }
                }
                reached.set(null);
                seen.set(null);
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(front.baseUri().resolve(path.toString()))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

                String what = method + " " + path + " (template route " + route.getKey() + ")";
                if (response.statusCode() != 200 || !route.getValue().equals(reached.get())) {
                    problems.add(what + " reached " + reached.get() + " (answer " + response.statusCode() + "), not "
                            + route.getValue());
                    continue;
                }
                APIGatewayV2HTTPEvent event = seen.get();
                if (!route.getKey().equals(event.getRouteKey())
                        || !route.getKey().equals(event.getRequestContext().getRouteKey())) {
                    problems.add(what + " arrived as route " + event.getRouteKey());
                }
                Map<String, String> given = event.getPathParameters() == null ? Map.of() : event.getPathParameters();
                if (!parameters.equals(given)) {
                    problems.add(what + " arrived with path parameters " + given + ", not " + parameters);
                }
            }
            reached.set(null);
            HttpResponse<String> outside = http.send(HttpRequest.newBuilder(front.baseUri().resolve("/v2/tasks"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (outside.statusCode() != 404 || reached.get() != null) {
                problems.add("GET /v2/tasks reached " + reached.get() + " (answer " + outside.statusCode() + "), not 404");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void literalRoutesWinOverParametersAndTheGreedyRoute_asInApiGateway() {
        assertEquals("POST /v1/recipes/product_ad", GatewayFront.routeKey("POST", "/v1/recipes/product_ad"));
        assertEquals("POST /v1/generate/video", GatewayFront.routeKey("POST", "/v1/generate/video"));
        assertEquals("POST /v1/voices/preview", GatewayFront.routeKey("POST", "/v1/voices/preview"));
        assertEquals("GET /v1/voices/{id}", GatewayFront.routeKey("GET", "/v1/voices/preview"));
        assertEquals("GET /v1/workflows", GatewayFront.routeKey("GET", "/v1/workflows"));
        assertEquals(GatewayFront.OTHER, GatewayFront.routeKey("GET", "/v1/recipes/product_ad"));
        assertEquals(GatewayFront.OTHER, GatewayFront.routeKey("POST", "/v1/recipes/unknown"));
        assertEquals(GatewayFront.OTHER, GatewayFront.routeKey("POST", "/v1/tasks/t-1"));
        assertEquals(GatewayFront.OTHER, GatewayFront.routeKey("GET", "/v1/tasks/t-1/extra"));
        assertNull(GatewayFront.routeKey("GET", "/v1/"));
        assertNull(GatewayFront.routeKey("GET", "/admin/v1/apps"));
    }

    /** A function that notes it was reached and the event it got, and answers 200. */
    private static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> recording(
            String function, AtomicReference<String> reached, AtomicReference<APIGatewayV2HTTPEvent> seen) {
        return (event, context) -> {
            reached.set(function);
            seen.set(event);
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("{}").build();
        };
    }
}
