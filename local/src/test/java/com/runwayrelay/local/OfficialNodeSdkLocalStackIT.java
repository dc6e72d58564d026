package com.runwayrelay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.testkit.node.OfficialNodeSdk;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: the official Node SDK, pointed at the local stack ({@code http://localhost:<port>}) with the dev key,
 * creates a task, waits for its output and downloads the link it gets, which points into the local S3.
 */
class OfficialNodeSdkLocalStackIT {
    @TempDir
    Path temp;
    private OfficialNodeSdk sdk;

    @BeforeEach
    void installSdk() throws Exception {
        sdk = OfficialNodeSdk.install();
    }

    @Test
    void officialSdk_createsWaitsForOutputAndDownloadsTheLink() throws Exception {
        StackOptions options = StackOptions.ephemeral().withDataDir(temp.resolve("data")).withPollInterval(Duration.ofMillis(500))
                .withSimulatorSettings(Map.of("RUNWAY_SIM_PENDING_MS", "200", "RUNWAY_SIM_RUNNING_MS", "500"));
        try (LocalStack stack = LocalStack.start(options, new StackLog(System.out, StackLog.Level.NORMAL))) {
            assertEquals("localhost", stack.apiUrl().getHost());
            JsonNode summary = new ObjectMapper().readTree(sdk.run("stack-sdk.mjs", stack.apiUrl(), stack.devApp().key()));

            assertTrue(summary.path("ok").asBoolean(), summary.toString());
            JsonNode image = summary.path("checks").path("textToImage");
            assertEquals("SUCCEEDED", image.path("status").asText());
            assertTrue(image.path("pngMagic").asBoolean());
            assertEquals("image/png", image.path("contentType").asText());
            URI link = URI.create(image.path("link").asText());
            assertEquals(stack.aws().s3Endpoint().getPort(), link.getPort(), "the link points into the local S3, not at the simulator: " + link);
            assertTrue(link.getQuery().contains("X-Amz-Signature="), link.toString());
            var simulator = stack.simulator().orElseThrow();
            assertEquals(1, simulator.createdTaskCount());
            String runwayTaskId = simulator.requestLog().stream().filter(r -> r.path().startsWith("/v1/tasks/"))
                    .map(r -> r.path().substring("/v1/tasks/".length())).findFirst().orElseThrow();
            assertEquals(simulator.outputSha256(runwayTaskId, 0), image.path("sha256").asText(), "the archived copy is the simulator's output, byte for byte");
        }
    }
}
