package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.Bodies.with;
import static com.runwayrelay.catalog.Bodies.without;
import static com.runwayrelay.catalog.ValidationAssertions.CATALOG;
import static com.runwayrelay.catalog.ValidationAssertions.assertOnlyViolation;
import static com.runwayrelay.catalog.ValidationAssertions.assertValid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.media.MediaKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The seven recipes of SDK 4.20.1 (resources/recipes.d.ts): variants selected by {@code version}. */
class RecipesTest {
    private static final String IMG = "https://cdn.yourapp.com/p.png";
    private static final String VID = "https://cdn.yourapp.com/v.mp4";

    /** A minimal valid body per recipe, its output kind and how many files it makes. */
    static Stream<Arguments> recipes() {
        return Stream.of(
                Arguments.of("ad_localization", "{'version': '2026-06', 'referenceImage': {'uri': '" + IMG + "'},"
                        + " 'targetLanguage': 'ja'}", MediaKind.IMAGE, 1),
                Arguments.of("marketing_stock_image", "{'version': '2026-06', 'prompt': 'a launch'}", MediaKind.IMAGE, 4),
                Arguments.of("product_ad", "{'version': '2026-07', 'productImages': [{'uri': '" + IMG + "'}]}",
                        MediaKind.VIDEO, 1),
                Arguments.of("product_campaign_image", "{'version': '2026-06', 'image': {'uri': '" + IMG + "'},"
                        + " 'prompt': 'high-key editorial'}", MediaKind.IMAGE, 4),
                Arguments.of("product_swap", "{'version': '2026-06', 'newProductImages': [{'uri': '" + IMG
                        + "', 'view': 'front'}], 'originalProductImage': {'uri': '" + IMG + "'},"
                        + " 'referenceVideo': {'uri': '" + VID + "'}}", MediaKind.VIDEO, 1),
                Arguments.of("multi_shot_video", "{'version': '2026-06', 'mode': 'auto', 'prompt': 'a day at sea'}",
                        MediaKind.VIDEO, 1),
                Arguments.of("product_ugc", "{'version': '2026-06', 'characterImage': {'uri': '" + IMG + "'},"
                        + " 'productImage': {'uri': '" + IMG + "'}}", MediaKind.VIDEO, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void acceptsMinimalBody_andUnsafeLatest(String recipe, String body, MediaKind kind, int outputs) {
        String endpoint = "recipes/" + recipe;
        ObjectNode valid = json(body);
        assertValid(endpoint, valid);
        assertValid(endpoint, with(valid, "version", "unsafe-latest")); // the relay gates it per app, not the catalog
        assertEquals(Optional.of("version"), CATALOG.selector(endpoint));
        assertEquals(Optional.of(kind), CATALOG.outputKind(endpoint, "2026-06"));
        assertEquals(outputs, CATALOG.outputCount(endpoint, valid));
        assertEquals(Optional.empty(), CATALOG.estimateCredits(endpoint, valid)); // no source prices a recipe
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void rejectsUnknownVersion_evenUnderPassthrough(String recipe, String body, MediaKind kind, int outputs) {
        ObjectNode dated = with(json(body), "version", "2026-13");
        for (UnknownModelPolicy policy : UnknownModelPolicy.values()) {
            ValidationResult result = CATALOG.validate("recipes/" + recipe, dated, policy);
            assertEquals(1, result.violations().size(), result.violations().toString());
            Violation v = result.violations().get(0);
            assertEquals(List.of("version"), v.path());
            assertEquals("unknown_version", v.code());
            assertTrue(v.message().contains("unsafe-latest"), v.message());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void rejectsMissingVersion_andAModelField(String recipe, String body, MediaKind kind, int outputs) {
        String endpoint = "recipes/" + recipe;
        Violation missing = assertOnlyViolation(endpoint, without(json(body), "version"), List.of("version"),
                "invalid_type");
        assertTrue(missing.message().contains("version is required"), missing.message());
        assertOnlyViolation(endpoint, with(json(body), "model", "gen4.5"), List.of("model"), "unrecognized_keys");
    }

    @Test
    void listsEveryImageAndVideoUri_ofProductSwap_asMediaReferences() {
        ObjectNode body = json("{'version': '2026-06', 'newProductImages': [{'uri': 'runway://aaaaaaaaaaaa'},"
                + " {'uri': 'runway://bbbbbbbbbbbb', 'view': 'side'}], 'originalProductImage': {'uri': '" + IMG + "'},"
                + " 'referenceVideo': {'uri': '" + VID + "'}}");
        List<MediaReference> refs = CATALOG.mediaReferences("recipes/product_swap", body);
        assertEquals(List.of(List.of("newProductImages", 0, "uri"), List.of("newProductImages", 1, "uri"),
                List.of("originalProductImage", "uri"), List.of("referenceVideo", "uri")),
                refs.stream().map(MediaReference::path).toList());
        assertEquals(java.util.Set.of(MediaKind.VIDEO), refs.get(3).kinds());
    }

    @Test
    void rejectsAVideoDataUri_inAnImageField() {
        ObjectNode body = json("{'version': '2026-06', 'image': {'uri': 'data:video/mp4;base64,AAAA'}, 'prompt': 'x'}");
        assertOnlyViolation("recipes/product_campaign_image", body, List.of("image", "uri"), "invalid_string");
    }

    @Test
    void multiShot_customShotsMustAddUpToDuration() {
        ObjectNode custom = json("{'version': '2026-06', 'mode': 'custom', 'duration': 10, 'shots': ["
                + "{'duration': 3, 'prompt': 'a'}, {'duration': 3, 'prompt': 'b'}, {'duration': 4, 'prompt': 'c'}]}");
        assertValid("recipes/multi_shot_video", custom);
        Violation v = assertOnlyViolation("recipes/multi_shot_video", with(custom, "duration", 15), List.of("shots"),
                "custom");
        assertTrue(v.message().contains("add up to 10"), v.message());
        // without duration the default (10 s) applies
        assertValid("recipes/multi_shot_video", without(custom, "duration"));
    }

    @Test
    void multiShot_modeSelectsPromptOrShots() {
        assertOnlyViolation("recipes/multi_shot_video", json("{'version': '2026-06', 'mode': 'auto'}"),
                List.of("prompt"), "custom");
        assertOnlyViolation("recipes/multi_shot_video", json("{'version': '2026-06', 'mode': 'custom', 'prompt': 'p',"
                + " 'shots': [{'duration': 5, 'prompt': 'a'}, {'duration': 3, 'prompt': 'b'}, {'duration': 2,"
                + " 'prompt': 'c'}]}"), List.of("prompt"), "custom");
        assertOnlyViolation("recipes/multi_shot_video", json("{'version': '2026-06', 'mode': 'custom', 'shots': ["
                + "{'duration': 5, 'prompt': 'a'}, {'duration': 5, 'prompt': 'b'}]}"), List.of("shots"), "too_small");
    }

    @Test
    void productAd_limitsImagesAndDuration() {
        ObjectNode ad = json("{'version': '2026-06', 'productImages': [{'uri': '" + IMG + "'}]}");
        assertOnlyViolation("recipes/product_ad", with(ad, "productImages", List.of()), List.of("productImages"),
                "too_small");
        assertOnlyViolation("recipes/product_ad", with(ad, "duration", 16), List.of("duration"), "too_big");
        assertOnlyViolation("recipes/product_ad", with(ad, "styleImages", List.of(Map.of("uri", IMG), Map.of("uri", IMG),
                Map.of("uri", IMG), Map.of("uri", IMG), Map.of("uri", IMG))), List.of("styleImages"), "too_big");
    }

    @Test
    void adLocalization_rejectsUnlistedLanguage() {
        assertOnlyViolation("recipes/ad_localization", json("{'version': '2026-06', 'referenceImage': {'uri': '" + IMG
                + "'}, 'targetLanguage': 'xx'}"), List.of("targetLanguage"), "invalid_enum_value");
    }

    @Test
    void marketingStockImage_countsOutputCount() {
        ObjectNode body = json("{'version': '2026-06', 'prompt': 'p', 'outputCount': 2}");
        assertEquals(2, CATALOG.outputCount("recipes/marketing_stock_image", body));
        assertOnlyViolation("recipes/marketing_stock_image", with(body, "outputCount", 5), List.of("outputCount"),
                "too_big");
    }

    @Test
    void versionsAreNotModels_ofAnyOtherEndpoint() {
        assertFalse(CATALOG.models("image_to_video").contains("2026-06"));
        Violation v = assertOnlyViolation("image_to_video", json("{'model': '2026-06'}"), List.of("model"),
                "unknown_model");
        assertFalse(v.message().contains("recipes/"), v.message());
        assertEquals(Optional.of("model"), CATALOG.selector("image_to_video"));
        assertEquals(Optional.empty(), CATALOG.selector("recipes/unknown"));
    }
}
