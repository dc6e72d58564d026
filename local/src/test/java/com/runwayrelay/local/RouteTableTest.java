package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final RouteTable TEMPLATE_ROUTES = RouteTable.from(StackTemplate.fromClasspath().functions());

    private static FunctionSpec function(String id, FunctionSpec.HttpRoute... routes) {
        return new FunctionSpec(id, "x.XHandler", Duration.ofSeconds(3), 128, OptionalInt.empty(), Map.of(), List.of(routes), List.of(), List.of());
    }

    @Test
    void templateRoutes_reachTheirFunctions() {
        var create = TEMPLATE_ROUTES.match("POST", "/v1/text_to_image").orElseThrow();
        assertEquals("SubmitFunction", create.route().functionId());
        assertEquals("POST /v1/text_to_image", create.route().routeKey());
        assertTrue(create.pathParameters().isEmpty());

        var get = TEMPLATE_ROUTES.match("GET", "/v1/tasks/0b6f3d1e-4c2a-4f8e-9d3b-7a1c2e5f6a90").orElseThrow();
        assertEquals("StatusFunction", get.route().functionId());
        assertEquals("GET /v1/tasks/{id}", get.route().routeKey());
        assertEquals(Map.of("id", "0b6f3d1e-4c2a-4f8e-9d3b-7a1c2e5f6a90"), get.pathParameters());

        assertEquals("StatusFunction", TEMPLATE_ROUTES.match("DELETE", "/v1/tasks/abc").orElseThrow().route().functionId());
        assertEquals("StatusFunction", TEMPLATE_ROUTES.match("GET", "/v1/organization").orElseThrow().route().functionId());
        assertEquals("SubmitFunction", TEMPLATE_ROUTES.match("POST", "/v1/uploads").orElseThrow().route().functionId());
    }

    @Test
    void documentRoutesReachTheStatusFunctionsDeclaredRoutes_notTheGreedyOne() {
        for (String[] request : new String[][] {{"POST", "/v1/documents", "POST /v1/documents"},
                {"GET", "/v1/documents", "GET /v1/documents"}, {"GET", "/v1/documents/d-1", "GET /v1/documents/{id}"},
                {"PATCH", "/v1/documents/d-1", "PATCH /v1/documents/{id}"},
                {"DELETE", "/v1/documents/d-1", "DELETE /v1/documents/{id}"},
                {"PUT", "/v1/documents/d-1", "ANY /v1/{proxy+}"}, {"GET", "/v1/documents/d-1/x", "ANY /v1/{proxy+}"}}) {
            var match = TEMPLATE_ROUTES.match(request[0], request[1]).orElseThrow();
            assertEquals(request[2], match.route().routeKey(), request[0] + " " + request[1]);
            assertEquals("StatusFunction", match.route().functionId());
        }
        assertEquals(Map.of("id", "d-1"), TEMPLATE_ROUTES.match("PATCH", "/v1/documents/d-1").orElseThrow().pathParameters());
    }

    @Test
    void avatarAndVoiceRoutesReachTheStatusFunctionsDeclaredRoutes_previewIncluded() {
        for (String[] request : new String[][] {{"POST", "/v1/avatars", "POST /v1/avatars"},
                {"GET", "/v1/avatars", "GET /v1/avatars"}, {"GET", "/v1/avatars/a-1", "GET /v1/avatars/{id}"},
                {"PATCH", "/v1/avatars/a-1", "PATCH /v1/avatars/{id}"}, {"DELETE", "/v1/avatars/a-1", "DELETE /v1/avatars/{id}"},
                {"POST", "/v1/voices", "POST /v1/voices"}, {"GET", "/v1/voices", "GET /v1/voices"},
                {"GET", "/v1/voices/v-1", "GET /v1/voices/{id}"}, {"PATCH", "/v1/voices/v-1", "PATCH /v1/voices/{id}"},
                {"DELETE", "/v1/voices/v-1", "DELETE /v1/voices/{id}"}, {"POST", "/v1/voices/preview", "POST /v1/voices/preview"},
                {"PUT", "/v1/avatars/a-1", "ANY /v1/{proxy+}"}, {"POST", "/v1/voices/v-1/x", "ANY /v1/{proxy+}"}}) {
            var match = TEMPLATE_ROUTES.match(request[0], request[1]).orElseThrow();
            assertEquals(request[2], match.route().routeKey(), request[0] + " " + request[1]);
            assertEquals("StatusFunction", match.route().functionId());
        }
        assertEquals(Map.of("id", "v-1"), TEMPLATE_ROUTES.match("GET", "/v1/voices/v-1").orElseThrow().pathParameters());
    }

    @Test
    void undeclaredMethodsAndPathsUnderV1_reachTheStatusFunctionsGreedyRoute() {
        for (String[] request : new String[][] {{"GET", "/v1/text_to_image"}, {"POST", "/v1/unknown_endpoint"},
                {"GET", "/v1/tasks"}, {"GET", "/v1/tasks/"}, {"GET", "/v1/tasks/a/b"}, {"POST", "/v1/text_to_image/"},
                {"PUT", "/v1/tasks/abc"}, {"GET", "/v1/routers"}}) {
            var match = TEMPLATE_ROUTES.match(request[0], request[1]).orElseThrow(() -> new AssertionError(String.join(" ", request)));
            assertEquals("ANY /v1/{proxy+}", match.route().routeKey(), String.join(" ", request));
            assertEquals("StatusFunction", match.route().functionId());
        }
        assertEquals(Map.of("proxy", "tasks/a/b"), TEMPLATE_ROUTES.match("GET", "/v1/tasks/a/b").orElseThrow().pathParameters());
    }

    @Test
    void match_isEmpty_forUndeclaredPathsOutsideV1() {
        assertTrue(TEMPLATE_ROUTES.match("GET", "/v2/tasks/abc").isEmpty());
        assertTrue(TEMPLATE_ROUTES.match("GET", "/v1/").isEmpty(), "a greedy variable needs a segment");
        assertTrue(TEMPLATE_ROUTES.match("GET", "/v1").isEmpty());
        assertTrue(TEMPLATE_ROUTES.match("PUT", "/admin/v1/apps").isEmpty(), "admin routes are not caught by /v1/");
        assertTrue(TEMPLATE_ROUTES.match("GET", "").isEmpty());
    }

    @Test
    void match_decodesPathParameters() {
        var match = TEMPLATE_ROUTES.match("GET", "/v1/tasks/a%20b+c").orElseThrow();
        assertEquals("a b+c", match.pathParameters().get("id"));
    }

    @Test
    void match_prefersLiteralsThenVariablesThenGreedyThenAny() {
        RouteTable table = RouteTable.from(List.of(
                function("Greedy", new FunctionSpec.HttpRoute("ANY", "/files/{proxy+}")),
                function("Variable", new FunctionSpec.HttpRoute("GET", "/files/{name}")),
                function("Literal", new FunctionSpec.HttpRoute("GET", "/files/readme")),
                function("AnyVariable", new FunctionSpec.HttpRoute("ANY", "/other/{name}")),
                function("GetVariable", new FunctionSpec.HttpRoute("GET", "/other/{name}"))));

        assertEquals("Literal", table.match("GET", "/files/readme").orElseThrow().route().functionId());
        assertEquals("Variable", table.match("GET", "/files/x").orElseThrow().route().functionId());
        var greedy = table.match("GET", "/files/a/b/c").orElseThrow();
        assertEquals("Greedy", greedy.route().functionId());
        assertEquals(Map.of("proxy", "a/b/c"), greedy.pathParameters());
        assertEquals("Greedy", table.match("PUT", "/files/x").orElseThrow().route().functionId());
        assertEquals("GetVariable", table.match("GET", "/other/x").orElseThrow().route().functionId());
        assertEquals("AnyVariable", table.match("PATCH", "/other/x").orElseThrow().route().functionId());
    }

    @Test
    void from_rejectsDuplicateRoutesAndMisplacedGreedyVariables() {
        var duplicate = assertThrows(IllegalArgumentException.class, () -> RouteTable.from(List.of(
                function("A", new FunctionSpec.HttpRoute("GET", "/x")), function("B", new FunctionSpec.HttpRoute("GET", "/x")))));
        assertTrue(duplicate.getMessage().contains("GET /x"), duplicate.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RouteTable.from(List.of(function("A", new FunctionSpec.HttpRoute("GET", "/{p+}/x")))));
        assertThrows(IllegalArgumentException.class, () -> RouteTable.from(List.of(function("A", new FunctionSpec.HttpRoute("GET", "x")))));
    }
}
