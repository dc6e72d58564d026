package com.runwayrelay.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The data files document their sources and mark what the reference leaves UNCONFIRMED. */
class CatalogDataTest {

    private static JsonNode read(String file) throws IOException {
        try (InputStream in = CatalogDataTest.class.getClassLoader().getResourceAsStream("catalog/" + file)) {
            return Bodies.JSON.readTree(in);
        }
    }

    private static Map<String, JsonNode> models() throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode file : read("index.json").path("endpoints")) {
            JsonNode endpoint = read(file.asText());
            endpoint.path("models").forEach(m -> out.put(endpoint.path("endpoint").asText() + " "
                    + (m.has("model") ? m.path("model").asText() : m.has("version") ? m.path("version").toString()
                    : "*"), m)); // "*": the one variant of a free selector (configId)
        }
        return out;
    }

    @Test
    void namesASourceForEveryModel() throws IOException {
        models().forEach((name, model) -> assertTrue(model.path("x-source").asText().contains("§"), name + " has no x-source"));
    }

    @Test
    void marksThirdPartyPrices_asUnconfirmed() throws IOException { // §18.3 is headed UNCONFIRMED; veo split is [3P] (§18.2)
        Set<String> thirdParty = Set.of("gemini_omni_flash", "seedance2_5", "grok_imagine_1_5", "wan3", "seedream5_pro",
                "seedream5_lite", "gemini_image3_pro", "eleven_v3", "aleph2", "veo3.1", "veo3.1_fast");
        models().forEach((name, model) -> {
            if (model.has("price") && thirdParty.contains(name.split(" ")[1])) {
                assertTrue(model.path("x-unconfirmed").toString().contains("price"), name + " price is not marked UNCONFIRMED");
            }
        });
    }

    @Test
    void givesNoPrice_toModelsNoSourcePrices() throws IOException { // §18.3: "Not found anywhere"
        Set<String> unpriced = Set.of("hailuo3", "h3_max", "happyhorse_1_0", "seedance2_fast", "seedance2_mini", "wan3_prime",
                "gemini_omni_flash_1.1", "gemini_image3.1_flash", "gpt_image_2_5_flare", "gpt_image_2_5_sunburst",
                "magnific_precision_upscaler_v2", "enhance_frame_rate");
        models().forEach((name, model) -> {
            if (unpriced.contains(name.split(" ")[1])) {
                assertFalse(model.has("price"), name + " has a price no source gives");
            }
        });
    }

    @Test
    void marksUnconfirmedRanges_inTheSchemas() throws IOException { // §21.5: seed range of veo3.1 and Seedance
        JsonNode defs = read("defs.json").path("$defs");
        assertTrue(defs.path("seedUnconfirmed").has("x-unconfirmed"));
        assertTrue(defs.path("tag").path("x-unconfirmed").asText().contains("case"), "§21.7 tag case sensitivity");
        Map<String, JsonNode> models = models();
        assertEquals("#/$defs/seedUnconfirmed",
                models.get("image_to_video veo3.1").path("schema").path("properties").path("seed").path("$ref").asText());
        assertTrue(models.get("image_to_video gen4_turbo").path("x-unconfirmed").toString().contains("default duration"));
    }
}
