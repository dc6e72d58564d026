package com.runwayrelay.simulator;

import static com.runwayrelay.simulator.SimClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.domain.memory.ManualClock;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The simulator wired to the shipped catalog: Runway-shaped 400s come from the catalog's validator. */
class CatalogValidationIT {

    @Test
    void invalidRequest_gets400_withAnIssuePerViolation() throws Exception {
        try (RunwaySimulator sim = RunwaySimulator.start(SimulatorConfig.defaults())) {
            HttpResponse<String> r = new SimClient(sim).post("/v1/text_to_image", "{\"model\":\"gen4_image\",\"ratio\":\"7:3\"}");
            assertEquals(400, r.statusCode());
            JsonNode body = json(r);
            assertTrue(body.path("error").asText().startsWith("Validation of body failed: "), body.toString());
            assertTrue(body.path("issues").size() >= 2, body.toString());
            for (JsonNode issue : body.path("issues")) {
                assertFalse(issue.path("code").asText().isBlank(), issue.toString());
                assertTrue(issue.path("path").isArray(), issue.toString());
                assertFalse(issue.path("message").asText().isBlank(), issue.toString());
            }
            assertTrue(body.path("issues").toString().contains("[\"ratio\"]"), body.toString());
            assertTrue(body.path("issues").toString().contains("promptText"), body.toString());
            assertEquals(0, sim.createdTaskCount());
        }
    }

    @Test
    void unknownModel_gets400_byDefault_andPassesThrough_whenConfigured() throws Exception {
        String body = "{\"model\":\"gen9_dream\",\"promptText\":\"x\",\"ratio\":\"1024:1024\"}";
        try (RunwaySimulator sim = RunwaySimulator.start(SimulatorConfig.defaults())) {
            HttpResponse<String> r = new SimClient(sim).post("/v1/text_to_image", body);
            assertEquals(400, r.statusCode());
            assertEquals("[\"model\"]", json(r).path("issues").get(0).path("path").toString());
        }
        try (RunwaySimulator sim = RunwaySimulator.start(SimulatorConfig.builder().unknownModels(UnknownModelPolicy.PASSTHROUGH).build())) {
            SimClient client = new SimClient(sim);
            HttpResponse<String> r = client.post("/v1/text_to_image", body);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("gen9_dream", sim.task(json(r).path("id").asText()).orElseThrow().model());
        }
    }

    @Test
    void validRequest_getsTheCatalogEstimate_andOrganizationListsCatalogModels() throws Exception {
        try (RunwaySimulator sim = RunwaySimulator.start(SimulatorConfig.defaults())) {
            SimClient client = new SimClient(sim);
            HttpResponse<String> r = client.post("/v1/text_to_image", "{\"model\":\"gen4_image\",\"promptText\":\"x\",\"ratio\":\"1920:1080\"}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(8, json(r).path("estimatedCost").path("credits").asLong());
            JsonNode models = json(client.get("/v1/organization")).path("tier").path("models");
            assertTrue(models.has("gen4.5") && models.has("gen4_turbo") && models.has("gen4_image"), models.toString());
        }
    }

    @Test
    void avatarVideo_answersWithIdOnly_acceptsTheOrganizationsCustomIdsAsRunwayDoes_andEndsWithAnMp4() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-10-01T12:00:00Z"));
        try (RunwaySimulator sim = RunwaySimulator.start(SimulatorConfig.builder().clock(clock).build())) {
            SimClient client = new SimClient(sim);
            String video = "{\"model\":\"gwm1_avatars\",\"avatar\":{\"type\":\"custom\",\"avatarId\":\"%s\"},"
                    + "\"speech\":{\"type\":\"text\",\"text\":\"hello\",\"voice\":{\"type\":\"preset\",\"presetId\":\"luna\"}}}";
            HttpResponse<String> unknown = client.post("/v1/avatar_videos", video.formatted("av_1"));
            assertEquals(400, unknown.statusCode(), unknown.body());
            assertEquals("[\"avatar\",\"avatarId\"]", json(unknown).path("issues").get(0).path("path").toString());
            String avatarId = json(client.post("/v1/avatars", "{\"name\":\"Ada\",\"personality\":\"kind\","
                    + "\"referenceImage\":\"https://media.example.com/a.png\","
                    + "\"voice\":{\"type\":\"runway-live-preset\",\"presetId\":\"clara\"}}")).path("id").asText();
            HttpResponse<String> r = client.post("/v1/avatar_videos", video.formatted(avatarId));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode created = json(r);
            assertFalse(created.has("estimatedCost"), created.toString()); // reference §2.2: {id} only
            String id = created.path("id").asText();

            clock.advance(Duration.ofMinutes(5));
            JsonNode task = json(client.get("/v1/tasks/" + id));
            assertEquals("SUCCEEDED", task.path("status").asText(), task.toString());
            URI output = URI.create(task.path("output").get(0).asText());
            assertTrue(output.getPath().endsWith(".mp4"), output.toString());
            HttpResponse<byte[]> mp4 = client.download(output);
            assertEquals("video/mp4", mp4.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("ftyp", new String(mp4.body(), 4, 4, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void avatarVideo_gets400_forAnUnknownPreset() throws Exception {
        try (RunwaySimulator sim = RunwaySimulator.start(SimulatorConfig.defaults())) {
            HttpResponse<String> r = new SimClient(sim).post("/v1/avatar_videos", "{\"model\":\"gwm1_avatars\","
                    + "\"avatar\":{\"type\":\"runway-preset\",\"presetId\":\"astronaut\"},"
                    + "\"speech\":{\"type\":\"text\",\"text\":\"hello\"}}");
            assertEquals(400, r.statusCode());
            assertEquals("[\"avatar\",\"presetId\"]", json(r).path("issues").get(0).path("path").toString());
            assertEquals(0, sim.createdTaskCount());
        }
    }
}
