package com.runwayrelay.simulator;

import static com.runwayrelay.simulator.SimClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.domain.memory.ManualClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The simulator's Model Router: router CRUD, routed generation with {@code routing}, and its errors. */
class ModelRouterSimulatorIT {

    @Test
    void routesAVideo_byCostUnderTheCap_answersRouting_andRunsTheTask() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-10-01T12:00:00Z"));
        try (RunwaySimulator sim = RunwaySimulator.start(SimulatorConfig.builder().clock(clock).build())) {
            SimClient client = new SimClient(sim);
            HttpResponse<String> made = client.post("/v1/routers", "{\"slug\":\"ads\",\"settings\":{\"optimizeFor\":\"cost\","
                    + "\"maxCreditsPerGeneration\":{\"video\":60,\"image\":10}}}");
            assertEquals(200, made.statusCode(), made.body());
            JsonNode router = json(made);
            assertEquals(1, router.path("settings").path("schemaVersion").asInt());
            assertEquals(1, router.path("version").asInt());

            HttpResponse<String> generated = client.post("/v1/generate/video",
                    "{\"configId\":\"ads\",\"input\":{\"promptText\":\"a boat\",\"duration\":5,\"aspectRatio\":\"9:16\"}}");
            assertEquals(200, generated.statusCode(), generated.body());
            JsonNode answer = json(generated);
            assertFalse(answer.has("estimatedCost"), "the estimate is inside routing (reference §2.2)");
            JsonNode routing = answer.path("routing");
            assertEquals("ads", routing.path("configId").asText());
            assertEquals("seedance2_fast", routing.path("model").asText()); // the cheapest candidate
            assertEquals(40, routing.path("estimatedCost").path("credits").asLong());
            assertEquals("720:1280", routing.path("resolvedInput").path("ratio").asText());
            assertEquals(60, routing.path("resolvedSettings").path("priceCeiling").asLong());

            clock.advance(Duration.ofMinutes(5));
            JsonNode task = json(client.get("/v1/tasks/" + answer.path("id").asText()));
            assertEquals("SUCCEEDED", task.path("status").asText(), task.toString());
            HttpResponse<byte[]> mp4 = client.download(URI.create(task.path("output").get(0).asText()));
            assertEquals("video/mp4", mp4.headers().firstValue("Content-Type").orElseThrow());

            JsonNode requests = json(client.get("/v1/routers/" + router.path("id").asText() + "/requests"));
            assertEquals("routed", requests.path("data").get(0).path("status").asText());
            assertEquals(answer.path("id").asText(), requests.path("data").get(0).path("taskId").asText());
        }
    }

    @Test
    void answersNoEligibleModel_whenTheCapIsTooLow_andRouterConfigNotFound_forAnUnknownSlug() throws Exception {
        try (RunwaySimulator sim = RunwaySimulator.start(SimulatorConfig.defaults())) {
            SimClient client = new SimClient(sim);
            client.post("/v1/routers", "{\"slug\":\"cheap\",\"settings\":{\"maxCreditsPerGeneration\":{\"image\":1}}}");
            HttpResponse<String> none = client.post("/v1/generate/image",
                    "{\"configId\":\"cheap\",\"input\":{\"promptText\":\"a cat\",\"outputCount\":2}}");
            assertEquals(400, none.statusCode(), none.body());
            assertEquals("no_eligible_model", json(none).path("code").asText());
            assertEquals("[\"price\"]", json(none).path("emptiedBy").toString());
            assertTrue(json(none).path("pipeline").isArray());

            HttpResponse<String> missing = client.post("/v1/generate/audio",
                    "{\"configId\":\"nobody\",\"input\":{\"type\":\"speech\",\"promptText\":\"hi\"}}");
            assertEquals(404, missing.statusCode());
            assertEquals("router_config_not_found", json(missing).path("code").asText());

            assertEquals(400, client.post("/v1/generate/image", "{\"configId\":\"cheap\",\"input\":{}}").statusCode());
            assertEquals(0, sim.createdTaskCount());
        }
    }

    @Test
    void listsUpdatesAndDeletesRouters_withCursorPages() throws Exception {
        try (RunwaySimulator sim = RunwaySimulator.start(SimulatorConfig.defaults())) {
            SimClient client = new SimClient(sim);
            String first = json(client.post("/v1/routers", "{\"slug\":\"one\"}")).path("id").asText();
            client.post("/v1/routers", "{\"slug\":\"two\"}");
            assertEquals(400, client.post("/v1/routers", "{\"slug\":\"one\"}").statusCode(), "slugs are unique");
            assertEquals(400, client.post("/v1/routers", "{\"slug\":\"Bad Slug\"}").statusCode());

            JsonNode page = json(client.get("/v1/routers?limit=1"));
            assertEquals(1, page.path("data").size());
            assertTrue(page.path("hasMore").asBoolean());
            JsonNode next = json(client.get("/v1/routers?limit=1&cursor=" + page.path("nextCursor").asText()));
            assertEquals("two", next.path("data").get(0).path("slug").asText());

            HttpResponse<String> patched = client.send(HttpRequest.newBuilder(sim.baseUri().resolve("/v1/routers/" + first))
                    .header("Authorization", "Bearer " + sim.apiKey()).header("X-Runway-Version", "2024-11-06")
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"settings\":{\"optimizeFor\":\"quality\"}}"))
                    .build());
            assertEquals(200, patched.statusCode(), patched.body());
            assertEquals("quality", json(patched).path("settings").path("optimizeFor").asText());
            assertEquals(2, json(patched).path("version").asInt());

            assertEquals(204, client.delete("/v1/routers/" + first).statusCode());
            assertEquals(404, client.get("/v1/routers/" + first).statusCode());
        }
    }
}
