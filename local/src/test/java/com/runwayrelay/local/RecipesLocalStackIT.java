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
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seven {@code client.recipes.*} calls of the official Node SDK against the local stack: each task goes
 * through the whole pipeline (reservation, Runway create, poller, archive), {@code waitForTaskOutput} ends with
 * links into the local S3 holding the simulator's files byte for byte, and a signed {@code task.succeeded}
 * webhook per task reaches the app. An unknown version, {@code unsafe-latest} for the dev app (not allowed it),
 * a media URI outside the policy in a recipe field and an unknown recipe are refused and never reach Runway.
 */
class RecipesLocalStackIT {
    private static final Map<String, String> OUTPUT_TYPES = Map.of("ad_localization", "image/png",
            "marketing_stock_image", "image/png", "product_ad", "video/mp4", "product_campaign_image", "image/png",
            "product_swap", "video/mp4", "multi_shot_video", "video/mp4", "product_ugc", "video/mp4");
    private static final Map<String, Integer> OUTPUT_COUNTS = Map.of("ad_localization", 1, "marketing_stock_image", 2,
            "product_ad", 1, "product_campaign_image", 4, "product_swap", 1, "multi_shot_video", 1, "product_ugc", 1);

    @TempDir
    Path temp;
    private OfficialNodeSdk sdk;

    @BeforeEach
    void installSdk() throws Exception {
        sdk = OfficialNodeSdk.install();
    }

    @Test
    void officialSdk_runsEveryRecipe_toArchivedOutputsAndAWebhookEach_andRefusesBadInputBeforeRunway()
            throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start();
                LocalStack stack = LocalStack.start(SdkStackFixture.quickTasks(temp), SdkStackFixture.consoleLog())) {
            JsonNode summary = new ObjectMapper().readTree(sdk.run("recipes-sdk.mjs", stack.apiUrl(),
                    stack.devApp().key(), Map.of("WEBHOOK_URL", receiver.url())));
            assertTrue(summary.path("ok").asBoolean(), summary.toString());
            JsonNode checks = summary.path("checks");

            RunwaySimulator simulator = stack.simulator().orElseThrow();
            Map<String, String> runwayIdByRecipe = new HashMap<>();
            for (String id : simulator.createdTaskIds()) {
                String endpoint = simulator.task(id).orElseThrow().endpoint();
                assertTrue(endpoint.startsWith("recipes/"), endpoint);
                assertEquals(null, runwayIdByRecipe.put(endpoint.substring("recipes/".length()), id), "one task per recipe");
            }
            assertEquals(OUTPUT_TYPES.keySet(), runwayIdByRecipe.keySet(), "only the seven good requests reached Runway");

            Map<String, String> recipeByTaskId = new HashMap<>();
            for (var entry : OUTPUT_TYPES.entrySet()) {
                String recipe = entry.getKey();
                JsonNode result = checks.path("recipes").path(recipe);
                assertEquals("SUCCEEDED", result.path("status").asText(), recipe + ": " + result);
                assertEquals(result.path("createdId").asText(), result.path("taskId").asText());
                // No source prices a recipe: the gateway reserves and reports the unpriced amount (docs/api.md, Recipes).
                assertEquals(100, result.path("estimatedCredits").asLong(), recipe + ": " + result);
                JsonNode outputs = result.path("outputs");
                assertEquals(OUTPUT_COUNTS.get(recipe), outputs.size(), recipe + ": " + result);
                for (int i = 0; i < outputs.size(); i++) {
                    JsonNode output = outputs.get(i);
                    assertEquals(entry.getValue(), output.path("contentType").asText(), recipe + ": " + output);
                    URI link = URI.create(output.path("link").asText());
                    assertEquals(stack.aws().s3Endpoint().getPort(), link.getPort(), "into the local S3: " + link);
                    assertEquals(simulator.outputSha256(runwayIdByRecipe.get(recipe), i), output.path("sha256").asText(),
                            recipe + " output " + i + " is the simulator's file, byte for byte");
                }
                recipeByTaskId.put(result.path("taskId").asText(), recipe);
            }

            assertRefused(checks.path("unknownVersion"), "unknown_version", "[\"version\"]");
            assertRefused(checks.path("unsafeLatest"), "version_not_allowed", "[\"version\"]");
            assertRefused(checks.path("mediaPolicy"), "ip_literal", "[\"referenceVideo\",\"uri\"]");
            JsonNode unknownRecipe = checks.path("unknownRecipe");
            assertEquals(404, unknownRecipe.path("status").asInt(), unknownRecipe.toString());
            assertEquals("urn:runway-relay:problem:no-such-route", unknownRecipe.path("type").asText()); // no Runway route

            // The notifier runs on its own schedule: await each delivery.
            Map<String, String> hooked = new HashMap<>();
            while (hooked.size() < OUTPUT_TYPES.size()) {
                Delivery hook = receiver.next("every task's webhook arrived; got " + hooked);
                JsonNode event = new ObjectMapper().readTree(hook.body());
                assertEquals("task.succeeded", event.path("type").asText(), event.toString());
                hook.assertSignedWith(stack.devApp().webhookSecret());
                String taskId = recipeByTaskId.keySet().stream().filter(id -> event.toString().contains(id)).findFirst()
                        .orElseThrow(() -> new AssertionError("a webhook for no recipe task: " + event));
                hooked.put(taskId, recipeByTaskId.get(taskId));
            }
            assertEquals(recipeByTaskId, hooked);
        }
    }

    private static void assertRefused(JsonNode refusal, String code, String path) {
        assertEquals(400, refusal.path("status").asInt(), refusal.toString());
        assertEquals("BadRequestError", refusal.path("errorClass").asText());
        assertEquals(code, refusal.path("issues").get(0).path("code").asText(), refusal.toString());
        assertEquals(path, refusal.path("issues").get(0).path("path").toString(), refusal.toString());
    }
}
