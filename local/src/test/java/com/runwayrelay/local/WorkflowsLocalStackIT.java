package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.local.SdkStackFixture.Delivery;
import com.runwayrelay.local.SdkStackFixture.WebhookReceiver;
import com.runwayrelay.simulator.RecordedRequest;
import com.runwayrelay.simulator.SimulatedWorkflows;
import com.runwayrelay.testkit.node.OfficialNodeSdk;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow calls of the official Node SDK against the local stack (whose dev app may run the simulator's
 * "Product shots" v2 with a ceiling, see v1 without one, and not use "Voice-over"): the list shows only the
 * allowed versions; two runs go through the whole pipeline and {@code waitForTaskOutput} on
 * {@code workflowInvocations.retrieve} ends with links by node into the local S3, byte for byte the
 * simulator's files, one with a node's failure passed through as {@code nodeErrors}; each run gets its signed
 * webhook; every refused run (hidden, unknown, no ceiling, bad node input, blocked media URI) gets its
 * specific 4xx and never reaches Runway.
 */
class WorkflowsLocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE_NODE = "b2a4c6d8-0002-4000-8000-000000000002";
    private static final String VIDEO_NODE = "b2a4c6d8-0003-4000-8000-000000000003";

    @TempDir
    Path temp;
    private OfficialNodeSdk sdk;

    @BeforeEach
    void installSdk() throws Exception {
        sdk = OfficialNodeSdk.install();
    }

    @Test
    void officialSdk_listsRetrievesRunsAndWaitsForWorkflows_andEveryBadRunIsRefusedBeforeRunway() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start();
                LocalStack stack = LocalStack.start(SdkStackFixture.quickTasks(temp), SdkStackFixture.consoleLog())) {
            JsonNode summary = JSON.readTree(sdk.run("workflow-sdk.mjs", stack.apiUrl(), stack.devApp().key(),
                    Map.of("WEBHOOK_URL", receiver.url(), "WORKFLOW_ID", SimulatedWorkflows.PRODUCT_SHOTS_V2,
                            "NO_CEILING_ID", SimulatedWorkflows.PRODUCT_SHOTS_V1,
                            "HIDDEN_ID", SimulatedWorkflows.VOICE_OVER)));
            assertTrue(summary.path("ok").asBoolean(), summary.toString());
            JsonNode checks = summary.path("checks");

            assertEquals("[{\"name\":\"Product shots\",\"versions\":[\"" + SimulatedWorkflows.PRODUCT_SHOTS_V2 + "\",\""
                    + SimulatedWorkflows.PRODUCT_SHOTS_V1 + "\"]}]", checks.path("list").toString(),
                    "only the versions the app may use; Voice-over is not listed");
            assertEquals(SimulatedWorkflows.PRODUCT_SHOTS_V2, checks.path("retrieved").path("id").asText());
            assertEquals(3, checks.path("retrieved").path("nodes").asInt());

            var simulator = stack.simulator().orElseThrow();
            List<String> runwayInvocations = new ArrayList<>();
            for (RecordedRequest r : simulator.requestLog()) {
                String path = r.path();
                if (path.startsWith("/v1/workflow_invocations/")
                        && !runwayInvocations.contains(path.substring("/v1/workflow_invocations/".length()))) {
                    runwayInvocations.add(path.substring("/v1/workflow_invocations/".length()));
                }
            }
            assertEquals(2, runwayInvocations.size(), "the poller read the two invocations at Runway's path: "
                    + runwayInvocations);
            assertEquals(2, simulator.createdTaskCount(), "only the two good runs reached Runway");

            JsonNode full = checks.path("full");
            assertEquals("SUCCEEDED", full.path("status").asText());
            assertEquals(full.path("runId").asText(), full.path("id").asText());
            assertTrue(full.path("nodeErrors").isNull(), full.toString());
            JsonNode images = full.path("outputs").path(IMAGE_NODE);
            JsonNode videos = full.path("outputs").path(VIDEO_NODE);
            assertEquals(2, images.size(), full.toString());
            assertEquals(1, videos.size(), full.toString());
            assertEquals("image/png", images.get(0).path("contentType").asText());
            assertEquals("video/mp4", videos.get(0).path("contentType").asText());
            URI link = URI.create(videos.get(0).path("link").asText());
            assertEquals(stack.aws().s3Endpoint().getPort(), link.getPort(), "the link points into the local S3: " + link);
            assertTrue(link.getPath().contains("/" + VIDEO_NODE + "/0."), "archived per node and index: " + link);
            String fullAtRunway = runwayInvocations.get(0);
            assertEquals(simulator.outputSha256(fullAtRunway, 0), images.get(0).path("sha256").asText());
            assertEquals(simulator.outputSha256(fullAtRunway, 1), images.get(1).path("sha256").asText());
            assertEquals(simulator.outputSha256(fullAtRunway, 2), videos.get(0).path("sha256").asText(),
                    "the archived copies are the simulator's files, byte for byte");

            JsonNode partial = checks.path("partial");
            assertEquals("SUCCEEDED", partial.path("status").asText(), partial.toString());
            assertEquals("SAFETY.OUTPUT.IMAGE", partial.path("nodeErrors").path(IMAGE_NODE).path("failureCode").asText(),
                    partial.toString());
            assertEquals("Product images", partial.path("nodeErrors").path(IMAGE_NODE).path("nodeName").asText());
            assertTrue(partial.path("outputs").path(IMAGE_NODE).isMissingNode(), partial.toString());
            assertEquals(simulator.outputSha256(runwayInvocations.get(1), 0),
                    partial.path("outputs").path(VIDEO_NODE).get(0).path("sha256").asText());

            assertRefused(checks.path("invocationAsTask"), 404, "not-found");
            assertRefused(checks.path("hiddenRetrieve"), 404, "workflow-not-found");
            assertRefused(checks.path("hiddenRun"), 404, "workflow-not-found");
            assertRefused(checks.path("unknownRun"), 404, "workflow-not-found");
            assertRefused(checks.path("noCeiling"), 403, "workflow-ceiling-missing");
            assertRefused(checks.path("badNodeInput"), 400, "invalid-request");
            assertEquals("invalid_type", checks.path("badNodeInput").path("issues").get(0).path("code").asText());
            assertRefused(checks.path("badType"), 400, "invalid-request");
            assertRefused(checks.path("blockedUri"), 400, "invalid-request");
            assertEquals("[\"nodeOutputs\",\"" + checks.path("promptNode").asText() + "\",\"image\",\"uri\"]",
                    checks.path("blockedUri").path("issues").get(0).path("path").toString());
            assertRefused(checks.path("unknownInvocation"), 404, "workflow-invocation-not-found");
            assertEquals(0, simulator.requestLog().stream().filter(r -> r.path().startsWith("/v1/workflows/")
                    && !r.path().endsWith(SimulatedWorkflows.PRODUCT_SHOTS_V2)).count(),
                    "no refused workflow was asked of Runway");

            // The notifier runs on its own schedule: await both deliveries.
            Set<String> announced = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                Delivery hook = receiver.next("webhook " + (i + 1) + " of 2 arrived");
                JsonNode event = JSON.readTree(hook.body());
                assertEquals("task.succeeded", event.path("type").asText(), event.toString());
                hook.assertSignedWith(stack.devApp().webhookSecret());
                announced.add(event.path("data").path("id").asText(event.path("data").path("taskId").asText()));
            }
            assertEquals(Set.of(full.path("id").asText(), partial.path("id").asText()), announced);
        }
    }

    private static void assertRefused(JsonNode refusal, int status, String typeSuffix) {
        assertEquals(status, refusal.path("status").asInt(), refusal.toString());
        assertTrue(refusal.path("type").asText().endsWith(":" + typeSuffix), refusal.toString());
    }
}
