package com.runwayrelay.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.local.admin.AdminClient;
import com.runwayrelay.local.admin.FakeAwsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's server against a fake admin API that checks SigV4 as AWS does: admin calls from the console's
 * own page, with the run's token, are forwarded signed; calls without the token, from another origin or under
 * another host name (DNS rebinding) are refused before anything is forwarded; the page itself is served with a
 * content security policy that forbids framing.
 */
class ConsoleServerTest {
    private static final String TOKEN = "test-token-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeAwsServer api;
    private ConsoleServer console;

    @BeforeEach
    void start() throws IOException {
        api = FakeAwsServer.admin("eu-west-1")
                .answer("GET", "/admin/v1/tasks", FakeAwsServer.Answer.json(200, "{\"data\":[]}"))
                .answer("PATCH", "/admin/v1/apps/app_1", FakeAwsServer.Answer.json(200, "{\"id\":\"app_1\"}"));
        console = ConsoleServer.start(0, AdminConnection.to(api.target()), TOKEN);
    }

    @AfterEach
    void stop() {
        console.close();
        api.close();
        http.close();
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(console.origin() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardsSignedCall_whenTheConsolePageCallsWithTheToken() throws Exception {
        HttpResponse<String> answer = send("GET", "/admin/v1/tasks?state=FAILED&model=gen4_image&limit=5", null, Map.of(
                "X-Console-Token", TOKEN, "Origin", console.origin().toString(), "Sec-Fetch-Site", "same-origin",
                "Cookie", "session=abc", "Authorization", "Bearer browser-should-not-pass-this"));

        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("{\"data\":[]}", answer.body());
        FakeAwsServer.Received received = api.last();
        assertTrue(received.signatureValid(), "signed with the target's credentials: " + received);
        assertTrue(received.credentialScope().endsWith("/eu-west-1/execute-api"), received.credentialScope());
        assertEquals("/admin/v1/tasks", received.path());
        assertEquals("state=FAILED&model=gen4_image&limit=5", received.rawQuery());
        assertFalse(received.headers().containsKey("cookie"), "the browser's cookies stay home");
        assertFalse(received.headers().containsKey("x-console-token"), "the console's token stays in the console");
        assertTrue(received.headers().get("authorization").startsWith("AWS4-HMAC-SHA256 "), received.headers().toString());
    }

    @Test
    void forwardsJsonBody_whenPatching() throws Exception {
        HttpResponse<String> answer = send("PATCH", "/admin/v1/apps/app_1", "{\"dailyCreditBudget\":5}", Map.of(
                "X-Console-Token", TOKEN, "Content-Type", "application/json"));

        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("{\"dailyCreditBudget\":5}", api.last().body());
        assertTrue(api.last().signatureValid());
    }

    @Test
    void passesOnRetryAfter_soThePageCanSayWhenToTryAgain() throws Exception {
        String unavailable = "{\"type\":\"https://example.test/problems/runway-unavailable\",\"status\":503,\"title\":\"Runway unavailable\"}";
        api.answer("DELETE", "/admin/v1/orphans/documents/d1", FakeAwsServer.Answer.problem(503, unavailable).withRetryAfter("5"))
                .answer("DELETE", "/admin/v1/orphans/documents/d2", FakeAwsServer.Answer.problem(503, unavailable)
                        .withRetryAfter("Fri, 04 Dec 2026 10:00:00 GMT"))
                .answer("DELETE", "/admin/v1/orphans/documents/d3", FakeAwsServer.Answer.problem(503, unavailable)
                        .withRetryAfter("5; Set-Cookie: x=1"));
        Map<String, String> page = Map.of("X-Console-Token", TOKEN);

        HttpResponse<String> seconds = send("DELETE", "/admin/v1/orphans/documents/d1", null, page);
        HttpResponse<String> date = send("DELETE", "/admin/v1/orphans/documents/d2", null, page);
        HttpResponse<String> odd = send("DELETE", "/admin/v1/orphans/documents/d3", null, page);
        HttpResponse<String> none = send("GET", "/admin/v1/tasks", null, page);

        assertEquals(503, seconds.statusCode());
        assertEquals(unavailable, seconds.body());
        assertEquals("5", seconds.headers().firstValue("retry-after").orElse(null));
        assertEquals("Fri, 04 Dec 2026 10:00:00 GMT", date.headers().firstValue("retry-after").orElse(null));
        assertTrue(odd.headers().firstValue("retry-after").isEmpty(), "not a retry-after value: left out");
        assertTrue(none.headers().firstValue("retry-after").isEmpty());
    }

    @Test
    void refusesAdminCall_whenTheTokenIsMissingOrWrong() throws Exception {
        HttpResponse<String> missing = send("GET", "/admin/v1/tasks", null, Map.of());
        HttpResponse<String> wrong = send("GET", "/admin/v1/tasks", null, Map.of("X-Console-Token", TOKEN + "x"));

        assertEquals(403, missing.statusCode());
        assertEquals(403, wrong.statusCode());
        assertTrue(wrong.body().contains("X-Console-Token"), wrong.body());
        assertEquals("application/problem+json", wrong.headers().firstValue("content-type").orElseThrow());
        assertTrue(api.received().isEmpty(), "nothing was forwarded");
    }

    @Test
    void refusesAdminCall_whenAnotherOriginSendsIt() throws Exception {
        HttpResponse<String> otherPort = send("POST", "/admin/v1/apps", "{\"name\":\"x\"}", Map.of("X-Console-Token", TOKEN,
                "Origin", "http://127.0.0.1:8080", "Content-Type", "application/json"));
        HttpResponse<String> crossSite = send("GET", "/admin/v1/tasks", null, Map.of("X-Console-Token", TOKEN,
                "Sec-Fetch-Site", "cross-site"));

        assertEquals(403, otherPort.statusCode());
        assertTrue(otherPort.body().contains("another origin"), otherPort.body());
        assertEquals(403, crossSite.statusCode());
        assertTrue(api.received().isEmpty(), "nothing was forwarded");
    }

    @Test
    void grantsNoPreflight_whenAnotherPageAsksForCors() throws Exception {
        HttpResponse<String> preflight = send("OPTIONS", "/admin/v1/apps", null, Map.of("Origin", "http://evil.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-console-token"));

        assertEquals(403, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("access-control-allow-origin").isEmpty());
        assertTrue(api.received().isEmpty());
    }

    @Test
    void refusesEverything_whenTheHostIsAnotherName() throws Exception {
        String page = rawGet("/", "rebound.example:" + console.port());
        String call = rawGet("/admin/v1/tasks", "rebound.example:" + console.port(), "X-Console-Token: " + TOKEN);

        assertTrue(page.startsWith("HTTP/1.1 421"), page);
        assertFalse(page.contains("<script"), "not even the page is served");
        assertTrue(call.startsWith("HTTP/1.1 421"), call);
        assertTrue(api.received().isEmpty(), "nothing was forwarded");
    }

    @Test
    void servesThePage_withAPolicyThatForbidsFramingAndForeignScripts() throws Exception {
        HttpResponse<String> page = send("GET", "/", null, Map.of());
        HttpResponse<String> script = send("GET", "/app.js", null, Map.of());
        HttpResponse<String> other = send("GET", "/etc/passwd", null, Map.of());

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"app.js\">"), page.body());
        String policy = page.headers().firstValue("content-security-policy").orElseThrow();
        assertTrue(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'"), policy);
        assertEquals("no-referrer", page.headers().firstValue("referrer-policy").orElseThrow());
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("content-type").orElseThrow().startsWith("text/javascript"));
        assertEquals(404, other.statusCode());
    }

    @Test
    void refusesPathsAndQueries_thatAreNotPlainAdminCalls() throws Exception {
        HttpResponse<String> dots = send("GET", "/admin/v1/apps/%2e%2e%2fhealth", null, Map.of("X-Console-Token", TOKEN));
        String dotSegment = rawGetResponse("/admin/v1/apps/../health");
        HttpResponse<String> twice = send("GET", "/admin/v1/tasks?state=FAILED&state=ARCHIVED", null, Map.of("X-Console-Token", TOKEN));
        HttpResponse<String> form = send("POST", "/admin/v1/apps", "name=x", Map.of("X-Console-Token", TOKEN,
                "Content-Type", "application/x-www-form-urlencoded"));

        assertEquals(400, dots.statusCode(), dots.body());
        assertTrue(dotSegment.startsWith("HTTP/1.1 400"), dotSegment);
        assertEquals(400, twice.statusCode(), twice.body());
        assertTrue(twice.body().contains("given twice"), twice.body());
        assertEquals(400, form.statusCode(), form.body());
        assertTrue(api.received().isEmpty());
    }

    @Test
    void answers503_whenThereIsNoStackToCall() throws Exception {
        AdminConnection none = new AdminConnection() {
            @Override
            public AdminClient client() {
                throw new Unavailable("no local stack is running on /tmp/x");
            }

            @Override
            public String description() {
                return "nothing";
            }
        };
        try (ConsoleServer idle = ConsoleServer.start(0, none, TOKEN)) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(idle.origin() + "/admin/v1/apps"))
                    .header("X-Console-Token", TOKEN).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(503, answer.statusCode());
            assertTrue(answer.body().contains("no local stack is running"), answer.body());
        }
    }

    @Test
    void printsTheTokenOnlyInTheFragment_whenGivingItsUrl() {
        URI url = console.url();

        assertEquals("127.0.0.1", url.getHost());
        assertEquals("token=" + TOKEN, url.getFragment());
        assertEquals(null, url.getQuery());
    }

    /** A GET of a path exactly as written (the JDK client would normalise dot segments), with the token. */
    private String rawGetResponse(String path) throws IOException {
        return rawGet(path, "127.0.0.1:" + console.port(), "X-Console-Token: " + TOKEN);
    }

    /** A GET with a Host header of our choosing (the JDK client refuses to set one). */
    private String rawGet(String path, String host, String... headers) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), console.port())) {
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
