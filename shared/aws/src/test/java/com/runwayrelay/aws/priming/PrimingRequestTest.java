package com.runwayrelay.aws.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.runwayrelay.aws.gateway.ApiRequest;
import com.runwayrelay.aws.gateway.HttpApiEvents;
import com.runwayrelay.aws.gateway.HttpApiJson;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrimingRequestTest {
    @Test
    void eventReadsAsAGatewayRequest_withTheUnknownKey_pathParameters_andNoBody() throws Exception {
        PrimingRequest request = new PrimingRequest("GET /v1/tasks/{id}", "/v1/tasks/t1", Map.of("id", "t1"), null);

        APIGatewayV2HTTPEvent event = HttpApiJson.read(new ByteArrayInputStream(request.eventJson()));
        ApiRequest read = HttpApiEvents.request(event);

        assertEquals("GET /v1/tasks/{id}", read.routeKey());
        assertEquals("Bearer " + PrimingApps.UNKNOWN_KEY, read.header("authorization"));
        assertEquals("GET", event.getRequestContext().getHttp().getMethod());
        assertEquals("/v1/tasks/t1", event.getRawPath());
        assertEquals(Map.of("id", "t1"), event.getPathParameters());
        assertNull(event.getBody());
        assertNull(read.header("content-type"));
    }

    @Test
    void eventCarriesTheBody_asJson() throws Exception {
        PrimingRequest request = new PrimingRequest("POST /v1/text_to_image", "/v1/text_to_image", Map.of(), "{\"a\":1}");

        APIGatewayV2HTTPEvent event = HttpApiJson.read(new ByteArrayInputStream(request.eventJson()));

        assertEquals("{\"a\":1}", event.getBody());
        assertEquals("application/json", event.getHeaders().get("content-type"));
        assertEquals("POST", request.method());
        assertNull(event.getPathParameters());
    }

    @Test
    void sendTo_passesTheDecodedEvent_andReturnsTheAnswersStatus() throws Exception {
        PrimingRequest request = new PrimingRequest("GET /v1/tasks/{id}", "/v1/tasks/t1", Map.of("id", "t1"), null);
        List<APIGatewayV2HTTPEvent> seen = new ArrayList<>();

        int status = request.sendTo(event -> {
            seen.add(event);
            return APIGatewayV2HTTPResponse.builder().withStatusCode(401)
                    .withHeaders(Map.of("content-type", "application/problem+json")).withBody("{}").build();
        });

        assertEquals(401, status);
        assertEquals(1, seen.size());
        assertEquals("t1", seen.getFirst().getPathParameters().get("id"));
    }

    @Test
    void refusesARouteKeyWithoutAMethod() {
        assertThrows(IllegalArgumentException.class, () -> new PrimingRequest("/v1/tasks", "/v1/tasks", Map.of(), null));
    }
}
