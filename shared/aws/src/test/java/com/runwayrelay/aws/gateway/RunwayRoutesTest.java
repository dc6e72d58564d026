package com.runwayrelay.aws.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.gateway.RunwayRoutes.Answer;
import com.runwayrelay.aws.gateway.RunwayRoutes.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunwayRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DOC_ROW = Pattern.compile(
            "^\\| (\\d+) \\| `([^`]+)` \\| `([A-Z]+ [^`]+)` \\| (works|403 `route-refused`|404 `route-not-supported`) \\|$");

    private static JsonNode body(ApiResponse response) throws Exception {
        assertEquals("application/problem+json", response.headers().get("content-type"));
        return JSON.readTree(response.body());
    }

    private static String slug(ApiResponse response) throws Exception {
        return body(response).path("type").asText().replace(Problem.TYPE_PREFIX, "");
    }

    @Test
    void listsTheSdksSixtyFiveCalls_onceEach_56Served_9Refused() {
        List<Route> all = RunwayRoutes.all();
        assertEquals(65, all.size());
        assertEquals(65, all.stream().map(Route::routeKey).distinct().count(), "a route is listed twice");
        assertEquals(65, all.stream().map(Route::sdkCall).distinct().count(), "an SDK call is listed twice");
        Map<Answer, Long> counts = all.stream().collect(Collectors.groupingBy(Route::answer, Collectors.counting()));
        assertEquals(Map.of(Answer.SERVED, 56L, Answer.REFUSED, 9L), counts);
    }

    @Test
    void refusesTheWebAppAndAuditLogRoutesAndEveryRouterRoute_with403NamingWhy() throws Exception {
        Set<String> refused = new HashSet<>();
        for (Route route : RunwayRoutes.all()) {
            if (route.answer() == Answer.REFUSED) {
                refused.add(route.routeKey());
                ApiResponse response = RunwayRoutes.answerUnserved(route.method(), route.path().replace("{id}", "r1")
                        .replace("{eventId}", "ev1"));
                assertEquals(403, response.status(), route.routeKey());
                assertEquals("route-refused", slug(response));
                JsonNode problem = body(response);
                assertEquals(route.routeKey(), problem.path("route").asText());
                assertTrue(problem.path("detail").asText().contains(route.sdkCall()), problem.toString());
                assertTrue(problem.path("detail").asText().contains(route.reason()), problem.toString());
            }
        }
        assertEquals(Set.of("GET /v1/organization/webapp/usage", "GET /v1/organization/webapp/audit_logs",
                "GET /v1/organization/webapp/audit_logs/{eventId}", "POST /v1/routers", "GET /v1/routers",
                "GET /v1/routers/{id}", "PATCH /v1/routers/{id}", "DELETE /v1/routers/{id}",
                "GET /v1/routers/{id}/requests"), refused);
    }

    @Test
    void answersEveryNotSupportedRouteWith404NamingTheSdkCall() throws Exception {
        for (Route route : RunwayRoutes.all()) {
            if (route.answer() == Answer.NOT_SUPPORTED) {
                ApiResponse response = RunwayRoutes.answerUnserved(route.method(), route.path().replace("{id}", "x1"));
                assertEquals(404, response.status(), route.routeKey());
                assertEquals("route-not-supported", slug(response));
                assertTrue(body(response).path("detail").asText().contains(route.sdkCall()), route.routeKey());
            }
        }
    }

    @Test
    void answers405WithAllow_whenThePathIsAnsweredButNotWithThatMethod() throws Exception {
        ApiResponse tasks = RunwayRoutes.answerUnserved("PUT", "/v1/tasks/abc");
        assertEquals(405, tasks.status());
        assertEquals("GET, DELETE", tasks.headers().get("allow"));
        assertEquals("method-not-allowed", slug(tasks));
        assertEquals("/v1/tasks/{id}", body(tasks).path("route").asText());

        assertEquals("POST", RunwayRoutes.answerUnserved("GET", "/v1/text_to_image").headers().get("allow"));
        assertEquals("GET", RunwayRoutes.answerUnserved("POST", "/v1/organization").headers().get("allow"));
        assertEquals("POST", RunwayRoutes.answerUnserved("GET", "/v1/organization/usage").headers().get("allow"));
        ApiResponse routers = RunwayRoutes.answerUnserved("PUT", "/v1/routers/r1");
        assertEquals(405, routers.status());
        assertEquals("GET, PATCH, DELETE", routers.headers().get("allow"));
    }

    @Test
    void answers404_whenThePathIsNoRouteOrOnlyOneNotSupported() throws Exception {
        for (String path : List.of("/v1/nothing_here", "/v1/tasks", "/v1/tasks/a/b", "/v1/tasks/", "/v1/", "/v1//x",
                "/v1/text_to_image/", "/v1/TEXT_TO_IMAGE", "/v2/tasks/abc", "", "v1/tasks/x")) {
            ApiResponse response = RunwayRoutes.answerUnserved("GET", path);
            assertEquals(404, response.status(), path);
            assertEquals("no-such-route", slug(response), path);
        }
        // A path whose only routes are not supported: a made-up one, so the case outlives the routes served later.
        List<Route> routes = List.of(new Route("POST", "/v1/future_kind", "client.futureKind.create",
                Answer.NOT_SUPPORTED, null));
        ApiResponse future = RunwayRoutes.answerUnserved("PUT", "/v1/future_kind", routes);
        assertEquals(404, future.status());
        assertEquals("route-not-supported", slug(future));
        assertTrue(body(future).path("detail").asText().contains("methods POST"), future.body());
        assertFalse(future.headers().containsKey("allow"));
        ApiResponse exact = RunwayRoutes.answerUnserved("POST", "/v1/future_kind", routes);
        assertEquals("route-not-supported", slug(exact));
        assertTrue(body(exact).path("detail").asText().contains("client.futureKind.create"), exact.body());
        ApiResponse generate = RunwayRoutes.answerUnserved("PUT", "/v1/generate/video");
        assertEquals(405, generate.status(), "served since the Model Router's generation: a wrong method");
        assertEquals("POST", generate.headers().get("allow"));
        ApiResponse conversations = RunwayRoutes.answerUnserved("PUT", "/v1/avatar_conversations/c1");
        assertEquals(405, conversations.status(), "served routes at the path: a wrong method");
        assertEquals("GET, DELETE", conversations.headers().get("allow"));
        ApiResponse workflows = RunwayRoutes.answerUnserved("PUT", "/v1/workflows/w1");
        assertEquals(405, workflows.status(), "served routes at the path: a wrong method");
        assertEquals("GET, POST", workflows.headers().get("allow"));
    }

    @Test
    void quotesAHostilePathShortAndWithoutControlCharacters_andNeverThrows() throws Exception {
        String hostile = "/v1/" + "\u0000\u001b[31m\u202e".repeat(3) + "x".repeat(5000);
        ApiResponse response = RunwayRoutes.answerUnserved("GET", hostile);
        assertEquals(404, response.status());
        String detail = body(response).path("detail").asText();
        assertTrue(detail.length() < RunwayRoutes.MAX_QUOTED_PATH + 200, detail);
        assertTrue(detail.chars().noneMatch(c -> Character.isISOControl(c) || c == '\u202e'), detail);
        assertEquals(404, RunwayRoutes.answerUnserved(null, null).status());
        assertEquals(404, RunwayRoutes.answerUnserved("get", "/v1/%2e%2e/tasks/x").status());
        assertEquals(405, RunwayRoutes.answerUnserved("get", "/v1/text_to_image").status(), "methods in any case");
    }

    @Test
    void docsApiTableListsEveryCallWithItsAnswer_inTheSameOrder() throws Exception {
        List<String> documented = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "..", "docs", "api.md"))) {
            Matcher row = DOC_ROW.matcher(line);
            if (row.matches()) {
                documented.add(row.group(2) + " | " + row.group(3) + " | " + row.group(4));
            }
        }
        List<String> expected = RunwayRoutes.all().stream().map(r -> r.sdkCall() + " | " + r.routeKey() + " | "
                + switch (r.answer()) {
                    case SERVED -> "works";
                    case REFUSED -> "403 `route-refused`";
                    case NOT_SUPPORTED -> "404 `route-not-supported`";
                }).toList();
        assertEquals(expected, documented);
    }
}
