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

/** act_two on POST /v1/character_performance; expectations from reference §8.4. */
class CharacterPerformanceTest {
    private static final String CP = "character_performance";
    private final ObjectNode valid = json("{'model': 'act_two',"
            + " 'character': {'type': 'image', 'uri': 'https://cdn.yourapp.com/character.jpg'},"
            + " 'reference': {'type': 'video', 'uri': 'https://cdn.yourapp.com/performance.mp4'}, 'ratio': '1280:720'}");

    @Test
    void acceptsImageOrVideoCharacter() {
        assertValid(CP, valid);
        assertValid(CP, with(valid, "character", Map.of("type", "video", "uri", "data:video/mp4;base64,AAAA")));
    }

    @Test
    void rejectsCharacterUri_whenItsDataTypeDisagreesWithType() { // §2.1: character.uri kind follows type
        Violation v = assertOnlyViolation(CP, with(valid, "character", Map.of("type", "video", "uri", "data:image/png;base64,AAAA")),
                List.of("character", "uri"), "invalid_string");
        assertTrue(v.message().contains("data:video/"), v.message());
    }

    @Test
    void rejectsReference_whenNotAVideo() { // §8.4: reference is {type: video, uri}
        assertOnlyViolation(CP, with(valid, "reference", Map.of("type", "image", "uri", "https://cdn.yourapp.com/a.jpg")),
                List.of("reference", "type"), "invalid_enum_value");
    }

    @Test
    void rejectsExpressionIntensity_outsideOneToFive() { // §8.4: int 1-5
        assertValid(CP, with(valid, "expressionIntensity", 5));
        assertOnlyViolation(CP, with(valid, "expressionIntensity", 6), List.of("expressionIntensity"), "too_big");
    }

    @Test
    void rejectsRatio_whenNotAnActTwoRatio() { // §8.4: six ratios
        assertOnlyViolation(CP, with(valid, "ratio", "1920:1080"), List.of("ratio"), "invalid_enum_value");
    }

    @Test
    void rejectsRequest_whenReferenceIsMissing() {
        assertOnlyViolation(CP, without(valid, "reference"), List.of("reference"), "invalid_type");
    }
}
