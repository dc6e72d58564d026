package com.runwayrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.testkit.node.OfficialNodeSdk;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/sdk-compat.mjs} with the official {@code @runwayml/sdk} (the pin in
 * {@code testkit/node-sdk}) against the simulator, through {@link OfficialNodeSdk}. Skipped when
 * node or npm is missing.
 */
class OfficialNodeSdkIT {
    private OfficialNodeSdk sdk;

    // Per test rather than @BeforeAll so that a missing node/npm reports the test as skipped.
    @BeforeEach
    void installSdk() throws Exception {
        sdk = OfficialNodeSdk.install();
    }

    @Test
    void officialSdk_createsWaitsDownloadsDeletesUploadsAndSeesBadRequest() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder()
                .pendingDuration(Duration.ofMillis(300))
                .runningDuration(Duration.ofMillis(700))
                .build();
        try (RunwaySimulator sim = RunwaySimulator.start(config)) {
            JsonNode summary = new ObjectMapper().readTree(sdk.run("sdk-compat.mjs", sim.baseUri(), sim.apiKey()));
            assertTrue(summary.path("ok").asBoolean(), summary.toString());
            JsonNode checks = summary.path("checks");

            JsonNode image = checks.path("textToImage");
            assertEquals("SUCCEEDED", image.path("status").asText());
            assertTrue(image.path("pngMagic").asBoolean());
            assertEquals("image/png", image.path("contentType").asText());
            assertEquals(sim.task(image.path("taskId").asText()).orElseThrow().outputs().getFirst().size(), image.path("bytes").asLong());

            JsonNode video = checks.path("imageToVideo");
            assertEquals("video/mp4", video.path("contentType").asText());
            assertEquals("ftyp", video.path("ftyp").asText());
            assertTrue(sim.task(video.path("taskId").asText()).orElseThrow().requestBody().contains("data:image/png;base64,"));

            JsonNode deleted = checks.path("delete");
            assertEquals("NotFoundError", deleted.path("retrieveAfterDelete").asText());
            assertEquals(404, deleted.path("status").asInt());
            assertTrue(sim.task(deleted.path("taskId").asText()).orElseThrow().cancelled());

            JsonNode upload = checks.path("upload");
            assertTrue(upload.path("uri").asText().startsWith("runway://"), upload.toString());
            assertTrue(sim.task(upload.path("taskId").asText()).orElseThrow().requestBody().contains(upload.path("uri").asText()));
            assertEquals(1, sim.requestCount("POST", "/_uploads/"));

            JsonNode bad = checks.path("badRequest");
            assertEquals("BadRequestError", bad.path("errorClass").asText());
            assertEquals(400, bad.path("status").asInt());
            assertEquals("[\"ratio\"]", bad.path("issues").get(0).path("path").toString(), bad.toString());

            assertEquals(3, checks.path("organization").path("gen4ImageDailyGenerations").asInt());
            assertEquals(4, sim.createdTaskCount());
        }
    }

}
