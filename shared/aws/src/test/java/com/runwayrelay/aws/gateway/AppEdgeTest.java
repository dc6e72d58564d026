package com.runwayrelay.aws.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AppEdgeTest {
    private static final Instant T0 = Instant.parse("2026-12-03T06:00:00Z");
    private final App app = App.builder("app_1", "demo", T0).dailyCreditBudget(100).maxActiveTasks(2).build();
    private final String key = ApiKeys.mint();
    private final AppEdge edge;

    AppEdgeTest() {
        InMemoryAppRepository apps = new InMemoryAppRepository();
        apps.create(app, ApiKeys.hash(key));
        edge = new AppEdge(new AppAuthenticator(apps, new ManualClock(T0), Duration.ZERO, 10));
    }

    private static ApiRequest request(String authorization) {
        return new ApiRequest("GET /v1/organization",
                authorization == null ? Map.of() : Map.of("Authorization", authorization), "", Map.of());
    }

    @Test
    void handsTheAuthenticatedAppToTheRoutes_andReturnsTheirAnswer() {
        AtomicReference<App> seen = new AtomicReference<>();
        ApiResponse answer = ApiResponse.noContent();

        ApiResponse response = edge.handle(request("Bearer " + key), (caller, request) -> {
            seen.set(caller);
            return answer;
        });

        assertSame(answer, response);
        assertEquals(app, seen.get());
    }

    @Test
    void answers401WithoutCallingTheRoutes_whenTheKeyIsMissingOrUnknown() {
        for (String authorization : new String[] {null, "Bearer " + ApiKeys.mint(), key}) {
            AtomicReference<App> seen = new AtomicReference<>();

            ApiResponse response = edge.handle(request(authorization), (caller, request) -> {
                seen.set(caller);
                return ApiResponse.noContent();
            });

            assertEquals(Problem.unauthorized().response(), response);
            assertEquals(null, seen.get());
        }
    }

    @Test
    void answers500WithoutTheCause_whenTheRoutesFail() {
        ApiResponse response = edge.handle(request("Bearer " + key), (caller, request) -> {
            throw new IllegalStateException("table unreachable: secret detail");
        });

        assertEquals(Problem.internal().response(), response);
        assertFalse(response.body().contains("secret"));
    }

    @Test
    void noSuchRouteIsA404Problem_namingTheRoute() {
        ApiResponse response = AppEdge.noSuchRoute("PATCH /v1/tasks/{id}");

        assertEquals(404, response.status());
        assertEquals(Problem.MEDIA_TYPE, response.headers().get("content-type"));
        assertEquals(true, response.body().contains("No such route: PATCH /v1/tasks/{id}"));
    }
}
