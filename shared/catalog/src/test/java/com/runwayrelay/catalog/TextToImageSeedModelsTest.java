package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.Bodies.with;
import static com.runwayrelay.catalog.Bodies.without;
import static com.runwayrelay.catalog.ValidationAssertions.assertHasViolation;
import static com.runwayrelay.catalog.ValidationAssertions.assertOnlyViolation;
import static com.runwayrelay.catalog.ValidationAssertions.assertValid;
import static com.runwayrelay.catalog.ValidationAssertions.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed models of POST /v1/text_to_image; expectations from reference §7 and seeds 000/002/004. */
class TextToImageSeedModelsTest {
    private static final String T2I = "text_to_image";
    // Seed 000's example with two tagged reference images.
    private final ObjectNode tagged = json("{'model': 'gen4_image', 'promptText': '@EiffelTower painted in the style of @StarryNight',"
            + " 'referenceImages': [{'uri': 'https://cdn.yourapp.com/eiffel-tower.jpg', 'tag': 'EiffelTower'},"
            + " {'uri': 'https://cdn.yourapp.com/starry-night.jpg', 'tag': 'StarryNight'}], 'ratio': '1280:720'}");
    private final ObjectNode turbo = with(tagged, "model", "gen4_image_turbo");
    private final ObjectNode gemini = json("{'model': 'gemini_2.5_flash', 'promptText': 'a koi pond', 'ratio': '1024:1024'}");

    @Test
    void acceptsTheSeedExamples() {
        assertValid(T2I, json("{'model': 'gen4_image', 'promptText': 'A serene Japanese garden', 'ratio': '1280:720'}"));
        assertValid(T2I, json("{'model': 'gen4_image', 'promptText': 'A beautiful sunset over a calm ocean', 'ratio': '1360:768'}"));
        assertValid(T2I, tagged);
        assertValid(T2I, turbo);
        assertValid(T2I, gemini);
    }

    @Test
    void rejectsGen4ImageRatio_whenAVideoRatio() { // §7: 16 image ratios; 960:960 is a video ratio
        assertOnlyViolation(T2I, with(tagged, "ratio", "960:960"), List.of("ratio"), "invalid_enum_value");
    }

    @Test
    void rejectsMention_whenNoReferenceImageHasThatTag() { // seed 000: "the tag must match the tag field"
        ObjectNode mismatch = with(tagged, "promptText", "@EiffelTower painted in the style of @Monet");
        Violation v = assertOnlyViolation(T2I, mismatch, List.of("promptText"), "custom");
        assertTrue(v.message().contains("@Monet") && v.message().contains("StarryNight"), v.message());
    }

    @Test
    void ignoresAtSigns_whenThereAreNoReferenceImages() {
        assertValid(T2I, json("{'model': 'gen4_image', 'promptText': 'a poster saying @home', 'ratio': '1280:720'}"));
    }

    @Test
    void rejectsTag_whenTooShortOrNotStartingWithALetter() { // §7: 3-16 chars, starts with a letter
        ObjectNode shortTag = with(tagged, "referenceImages", List.of(Map.of("uri", "https://cdn.yourapp.com/a.jpg", "tag", "ab")));
        assertOnlyViolation(T2I, with(shortTag, "promptText", "a portrait"), List.of("referenceImages", 0, "tag"), "too_small");
        ObjectNode digit = with(tagged, "referenceImages", List.of(Map.of("uri", "https://cdn.yourapp.com/a.jpg", "tag", "1abc")));
        assertOnlyViolation(T2I, with(digit, "promptText", "a portrait"), List.of("referenceImages", 0, "tag"), "invalid_string");
    }

    @Test
    void rejectsReferenceImages_whenMoreThanThree() { // §7: gen4 models <= 3
        Map<String, String> ref = Map.of("uri", "https://cdn.yourapp.com/a.jpg");
        assertOnlyViolation(T2I, with(gemini, "referenceImages", List.of(ref, ref, ref, ref)), List.of("referenceImages"), "too_big");
    }

    @Test
    void requiresReferenceImages_forGen4ImageTurbo() { // §7: gen4_image_turbo REQUIRES referenceImages (1-3)
        assertOnlyViolation(T2I, without(turbo, "referenceImages"), List.of("referenceImages"), "invalid_type");
        assertOnlyViolation(T2I, with(turbo, "referenceImages", List.of()), List.of("referenceImages"), "too_small");
    }

    @Test
    void rejectsPromptText_overTheModelsLimit() { // §7: gen4 1-1000, gemini_2.5_flash 1-5500
        assertOnlyViolation(T2I, with(tagged, "promptText", "x".repeat(1001)), List.of("promptText"), "too_big");
        assertValid(T2I, with(gemini, "promptText", "x".repeat(5500)));
        Violation v = assertOnlyViolation(T2I, with(gemini, "promptText", "x".repeat(5501)), List.of("promptText"), "too_big");
        assertEquals("promptText must be at most 5500 characters (got 5501)", v.message());
    }

    @Test
    void rejectsGeminiRatio_whenAGen4Ratio() { // §7: gemini_2.5_flash has 10 ratios
        assertOnlyViolation(T2I, with(gemini, "ratio", "1280:720"), List.of("ratio"), "invalid_enum_value");
    }

    @Test
    void reportsEveryViolation_atOnce() {
        ObjectNode bad = json("{'model': 'gen4_image', 'ratio': '4:3', 'seed': -1,"
                + " 'referenceImages': [{'uri': 'http://insecure.example/a.jpg', 'tag': 'x'}]}");
        ValidationResult result = validate(T2I, bad);
        assertEquals(5, result.violations().size(), ValidationAssertions.describe(result.violations()));
        assertHasViolation(result, List.of("promptText"), "invalid_type");
        assertHasViolation(result, List.of("ratio"), "invalid_enum_value");
        assertHasViolation(result, List.of("seed"), "too_small");
        assertHasViolation(result, List.of("referenceImages", 0, "uri"), "invalid_string");
        assertHasViolation(result, List.of("referenceImages", 0, "tag"), "too_small");
    }
}
