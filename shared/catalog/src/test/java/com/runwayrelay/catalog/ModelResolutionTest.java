package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.ValidationAssertions.CATALOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import com.runwayrelay.domain.Violation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the validator treats the endpoint and the model before looking at any other field. */
class ModelResolutionTest {
    private static Violation only(ValidationResult result) {
        assertEquals(1, result.violations().size(), () -> ValidationAssertions.describe(result.violations()));
        return result.violations().get(0);
    }

    @Test
    void suggestsTheClosestModel_whenTheModelIsMistyped() {
        ValidationResult result = CATALOG.validate("image_to_video", json("{'model': 'gen45'}"), UnknownModelPolicy.REJECT);
        Violation v = only(result);
        assertEquals(List.of("model"), v.path());
        assertEquals("unknown_model", v.code());
        assertTrue(v.message().contains("Did you mean 'gen4.5'?"), v.message());
        assertTrue(v.message().contains("gen4_turbo, veo3.1, veo3.1_fast"), "lists the endpoint's models: " + v.message());
        assertEquals("gen45", result.model());
        assertFalse(result.known());
    }

    @Test
    void suggestsTheModel_whenOnlyCaseOrSeparatorsDiffer() {
        Violation v = only(CATALOG.validate("text_to_image", json("{'model': 'Gen4-Image-Turbo'}"), UnknownModelPolicy.REJECT));
        assertTrue(v.message().contains("Did you mean 'gen4_image_turbo'?"), v.message());
    }

    @Test
    void listsModelsWithoutASuggestion_whenNothingIsClose() {
        Violation v = only(CATALOG.validate("voice_isolation", json("{'model': 'completely_different'}"), UnknownModelPolicy.REJECT));
        assertFalse(v.message().contains("Did you mean"), v.message());
        assertTrue(v.message().endsWith("Models for voice_isolation: eleven_voice_isolation"), v.message());
    }

    @Test
    void namesTheReplacement_whenTheModelIsRetired() { // §3: gen4_aleph replaced by aleph2
        Violation v = only(CATALOG.validate("video_to_video", json("{'model': 'gen4_aleph', 'videoUri': 'x'}"),
                UnknownModelPolicy.REJECT));
        assertEquals("retired_model", v.code());
        assertEquals(List.of("model"), v.path());
        assertTrue(v.message().contains("use 'aleph2'"), v.message());
    }

    @Test
    void rejectsRetiredModels_evenUnderPassthrough() { // retired models are known: passthrough is for newer ones
        Violation v = only(CATALOG.validate("image_to_video", json("{'model': 'veo3'}"), UnknownModelPolicy.PASSTHROUGH));
        assertEquals("retired_model", v.code());
        assertTrue(v.message().contains("'veo3.1'"), v.message());
    }

    @Test
    void knowsTheReplacementOfEveryRetiredModel() { // §3 list of removed models
        assertEquals(Optional.of("aleph2"), CATALOG.replacementFor("video_to_video", "gen4_aleph"));
        assertEquals(Optional.of("veo3.1"), CATALOG.replacementFor("image_to_video", "veo3"));
        assertEquals(Optional.of("veo3.1"), CATALOG.replacementFor("text_to_video", "veo3"));
        assertEquals(Optional.of("gen4_turbo"), CATALOG.replacementFor("image_to_video", "gen3a_turbo"));
        assertEquals(Optional.of("magnific_video_upscaler_creative"), CATALOG.replacementFor("video_upscale", "upscale_v1"));
        assertEquals(Optional.empty(), CATALOG.replacementFor("image_to_video", "gen4.5"));
        assertEquals(Optional.empty(), CATALOG.replacementFor("nope", "veo3"));
    }

    @Test
    void letsTheRequestThrough_whenTheModelIsUnknownAndPolicyIsPassthrough() {
        ValidationResult result = CATALOG.validate("image_to_video",
                json("{'model': 'gen6_hyper', 'anything': ['goes', 1]}"), UnknownModelPolicy.PASSTHROUGH);
        assertTrue(result.valid());
        assertFalse(result.known());
        assertEquals("gen6_hyper", result.model());
    }

    @Test
    void rejectsAModelOfAnotherEndpoint_evenUnderPassthrough() { // §5: gen4_turbo is not accepted by text_to_video
        ValidationResult result = CATALOG.validate("text_to_video", json("{'model': 'gen4_turbo', 'promptText': 'x'}"),
                UnknownModelPolicy.PASSTHROUGH);
        Violation v = only(result);
        assertEquals("unknown_model", v.code());
        assertTrue(v.message().contains("accepted by image_to_video"), v.message());
    }

    @Test
    void rejectsTheEndpoint_whenUnknown_suggestingTheClosest() {
        ValidationResult result = CATALOG.validate("text_to_vide0", json("{'model': 'gen4.5'}"), UnknownModelPolicy.PASSTHROUGH);
        Violation v = only(result);
        assertEquals("unknown_endpoint", v.code());
        assertEquals(List.of(), v.path());
        assertTrue(v.message().contains("Did you mean 'text_to_video'?"), v.message());
        assertEquals("gen4.5", result.model());
    }

    @Test
    void requiresTheModelField_listingTheEndpointsModels() {
        ValidationResult result = CATALOG.validate("sound_effect", json("{'promptText': 'rain'}"), UnknownModelPolicy.REJECT);
        Violation v = only(result);
        assertEquals(List.of("model"), v.path());
        assertEquals("invalid_type", v.code());
        assertTrue(v.message().contains("seed_audio, eleven_text_to_sound_v2"), v.message());
        assertNull(result.model());
    }

    @Test
    void rejectsTheModelField_whenNotAString() {
        Violation v = only(CATALOG.validate("sound_effect", json("{'model': 7}"), UnknownModelPolicy.PASSTHROUGH));
        assertEquals("invalid_type", v.code());
        assertEquals("model must be a string (got 7)", v.message());
    }

    @Test
    void rejectsTheBody_whenNotAnObject() {
        Violation v = only(CATALOG.validate("sound_effect", TextNode.valueOf("rain"), UnknownModelPolicy.REJECT));
        assertEquals(List.of(), v.path());
        assertEquals("invalid_type", v.code());
        Violation none = only(CATALOG.validate("sound_effect", null, UnknownModelPolicy.REJECT));
        assertEquals("invalid_type", none.code());
    }

    @Test
    void rejectsEveryUnknownKey_onAClosedModel_eachAtItsOwnPath() { // §1: closed variants reject unknown fields
        ValidationResult result = CATALOG.validate("voice_dubbing", json("{'model': 'eleven_voice_dubbing',"
                + " 'audioUri': 'https://cdn.yourapp.com/a.mp3', 'targetLang': 'de'}"), UnknownModelPolicy.REJECT);
        assertTrue(result.valid(), "eleven_* models are not closed (§1)");
        ValidationResult closed = CATALOG.validate("image_upscale", json("{'model': 'magnific_precision_upscaler_v2',"
                + " 'imageUri': 'https://cdn.yourapp.com/a.png', 'scale': 2, 'mode': 'x'}"), UnknownModelPolicy.REJECT);
        assertEquals(2, closed.violations().size(), ValidationAssertions.describe(closed.violations()));
        ValidationAssertions.assertHasViolation(closed, List.of("mode"), "unrecognized_keys");
        ValidationAssertions.assertHasViolation(closed, List.of("scale"), "unrecognized_keys");
    }

    @Test
    void rejectsUnknownKeysInNestedObjects_ofAClosedModel() {
        ValidationResult result = CATALOG.validate("image_to_video", json("{'model': 'veo3.1', 'ratio': '1280:720',"
                + " 'promptImage': [{'uri': 'https://cdn.yourapp.com/a.png', 'position': 'first', 'weight': 1}]}"),
                UnknownModelPolicy.REJECT);
        ValidationAssertions.assertHasViolation(result, List.of("promptImage", 0, "weight"), "unrecognized_keys");
    }
}
