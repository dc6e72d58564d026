package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.runwayrelay.aws.gateway.RunwayRoutes;
import com.runwayrelay.testkit.node.OfficialNodeSdk;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: the official Node SDK, with its default retries, against the local stack (the template's routes,
 * so {@code ANY /v1/{proxy+}} as in AWS): every SDK call the gateway refuses raises {@code PermissionDeniedError},
 * every one it does not support yet {@code NotFoundError}, an unknown path {@code NotFoundError}, a wrong method a
 * 405 {@code APIError} with {@code Allow}, a call without a key {@code AuthenticationError} — and the front's access
 * log shows each reached the gateway exactly once (none was retried). Then {@code organization.retrieveUsage}
 * reports the app's own credits of today.
 */
class UnservedRoutesLocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path temp;
    private OfficialNodeSdk sdk;

    @BeforeEach
    void installSdk() throws Exception {
        sdk = OfficialNodeSdk.install();
    }

    @Test
    void everyRefusedOrUnsupportedSdkCallRaisesItsErrorClassOnce_andUsageIsTheAppsOwn() throws Exception {
        List<RunwayRoutes.Route> unserved = RunwayRoutes.all().stream()
                .filter(r -> r.answer() != RunwayRoutes.Answer.SERVED).toList();
        ArrayNode calls = JSON.createArrayNode();
        unserved.forEach(r -> calls.addObject().put("sdkCall", r.sdkCall()).put("method", r.method()).put("path", r.path()));
        Files.writeString(Path.of("target", "node-sdk", "routes.json"), calls.toString());
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        StackLog log = new StackLog(new PrintStream(logged, true, StandardCharsets.UTF_8), StackLog.Level.NORMAL);
        StackOptions options = StackOptions.ephemeral().withDataDir(temp.resolve("data"));
        JsonNode summary;
        try (LocalStack stack = LocalStack.start(options, log)) {
            summary = JSON.readTree(sdk.run("stack-routes.mjs", stack.apiUrl(), stack.devApp().key()));
        }
        String access = logged.toString(StandardCharsets.UTF_8);
        assertTrue(summary.path("ok").asBoolean(), summary + "\n" + access);

        JsonNode seen = summary.path("checks").path("calls");
        assertEquals(unserved.size(), seen.size());
        for (RunwayRoutes.Route route : unserved) {
            JsonNode call = seen.path(route.sdkCall());
            boolean refused = route.answer() == RunwayRoutes.Answer.REFUSED;
            assertEquals(refused ? "PermissionDeniedError" : "NotFoundError", call.path("errorClass").asText(), route.sdkCall());
            assertEquals(refused ? 403 : 404, call.path("status").asInt(), route.sdkCall());
            assertEquals("urn:runway-relay:problem:" + (refused ? "route-refused" : "route-not-supported"),
                    call.path("type").asText(), route.sdkCall());
            String rawPath = route.path().replaceAll("\\{[^}]+}", "[^/ ]+");
            assertEquals(1, count(access, route.method() + " " + rawPath + " -> " + (refused ? 403 : 404)),
                    route.sdkCall() + " reached the gateway once (not retried):\n" + access);
        }
        JsonNode unknown = summary.path("checks").path("unknownPath");
        assertEquals("NotFoundError", unknown.path("errorClass").asText());
        assertEquals("urn:runway-relay:problem:no-such-route", unknown.path("type").asText());
        assertEquals(1, count(access, "GET /v1/nothing_here -> 404"));
        JsonNode wrongMethod = summary.path("checks").path("wrongMethod");
        assertEquals("APIError", wrongMethod.path("errorClass").asText());
        assertEquals(405, wrongMethod.path("status").asInt());
        assertEquals("POST", wrongMethod.path("allow").asText());
        assertEquals(1, count(access, "GET /v1/text_to_image -> 405"));
        JsonNode noKey = summary.path("checks").path("noKey");
        assertEquals("AuthenticationError", noKey.path("errorClass").asText());
        assertEquals(2, count(access, "GET /v1/organization/webapp/usage -> (401|403)"),
                "organization.webapp.listUsage once with the key, once without");

        JsonNode usage = summary.path("checks").path("usage");
        assertEquals("[\"gen4_image\"]", usage.path("models").toString());
        assertEquals(1, usage.path("results").size());
        JsonNode credits = usage.path("results").get(0).path("usedCredits");
        assertEquals("gen4_image", credits.get(0).path("model").asText());
        assertTrue(credits.get(0).path("amount").asLong() > 0, usage.toString());
        assertEquals("BadRequestError", summary.path("checks").path("usageTooLong").path("errorClass").asText());
        assertEquals(1, count(access, "POST /v1/organization/usage -> 400"));
    }

    private static long count(String access, String pattern) {
        Pattern line = Pattern.compile(pattern + "\\b");
        return access.lines().filter(l -> line.matcher(l).find()).count();
    }
}
