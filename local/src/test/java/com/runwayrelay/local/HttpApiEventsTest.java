package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpApiEventsTest {
    private static final RouteTable ROUTES = RouteTable.from(StackTemplate.fromClasspath().functions());
    private static final Instant NOW = Instant.parse("2026-11-21T06:30:00Z");

    private static APIGatewayV2HTTPEvent event(String method, String path, String query, List<Map.Entry<String, String>> headers, byte[] body) {
        var match = ROUTES.match(method, path).orElseThrow();
        return HttpApiEvents.toEvent(new HttpApiEvents.Request(method, path, query, headers, body, "127.0.0.1", "HTTP/1.1", 3000),
                match, "req-1", NOW);
    }

    @Test
    void toEvent_buildsPayload2WithRouteContextAndLowerCaseHeaders() {
        byte[] body = "{\"model\":\"gen4_image\"}".getBytes(StandardCharsets.UTF_8);
        APIGatewayV2HTTPEvent event = event("POST", "/v1/text_to_image", null, List.of(
                Map.entry("Authorization", "Bearer rr_x"), Map.entry("Content-Type", "application/json"),
                Map.entry("X-Runway-Version", "2024-11-06"), Map.entry("Host", "localhost:3000"), Map.entry("User-Agent", "RunwayML/JS 4.20.1")), body);

        assertEquals("2.0", event.getVersion());
        assertEquals("POST /v1/text_to_image", event.getRouteKey());
        assertEquals("/v1/text_to_image", event.getRawPath());
        assertEquals("", event.getRawQueryString());
        assertNull(event.getQueryStringParameters());
        assertNull(event.getPathParameters());
        assertNull(event.getCookies());
        assertEquals("Bearer rr_x", event.getHeaders().get("authorization"));
        assertEquals("2024-11-06", event.getHeaders().get("x-runway-version"));
        assertEquals("127.0.0.1", event.getHeaders().get("x-forwarded-for"));
        assertEquals("3000", event.getHeaders().get("x-forwarded-port"));
        assertEquals("http", event.getHeaders().get("x-forwarded-proto"));
        assertTrue(event.getHeaders().keySet().stream().allMatch(name -> name.equals(name.toLowerCase())));
        assertEquals("{\"model\":\"gen4_image\"}", event.getBody());
        assertFalse(event.getIsBase64Encoded());

        var context = event.getRequestContext();
        assertEquals("POST /v1/text_to_image", context.getRouteKey());
        assertEquals("$default", context.getStage());
        assertEquals("req-1", context.getRequestId());
        assertEquals("localhost:3000", context.getDomainName());
        assertEquals("localhost", context.getDomainPrefix());
        assertEquals(NOW.toEpochMilli(), context.getTimeEpoch());
        assertEquals("21/Nov/2026:06:30:00 +0000", context.getTime());
        assertEquals("POST", context.getHttp().getMethod());
        assertEquals("/v1/text_to_image", context.getHttp().getPath());
        assertEquals("HTTP/1.1", context.getHttp().getProtocol());
        assertEquals("127.0.0.1", context.getHttp().getSourceIp());
        assertEquals("RunwayML/JS 4.20.1", context.getHttp().getUserAgent());
    }

    @Test
    void toEvent_setsPathAndQueryParametersAndCookies() {
        APIGatewayV2HTTPEvent event = event("GET", "/v1/tasks/abc", "a=1&b=x%20y&a=2&flag", List.of(
                Map.entry("Cookie", "one=1; two=2"), Map.entry("X-Multi", "first"), Map.entry("x-multi", "second")), new byte[0]);

        assertEquals(Map.of("id", "abc"), event.getPathParameters());
        assertEquals("a=1&b=x%20y&a=2&flag", event.getRawQueryString());
        assertEquals(Map.of("a", "1,2", "b", "x y", "flag", ""), event.getQueryStringParameters());
        assertEquals(List.of("one=1", "two=2"), event.getCookies());
        assertFalse(event.getHeaders().containsKey("cookie"));
        assertEquals("first,second", event.getHeaders().get("x-multi"));
        assertNull(event.getBody());
        assertFalse(event.getIsBase64Encoded());
    }

    @Test
    void toEvent_base64EncodesBinaryBodies() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        APIGatewayV2HTTPEvent event = event("POST", "/v1/uploads", null, List.of(Map.entry("Content-Type", "image/png")), png);

        assertTrue(event.getIsBase64Encoded());
        assertEquals(Base64.getEncoder().encodeToString(png), event.getBody());
    }

    @Test
    void isText_followsTheContentType() {
        assertTrue(HttpApiEvents.isText("application/json; charset=utf-8"));
        assertTrue(HttpApiEvents.isText("text/plain"));
        assertTrue(HttpApiEvents.isText("application/problem+json"));
        assertTrue(HttpApiEvents.isText("application/x-www-form-urlencoded"));
        assertTrue(HttpApiEvents.isText(null));
        assertFalse(HttpApiEvents.isText("multipart/form-data; boundary=x"));
        assertFalse(HttpApiEvents.isText("application/octet-stream"));
        assertFalse(HttpApiEvents.isText("video/mp4"));
    }
}
