package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.local.SdkStackFixture.Delivery;
import com.runwayrelay.local.SdkStackFixture.WebhookReceiver;
import com.runwayrelay.testkit.node.OfficialNodeSdk;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code client.avatarVideos.create} of the official Node SDK against the local stack: the task goes through
 * the whole pipeline (reservation, Runway create, poller, archive) and {@code waitForTaskOutput} ends with a
 * link into the local S3 holding the simulator's MP4 byte for byte, and a signed {@code task.succeeded}
 * webhook reaches the app; a custom avatar is refused and never reaches the simulator.
 */
class AvatarVideosLocalStackIT {
    @TempDir
    Path temp;
    private OfficialNodeSdk sdk;

    @BeforeEach
    void installSdk() throws Exception {
        sdk = OfficialNodeSdk.install();
    }

    @Test
    void officialSdk_createsAnAvatarVideo_waitsForItsMp4_getsItsWebhook_andIsRefusedACustomAvatar() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start();
                LocalStack stack = LocalStack.start(SdkStackFixture.quickTasks(temp), SdkStackFixture.consoleLog())) {
            JsonNode summary = new ObjectMapper().readTree(sdk.run("avatar-sdk.mjs", stack.apiUrl(), stack.devApp().key(),
                    Map.of("WEBHOOK_URL", receiver.url())));

            assertTrue(summary.path("ok").asBoolean(), summary.toString());
            JsonNode video = summary.path("checks").path("avatarVideo");
            assertEquals("SUCCEEDED", video.path("status").asText());
            assertEquals(video.path("createdId").asText(), video.path("taskId").asText());
            assertEquals("video/mp4", video.path("contentType").asText());
            assertTrue(video.path("ftyp").asBoolean());
            // Runway answers {id} only; the gateway reserves and reports the unpriced amount (docs/api.md, Avatar videos).
            assertEquals(100, video.path("estimatedCredits").asLong(), video.toString());
            URI link = URI.create(video.path("link").asText());
            assertEquals(stack.aws().s3Endpoint().getPort(), link.getPort(), "the link points into the local S3: " + link);

            JsonNode custom = summary.path("checks").path("customAvatar");
            assertEquals(400, custom.path("status").asInt(), custom.toString());
            assertEquals("resource_not_found", custom.path("issues").get(0).path("code").asText(), custom.toString());
            assertEquals("[\"avatar\",\"avatarId\"]", custom.path("issues").get(0).path("path").toString());

            var simulator = stack.simulator().orElseThrow();
            assertEquals(1, simulator.createdTaskCount(), "the refused custom avatar never reached Runway");
            String runwayTaskId = simulator.requestLog().stream().filter(r -> r.path().startsWith("/v1/tasks/"))
                    .map(r -> r.path().substring("/v1/tasks/".length())).findFirst().orElseThrow();
            assertEquals(simulator.outputSha256(runwayTaskId, 0), video.path("sha256").asText(),
                    "the archived copy is the simulator's output, byte for byte");

            Delivery hook = receiver.next("the task's webhook arrived");
            JsonNode event = new ObjectMapper().readTree(hook.body());
            assertEquals("task.succeeded", event.path("type").asText(), event.toString());
            assertTrue(event.toString().contains(video.path("taskId").asText()), event.toString());
            hook.assertSignedWith(stack.devApp().webhookSecret());
        }
    }
}
