package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.local.SdkStackFixture.Delivery;
import com.runwayrelay.local.SdkStackFixture.WebhookReceiver;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.testkit.node.OfficialNodeSdk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Model Router's {@code client.generate.{video,image,audio}.create} of the official Node SDK against the
 * local stack. The operator makes the routers through the signed admin routes (which record their caps) and an
 * app allowed some of them; each routed task then goes through the whole pipeline (the cap reserved, Runway
 * create, poller, archive): {@code waitForTaskOutput} ends with links into the local S3 holding the simulator's
 * files byte for byte, Runway's {@code routing} is on the create's answer and on the task, and a signed
 * {@code task.succeeded} webhook per task reaches the app. A configuration the app may not use, one whose cap
 * the gateway does not know and a media URI outside the policy are refused and never reach Runway.
 */
class GenerateLocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> OUTPUT_TYPES = Map.of("video", "video/", "image", "image/", "audio", "audio/");
    private static final Map<String, Integer> OUTPUT_COUNTS = Map.of("video", 1, "image", 2, "audio", 1);
    /** Each kind's cap times its outputs (image: outputCount 2). */
    private static final Map<String, Long> RESERVED = Map.of("video", 200L, "image", 40L, "audio", 10L);

    @TempDir
    Path temp;
    private OfficialNodeSdk sdk;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void installSdk() throws Exception {
        sdk = OfficialNodeSdk.install();
    }

    @AfterEach
    void closeHttp() {
        http.close();
    }

    @Test
    void officialSdk_generatesEveryKindThroughARouter_toArchivedOutputsRoutingAndAWebhookEach_andRefusesBeforeRunway()
            throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start();
             LocalStack stack = LocalStack.start(SdkStackFixture.quickTasks(temp), SdkStackFixture.consoleLog())) {
            Admin admin = new Admin(stack);
            admin.createRouter("{\"slug\":\"it-video\",\"settings\":{\"optimizeFor\":\"quality\","
                    + "\"maxCreditsPerGeneration\":{\"video\":200}}}");
            admin.createRouter("{\"slug\":\"it-image\",\"settings\":{\"maxCreditsPerGeneration\":{\"image\":20}}}");
            admin.createRouter("{\"slug\":\"it-audio\",\"settings\":{\"maxCreditsPerGeneration\":{\"audio\":10}}}");
            // it-ghost is allowed but has no router record (never made through the admin API); it-other is not allowed.
            JsonNode app = admin.send("POST", "/admin/v1/apps", "{\"name\":\"router-app\",\"dailyCreditBudget\":5000,"
                    + "\"allowedRouterConfigs\":[\"it-video\",\"it-image\",\"it-audio\",\"it-ghost\"]}", 201);

            JsonNode summary = JSON.readTree(sdk.run("generate-sdk.mjs", stack.apiUrl(), app.path("key").asText(),
                    Map.of("WEBHOOK_URL", receiver.url())));
            assertTrue(summary.path("ok").asBoolean(), summary.toString());
            JsonNode checks = summary.path("checks");

            RunwaySimulator simulator = stack.simulator().orElseThrow();
            Map<String, String> runwayIdByKind = new HashMap<>();
            for (String id : simulator.createdTaskIds()) {
                String endpoint = simulator.task(id).orElseThrow().endpoint();
                assertTrue(endpoint.startsWith("generate/"), endpoint);
                assertEquals(null, runwayIdByKind.put(endpoint.substring("generate/".length()), id), "one task per kind");
            }
            assertEquals(OUTPUT_TYPES.keySet(), runwayIdByKind.keySet(), "only the three good requests reached Runway");
            assertEquals(3, simulator.requestCount("POST", "/v1/generate/"), "no refused request reached Runway");

            Map<String, String> kindByTaskId = new HashMap<>();
            for (var entry : OUTPUT_TYPES.entrySet()) {
                String kind = entry.getKey();
                JsonNode result = checks.path("kinds").path(kind);
                assertEquals("SUCCEEDED", result.path("status").asText(), kind + ": " + result);
                assertEquals(result.path("createdId").asText(), result.path("taskId").asText());
                assertEquals(RESERVED.get(kind), result.path("estimatedCredits").asLong(), kind + ": the cap × outputs");
                JsonNode routing = result.path("createdRouting");
                assertEquals("it-" + kind, routing.path("configId").asText(), kind + ": " + result);
                assertTrue(routing.path("model").isTextual() && routing.path("provider").isTextual(), routing.toString());
                assertTrue(routing.path("estimatedCost").path("credits").isNumber(), routing.toString());
                assertEquals(routing, result.path("taskRouting"), kind + ": the task object shows the create's routing");
                JsonNode outputs = result.path("outputs");
                assertEquals(OUTPUT_COUNTS.get(kind), outputs.size(), kind + ": " + result);
                for (int i = 0; i < outputs.size(); i++) {
                    JsonNode output = outputs.get(i);
                    assertTrue(output.path("contentType").asText().startsWith(entry.getValue()), kind + ": " + output);
                    URI link = URI.create(output.path("link").asText());
                    assertEquals(stack.aws().s3Endpoint().getPort(), link.getPort(), "into the local S3: " + link);
                    assertEquals(simulator.outputSha256(runwayIdByKind.get(kind), i), output.path("sha256").asText(),
                            kind + " output " + i + " is the simulator's file, byte for byte");
                }
                kindByTaskId.put(result.path("taskId").asText(), kind);
            }
            assertEquals("quality", checks.path("kinds").path("video").path("createdRouting").path("resolvedSettings")
                    .path("optimizeFor").asText(), "the router's own settings, passed through");

            assertRefused(checks.path("notAllowed"), "router_config_not_allowed", "[\"configId\"]");
            assertRefused(checks.path("noRecord"), "router_cap_unknown", "[\"configId\"]");
            assertRefused(checks.path("noCapForKind"), "router_cap_unknown", "[\"configId\"]");
            assertTrue(checks.path("noCapForKind").path("issues").get(0).path("message").asText()
                    .contains("maxCreditsPerGeneration.audio"), checks.path("noCapForKind").toString());
            assertRefused(checks.path("mediaPolicy"), "ip_literal", "[\"input\",\"referenceVideos\",0,\"uri\"]");

            // The notifier runs on its own schedule: await each delivery (the timeout only guards against a hang).
            Map<String, String> hooked = new HashMap<>();
            while (hooked.size() < OUTPUT_TYPES.size()) {
                Delivery hook = receiver.next("every task's webhook arrived; got " + hooked);
                JsonNode event = hook.json();
                assertEquals("task.succeeded", event.path("type").asText(), event.toString());
                hook.assertSignedWith(app.path("webhookSecret").asText());
                String taskId = kindByTaskId.keySet().stream().filter(id -> event.toString().contains(id)).findFirst()
                        .orElseThrow(() -> new AssertionError("a webhook for no routed task: " + event));
                hooked.put(taskId, kindByTaskId.get(taskId));
            }
            assertEquals(kindByTaskId, hooked);
        }
    }

    private static void assertRefused(JsonNode refusal, String code, String path) {
        assertEquals(400, refusal.path("status").asInt(), refusal.toString());
        assertEquals("BadRequestError", refusal.path("errorClass").asText());
        assertEquals(1, refusal.path("issues").size(), refusal.toString());
        assertEquals(code, refusal.path("issues").get(0).path("code").asText(), refusal.toString());
        assertEquals(path, refusal.path("issues").get(0).path("path").toString(), refusal.toString());
    }

    /** The operator's signed admin calls (stack.json's credentials), as AdminLocalStackIT makes them. */
    private final class Admin {
        private final URI api;
        private final String keyId;
        private final String secret;
        private final String region;
        private final Clock clock = Clock.systemUTC();

        Admin(LocalStack stack) throws Exception {
            api = stack.apiUrl();
            JsonNode aws = JSON.readTree(stack.stackFile().orElseThrow().toFile()).path("aws");
            keyId = aws.path("accessKeyId").asText();
            secret = aws.path("secretAccessKey").asText();
            region = aws.path("region").asText();
        }

        JsonNode send(String method, String path, String body, int expected) throws Exception {
            HttpResponse<String> answer = http.send(SigV4Signing.httpRequest(method, api.resolve(path), body,
                    SigV4Signing.sign(method, api.resolve(path), body, keyId, secret, region, clock.instant())),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(expected, answer.statusCode(), method + " " + path + ": " + answer.body());
            return JSON.readTree(answer.body());
        }

        void createRouter(String body) throws Exception {
            send("POST", "/admin/v1/routers", body, 201);
        }
    }
}
