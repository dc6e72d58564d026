package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.local.fixture.EchoFunction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiFrontIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private ApiFront front;

    @BeforeEach
    void start() {
        // A timeout long enough to be only a hang guard for the routes that answer; /slow, which
        // never answers in time, is served by the same handler under a 1 s timeout.
        FunctionSpec echo = new FunctionSpec("EchoFunction", "com.runwayrelay.local.fixture.EchoHandler", Duration.ofSeconds(25), 128,
                OptionalInt.empty(), Map.of(), List.of(
                new FunctionSpec.HttpRoute("POST", "/echo"),
                new FunctionSpec.HttpRoute("GET", "/echo/{id}"),
                new FunctionSpec.HttpRoute("GET", "/boom"),
                new FunctionSpec.HttpRoute("GET", "/null"),
                new FunctionSpec.HttpRoute("GET", "/nocontent"),
                new FunctionSpec.HttpRoute("GET", "/binary"),
                new FunctionSpec.HttpRoute("GET", "/private", FunctionSpec.HttpRoute.IAM)), List.of(), List.of());
        FunctionSpec slow = new FunctionSpec("SlowFunction", "com.runwayrelay.local.fixture.EchoHandler", Duration.ofSeconds(1), 128,
                OptionalInt.empty(), Map.of(), List.of(new FunctionSpec.HttpRoute("GET", "/slow")), List.of(), List.of());
        EchoFunction.slow = new CountDownLatch(1);
        StackLog log = new StackLog(new PrintStream(logged, true, StandardCharsets.UTF_8), StackLog.Level.NORMAL);
        var function = LocalFunction.load(echo, Map.of("GREETING", "hi"), APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class,
                4, Clock.systemUTC(), log);
        var slowFunction = LocalFunction.load(slow, Map.of(), APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class,
                1, Clock.systemUTC(), log);
        front = ApiFront.start(0, RouteTable.from(List.of(echo, slow)),
                Map.of("EchoFunction", function, "SlowFunction", slowFunction), Clock.systemUTC(), log);
    }

    @AfterEach
    void stop() {
        EchoFunction.slow.countDown();
        front.close();
    }

    /** Whether the stack log shows {@code text}, waiting for it (20 s is a hang guard, not a bound). */
    private boolean awaitLogged(String text) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!logged.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > giveUp) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port() + path));
    }

    @Test
    void iamRoute_refusesEveryRequest_whenTheFrontHasNoCredentialsToCheckAgainst() throws Exception {
        HttpResponse<byte[]> response = send(request("/private").header("Authorization",
                "AWS4-HMAC-SHA256 Credential=AKID/20261203/us-east-1/execute-api/aws4_request, SignedHeaders=host, "
                        + "Signature=" + "0".repeat(64)).GET());

        assertEquals(403, response.statusCode());
        assertEquals("{\"message\":\"Forbidden\"}", new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("ForbiddenException", response.headers().firstValue("x-amzn-errortype").orElse(""));
    }

    @Test
    void routedRequest_reachesTheHandlerAsPayload2_andItsResponseComesBack() throws Exception {
        HttpResponse<byte[]> response = send(request("/echo/t%201?x=1&x=2").header("X-Custom", "v").header("Cookie", "a=1; b=2").GET());

        assertEquals(201, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertEquals(List.of("1", "2"), response.headers().allValues("x-multi"));
        assertEquals(List.of("session=abc; HttpOnly"), response.headers().allValues("set-cookie"));
        assertTrue(response.headers().firstValue("apigw-requestid").isPresent());
        JsonNode echo = JSON.readTree(response.body());
        assertEquals("GET /echo/{id}", echo.path("routeKey").asText());
        assertEquals("/echo/t%201", echo.path("rawPath").asText());
        assertEquals("t 1", echo.path("pathParameters").path("id").asText());
        assertEquals("1,2", echo.path("queryStringParameters").path("x").asText());
        assertEquals("v", echo.path("headers").path("x-custom").asText());
        assertEquals("[\"a=1\",\"b=2\"]", echo.path("cookies").toString());
        assertEquals("hi", echo.path("greeting").asText());
        assertEquals(response.headers().firstValue("apigw-requestid").orElseThrow(), echo.path("requestId").asText());
        // The access line is written once the exchange is closed, so after the client may have read the answer.
        assertTrue(awaitLogged("GET /echo/t%201 -> 201  EchoFunction"), logged.toString(StandardCharsets.UTF_8));
    }

    @Test
    void bodies_arriveAsTextOrBase64ByContentType() throws Exception {
        JsonNode text = JSON.readTree(send(request("/echo").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))).body());
        assertEquals("{\"a\":1}", text.path("body").asText());
        assertFalse(text.path("isBase64Encoded").asBoolean());

        byte[] bytes = {0, (byte) 0xff, 10};
        JsonNode binary = JSON.readTree(send(request("/echo").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))).body());
        assertEquals(Base64.getEncoder().encodeToString(bytes), binary.path("body").asText());
        assertTrue(binary.path("isBase64Encoded").asBoolean());
    }

    @Test
    void base64Responses_areDecoded_andEmptyOnesHaveNoBody() throws Exception {
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, send(request("/binary").GET()).body());
        HttpResponse<byte[]> noContent = send(request("/nocontent").GET());
        assertEquals(204, noContent.statusCode());
        assertEquals(0, noContent.body().length);
    }

    @Test
    void unknownRoutes_get404LikeApiGateway() throws Exception {
        for (HttpRequest.Builder request : List.of(request("/nope").GET(), request("/echo").GET(), request("/echo/a/b").GET(),
                request("/boom").DELETE())) {
            HttpResponse<byte[]> response = send(request);
            assertEquals(404, response.statusCode());
            assertEquals("{\"message\":\"Not Found\"}", new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void handlerFailures_becomeApiGatewayErrors() throws Exception {
        HttpResponse<byte[]> thrown = send(request("/boom").GET());
        assertEquals(500, thrown.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", new String(thrown.body(), StandardCharsets.UTF_8));
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("EchoFunction threw while serving GET /boom"));

        assertEquals(500, send(request("/null").GET()).statusCode());

        HttpResponse<byte[]> slow = send(request("/slow").GET());
        assertEquals(503, slow.statusCode(), "the function's 1 s timeout");
        assertEquals("{\"message\":\"Service Unavailable\"}", new String(slow.body(), StandardCharsets.UTF_8));
    }

    @Test
    void oversizedBodies_get413() throws Exception {
        HttpResponse<byte[]> response = send(request("/echo").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[ApiFront.MAX_BODY_BYTES + 1])));
        assertEquals(413, response.statusCode());
    }

    @Test
    void start_namesTheBusyPortAndTheOption() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var error = assertThrows(StackStartException.class, () -> ApiFront.start(busy.getLocalPort(), RouteTable.from(List.of()), Map.of(),
                    Clock.systemUTC(), new StackLog(System.out, StackLog.Level.QUIET)));
            assertEquals("The API cannot listen on 127.0.0.1:" + busy.getLocalPort()
                    + ": the port is already in use. Stop whatever holds it, or choose another port with --port.", error.getMessage());
        }
    }

    @Test
    void close_releasesThePort() throws Exception {
        int port = front.port();
        front.close();
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        }
    }
}
