package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.Bodies.with;
import static com.runwayrelay.catalog.Bodies.without;
import static com.runwayrelay.catalog.ValidationAssertions.assertOnlyViolation;
import static com.runwayrelay.catalog.ValidationAssertions.assertValid;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed models of POST /v1/text_to_video; expectations from reference §5 and seed 001. */
class TextToVideoSeedModelsTest {
    private static final String T2V = "text_to_video";
    // Seed 001's text-to-video example.
    private final ObjectNode gen45 = json("{'model': 'gen4.5',"
            + " 'promptText': 'A golden retriever running through a field of wildflowers at sunset', 'ratio': '1280:720', 'duration': 5}");
    // Seed 001's Seedance 2 text-to-video example.
    private final ObjectNode seedance2 = json("{'model': 'seedance2',"
            + " 'promptText': 'A calm ocean wave gently crashing on a sandy beach at sunset', 'duration': 5, 'ratio': '1280:720'}");
    private final ObjectNode veo = json("{'model': 'veo3.1', 'promptText': 'a lighthouse in a storm', 'ratio': '1080:1920'}");

    @Test
    void acceptsTheSeedExamples() {
        assertValid(T2V, gen45);
        assertValid(T2V, seedance2);
        assertValid(T2V, veo);
        assertValid(T2V, with(veo, "model", "veo3.1_fast"));
    }

    @Test
    void rejectsGen45Ratio_whenAnImageToVideoOnlyRatio() { // §5: gen4.5 text_to_video takes 1280:720 and 720:1280 only
        assertOnlyViolation(T2V, with(gen45, "ratio", "1104:832"), List.of("ratio"), "invalid_enum_value");
    }

    @Test
    void rejectsGen45_whenDurationIsMissing() { // §5: promptText, ratio, duration REQ
        assertOnlyViolation(T2V, without(gen45, "duration"), List.of("duration"), "invalid_type");
    }

    @Test
    void rejectsVeo_whenPromptTextIsMissing() { // §5: veo3.1 needs promptText, ratio
        assertOnlyViolation(T2V, without(veo, "promptText"), List.of("promptText"), "invalid_type");
    }

    @Test
    void rejectsVeoPromptImage_becauseTextToVideoIsClosedForIt() { // §4.3/§5: closed variant, no promptImage here
        assertOnlyViolation(T2V, with(veo, "promptImage", "https://cdn.yourapp.com/a.png"), List.of("promptImage"),
                "unrecognized_keys");
    }

    @Test
    void rejectsGen4Turbo_naming_theEndpointThatAcceptsIt() { // §5: gen4_turbo is image-only
        Violation v = assertOnlyViolation(T2V, json("{'model': 'gen4_turbo', 'promptText': 'x', 'ratio': '1280:720'}"),
                List.of("model"), "unknown_model");
        assertTrue(v.message().contains("image_to_video"), v.message());
    }

    @Test
    void acceptsSeedanceReferences_andRejectsTooMany() { // §5: references <= 9, referenceVideos <= 3
        Map<String, String> image = Map.of("type", "image", "uri", "https://cdn.yourapp.com/ref.jpg");
        Map<String, String> video = Map.of("type", "video", "uri", "https://cdn.yourapp.com/ref.mp4");
        assertValid(T2V, with(with(seedance2, "references", List.of(image)), "referenceVideos", List.of(video)));
        assertOnlyViolation(T2V, with(seedance2, "referenceVideos", List.of(video, video, video, video)),
                List.of("referenceVideos"), "too_big");
        assertOnlyViolation(T2V, with(seedance2, "references", java.util.Collections.nCopies(10, image)),
                List.of("references"), "too_big");
    }

    @Test
    void rejectsSeedanceDuration_whenAboveFifteen() { // §5: 4-15 or auto
        assertOnlyViolation(T2V, with(seedance2, "duration", 20), List.of("duration"), "too_big");
    }

    @Test
    void rejectsSeedanceReferenceVideo_whenGivenAsAnImage() { // §2.1: a video field accepts data:video/ only
        Map<String, String> wrong = Map.of("type", "video", "uri", "data:image/png;base64,iVBORw0KGgo=");
        Violation v = assertOnlyViolation(T2V, with(seedance2, "referenceVideos", List.of(wrong)),
                List.of("referenceVideos", 0, "uri"), "invalid_string");
        assertTrue(v.message().contains("data:video/"), v.message());
    }
}
