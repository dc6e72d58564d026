package com.runwayrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@link AdminPriming} over stand-in APIs: every request sent in order, every failure kept, nothing thrown. */
class AdminPrimingTest {
    @Test
    void sendsTheOverviewReadsInOrder_asDecodedEvents_andOnlyReads() {
        List<String> seen = new ArrayList<>();
        AdminPriming priming = new AdminPriming(failures -> event -> {
            seen.add(event.getRouteKey() + " " + event.getRawPath() + " " + event.getRequestContext().getHttp().getMethod());
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("{}").build();
        });

        AdminPriming.Outcome outcome = priming.prime();

        assertEquals(List.of("GET /admin/v1/tasks /admin/v1/tasks GET", "GET /admin/v1/apps /admin/v1/apps GET",
                "GET /admin/v1/health /admin/v1/health GET", "GET /admin/v1/metrics /admin/v1/metrics GET"), seen);
        assertEquals(List.of(), outcome.failures());
        assertEquals(List.of(200, 200, 200, 200), List.copyOf(outcome.statuses().values()));
    }

    @Test
    void keepsWhatTheApiReportsAndWhatItThrows_andSendsTheNextRequest() {
        Function<Consumer<String>, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> api = failures -> event ->
                switch (event.getRouteKey()) {
                    case AdminApi.LIST_TASKS -> throw new IllegalStateException("boom");
                    case AdminApi.LIST_APPS -> {
                        failures.accept("apps failed: unreachable");
                        yield APIGatewayV2HTTPResponse.builder().withStatusCode(500).withBody("{}").build();
                    }
                    default -> APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("{}").build();
                };
        AdminPriming priming = new AdminPriming(api);

        priming.beforeCheckpoint(null); // never throws
        AdminPriming.Outcome outcome = priming.prime();

        assertEquals(Map.of(AdminApi.LIST_TASKS, 0, AdminApi.LIST_APPS, 500, AdminApi.HEALTH, 200, AdminApi.METRICS, 200),
                outcome.statuses());
        assertEquals(2, outcome.failures().size(), outcome.failures().toString());
        assertTrue(outcome.failures().get(0).startsWith("GET /admin/v1/tasks: java.lang.IllegalStateException: boom"),
                outcome.failures().toString());
        assertEquals("apps failed: unreachable", outcome.failures().get(1), "a second priming does not repeat the first's");
    }
}
