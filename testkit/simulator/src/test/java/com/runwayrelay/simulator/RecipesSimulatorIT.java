package com.runwayrelay.simulator;

import static com.runwayrelay.simulator.SimClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.domain.memory.ManualClock;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The simulator's recipes: Runway's task shape (id and estimatedCost), outputs by recipe, failures, 400s. */
class RecipesSimulatorIT {
    private static final String PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
            + "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    private static final String MP4 = "data:video/mp4;base64,AAAAGGZ0eXBtcDQyAAAAAG1wNDJpc29t";

    static Stream<Arguments> recipes() {
        return Stream.of(
                Arguments.of("ad_localization", "{\"version\":\"2026-06\",\"referenceImage\":{\"uri\":\"" + PNG + "\"},"
                        + "\"targetLanguage\":\"fr\"}", "image/png", 1),
                Arguments.of("marketing_stock_image", "{\"version\":\"2026-06\",\"prompt\":\"launch\",\"outputCount\":2}",
                        "image/png", 2),
                Arguments.of("product_ad", "{\"version\":\"2026-07\",\"productImages\":[{\"uri\":\"" + PNG + "\"}]}",
                        "video/mp4", 1),
                Arguments.of("product_campaign_image", "{\"version\":\"unsafe-latest\",\"image\":{\"uri\":\"" + PNG
                        + "\"},\"prompt\":\"editorial\"}", "image/png", 4),
                Arguments.of("product_swap", "{\"version\":\"2026-06\",\"newProductImages\":[{\"uri\":\"" + PNG + "\"}],"
                        + "\"originalProductImage\":{\"uri\":\"" + PNG + "\"},\"referenceVideo\":{\"uri\":\"" + MP4
                        + "\"}}", "video/mp4", 1),
                Arguments.of("multi_shot_video", "{\"version\":\"2026-06\",\"mode\":\"auto\",\"prompt\":\"sea\"}",
                        "video/mp4", 1),
                Arguments.of("product_ugc", "{\"version\":\"2026-06\",\"characterImage\":{\"uri\":\"" + PNG + "\"},"
                        + "\"productImage\":{\"uri\":\"" + PNG + "\"}}", "video/mp4", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void createsATask_withAnEstimate_thatEndsWithTheRecipesOutputs(String recipe, String body, String type, int outputs)
            throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-10-01T12:00:00Z"));
        try (RunwaySimulator sim = RunwaySimulator.start(SimulatorConfig.builder().clock(clock).build())) {
            SimClient client = new SimClient(sim);
            HttpResponse<String> created = client.post("/v1/recipes/" + recipe, body);
            assertEquals(200, created.statusCode(), created.body());
            JsonNode answer = json(created);
            assertTrue(answer.path("estimatedCost").path("credits").isNumber(), answer.toString()); // SDK: required
            String id = answer.path("id").asText();

            assertEquals("PENDING", json(client.get("/v1/tasks/" + id)).path("status").asText());
            clock.advance(Duration.ofMinutes(5));
            JsonNode task = json(client.get("/v1/tasks/" + id));
            assertEquals("SUCCEEDED", task.path("status").asText(), task.toString());
            assertEquals(outputs, task.path("output").size(), task.toString());
            for (JsonNode url : task.path("output")) {
                HttpResponse<byte[]> file = client.download(URI.create(url.asText()));
                assertEquals(200, file.statusCode());
                assertEquals(type, file.headers().firstValue("Content-Type").orElseThrow());
            }
        }
    }

    @Test
    void failsARecipe_whosePromptAsksForAFailure() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-10-01T12:00:00Z"));
        try (RunwaySimulator sim = RunwaySimulator.start(SimulatorConfig.builder().clock(clock).build())) {
            SimClient client = new SimClient(sim);
            String id = json(client.post("/v1/recipes/product_ad", "{\"version\":\"2026-06\",\"productImages\":[{\"uri\":\""
                    + PNG + "\"}],\"userConcept\":\"[fail:SAFETY.INPUT.TEXT]\"}")).path("id").asText();
            clock.advance(Duration.ofMinutes(5));
            JsonNode task = json(client.get("/v1/tasks/" + id));
            assertEquals("FAILED", task.path("status").asText(), task.toString());
            assertEquals("SAFETY.INPUT.TEXT", task.path("failureCode").asText());
        }
    }

    @Test
    void answers400_forAnUnknownVersion_andAModelField_and404_forAnUnknownRecipe() throws Exception {
        try (RunwaySimulator sim = RunwaySimulator.start(SimulatorConfig.defaults())) {
            SimClient client = new SimClient(sim);
            HttpResponse<String> version = client.post("/v1/recipes/multi_shot_video",
                    "{\"version\":\"2025-01\",\"mode\":\"auto\",\"prompt\":\"x\"}");
            assertEquals(400, version.statusCode());
            assertEquals("[\"version\"]", json(version).path("issues").get(0).path("path").toString());
            HttpResponse<String> model = client.post("/v1/recipes/multi_shot_video",
                    "{\"version\":\"2026-06\",\"mode\":\"auto\",\"prompt\":\"x\",\"model\":\"gen4.5\"}");
            assertEquals(400, model.statusCode());
            assertEquals(404, client.post("/v1/recipes/product_dance", "{\"version\":\"2026-06\"}").statusCode());
            assertEquals(0, sim.createdTaskCount());
        }
    }
}
