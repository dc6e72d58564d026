package com.runwayrelay.aws.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiRequestTest {

    @Test
    void headersAreFoundByAnySpelling_andBase64BodiesDecoded() {
        String encoded = Base64.getEncoder().encodeToString("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8));
        ApiRequest request = ApiRequest.of("POST /v1/uploads", Map.of("Idempotency-Key", "k1"), encoded, true, null);
        assertEquals("k1", request.header("idempotency-key"));
        assertEquals("k1", request.header("IDEMPOTENCY-KEY"));
        assertEquals("{\"a\":\"é\"}", request.body());
        assertNull(request.pathParameter("id"));
    }

    @Test
    void missingPartsBecomeEmpty_andToStringHidesHeadersAndBody() {
        ApiRequest request = new ApiRequest(null, Map.of("authorization", "Bearer rr_secret"), null, null);
        assertEquals("", request.routeKey());
        assertEquals("", request.body());
        assertFalse(new ApiRequest("GET /v1/organization", Map.of("authorization", "Bearer rr_secret"), "data:xyz",
                Map.of()).toString().contains("secret"));
    }
}
