package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.Bodies.with;
import static com.runwayrelay.catalog.Bodies.without;
import static com.runwayrelay.catalog.ValidationAssertions.CATALOG;
import static com.runwayrelay.catalog.ValidationAssertions.assertHasViolation;
import static com.runwayrelay.catalog.ValidationAssertions.assertOnlyViolation;
import static com.runwayrelay.catalog.ValidationAssertions.assertValid;
import static com.runwayrelay.catalog.ValidationAssertions.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed models of POST /v1/image_to_video; expectations from reference §4 and seed 001/004. */
class ImageToVideoSeedModelsTest {
    private static final String I2V = "image_to_video";
    private static final String IMAGE = "https://cdn.yourapp.com/landscape.jpg";

    @Nested
    class Gen45 {
        // Seed 001's image-to-video example.
        private final ObjectNode valid = json("{'model': 'gen4.5', 'promptImage': '" + IMAGE + "',"
                + " 'promptText': 'Camera slowly pans right revealing a mountain range', 'ratio': '1280:720', 'duration': 5}");

        @Test
        void acceptsRequest_whenItFollowsTheSeedExample() {
            assertValid(I2V, valid);
        }

        @ParameterizedTest // §4.1: six ratios
        @ValueSource(strings = {"1280:720", "720:1280", "1104:832", "960:960", "832:1104", "1584:672"})
        void acceptsRatio_whenListed(String ratio) {
            assertValid(I2V, with(valid, "ratio", ratio));
        }

        @Test
        void rejectsRatio_whenNotListed() {
            Violation v = assertOnlyViolation(I2V, with(valid, "ratio", "1920:1080"), List.of("ratio"), "invalid_enum_value");
            assertTrue(v.message().contains("1584:672") && v.message().contains("\"1920:1080\""), v.message());
        }

        @Test
        void rejectsDuration_whenOutsideTwoToTen() { // §4.1: int 2-10
            assertValid(I2V, with(valid, "duration", 2));
            assertValid(I2V, with(valid, "duration", 10));
            Violation big = assertOnlyViolation(I2V, with(valid, "duration", 11), List.of("duration"), "too_big");
            assertEquals("duration must be at most 10 (got 11)", big.message());
            assertOnlyViolation(I2V, with(valid, "duration", 1), List.of("duration"), "too_small");
        }

        @Test
        void rejectsDuration_whenNotAnInteger() {
            Violation v = assertOnlyViolation(I2V, with(valid, "duration", 5.5), List.of("duration"), "invalid_type");
            assertEquals("duration must be an integer (got 5.5)", v.message());
        }

        @Test
        void rejectsPromptText_whenLongerThanThousandCharacters() { // §4.1: 1-1000
            assertValid(I2V, with(valid, "promptText", "a".repeat(1000)));
            Violation v = assertOnlyViolation(I2V, with(valid, "promptText", "a".repeat(1204)), List.of("promptText"), "too_big");
            assertEquals("promptText must be at most 1000 characters (got 1204)", v.message());
        }

        @Test
        void countsPromptLength_inUtf16CodeUnits() { // §4.1: "UTF-16 code units"
            String emoji = "\uD83C\uDFAC"; // one code point, two UTF-16 units
            assertValid(I2V, with(valid, "promptText", emoji.repeat(500)));
            Violation v = assertOnlyViolation(I2V, with(valid, "promptText", emoji.repeat(501)), List.of("promptText"), "too_big");
            assertTrue(v.message().endsWith("(got 1002)"), v.message());
        }

        @Test
        void rejectsRequest_whenRequiredFieldsAreMissing() { // §4.1: promptImage, promptText, ratio, duration REQ
            ValidationResult result = validate(I2V, without(valid, "promptText", "ratio"));
            assertEquals(2, result.violations().size(), ValidationAssertions.describe(result.violations()));
            assertEquals("ratio is required", assertHasViolation(result, List.of("ratio"), "invalid_type").message());
            assertHasViolation(result, List.of("promptText"), "invalid_type");
        }

        @Test
        void acceptsPromptImageArray_whenOneFirstFrame() { // §4.1: array of exactly one item, position first
            assertValid(I2V, with(valid, "promptImage", List.of(java.util.Map.of("uri", IMAGE, "position", "first"))));
        }

        @Test
        void rejectsPromptImageArray_whenLastFrameOrTwoItems() {
            assertOnlyViolation(I2V, with(valid, "promptImage", List.of(java.util.Map.of("uri", IMAGE, "position", "last"))),
                    List.of("promptImage", 0, "position"), "invalid_enum_value");
            assertOnlyViolation(I2V, with(valid, "promptImage", List.of(java.util.Map.of("uri", IMAGE, "position", "first"),
                    java.util.Map.of("uri", IMAGE, "position", "first"))), List.of("promptImage"), "too_big");
        }

        @Test
        void rejectsProresProfile_whenOutputFormatIsNotProres() { // §4.1: proresProfile only with prores / hdr_prores
            Violation v = assertOnlyViolation(I2V, with(valid, "proresProfile", "422"), List.of("outputFormat"), "custom");
            assertTrue(v.message().contains("proresProfile"), v.message());
            ObjectNode prores = with(valid, "outputFormat", "prores");
            assertValid(I2V, with(prores, "proresProfile", "4444 XQ"));
        }

        @Test
        void rejectsProresProfile_whenHdrProresGetsAProfileItDoesNotSupport() { // §4.1: hdr_prores only 422, 422 HQ, 4444
            ObjectNode hdr = with(valid, "outputFormat", "hdr_prores");
            assertValid(I2V, with(hdr, "proresProfile", "422 HQ"));
            assertOnlyViolation(I2V, with(hdr, "proresProfile", "422 LT"), List.of("proresProfile"), "custom");
        }

        @Test
        void ignoresUnknownFields_becauseTheModelIsNotClosed() { // §1: gen4.5 not additionalProperties:false
            assertValid(I2V, with(valid, "camera", "dolly"));
            assertFalse(CATALOG.isClosed(I2V, "gen4.5"));
        }
    }

    @Nested
    class Gen4Turbo {
        private final ObjectNode valid = json("{'model': 'gen4_turbo', 'promptImage': '" + IMAGE + "', 'ratio': '1280:720'}");

        @Test
        void acceptsRequest_whenOnlyPromptImageAndRatioAreGiven() { // §4.2: promptText and duration optional
            assertValid(I2V, valid);
        }

        @Test
        void acceptsDuration_whenFiveOrTen_only() { // seed 004: "720p videos in 5s or 10s duration"
            assertValid(I2V, with(valid, "duration", 5));
            assertValid(I2V, with(valid, "duration", 10));
            assertOnlyViolation(I2V, with(valid, "duration", 7), List.of("duration"), "invalid_enum_value");
        }

        @Test
        void rejectsRequest_whenRatioIsMissing() {
            assertOnlyViolation(I2V, without(valid, "ratio"), List.of("ratio"), "invalid_type");
        }

        @Test
        void rejectsPromptText_whenEmpty() {
            Violation v = assertOnlyViolation(I2V, with(valid, "promptText", ""), List.of("promptText"), "too_small");
            assertEquals("promptText must not be empty", v.message());
        }
    }

    @Nested
    class Veo31 {
        private final ObjectNode valid = json("{'model': 'veo3.1', 'ratio': '1920:1080', 'duration': 8, 'promptImage': ["
                + "{'uri': '" + IMAGE + "', 'position': 'first'}, {'uri': '" + IMAGE + "', 'position': 'last'}]}");

        @Test
        void acceptsFirstAndLastFrames() { // §4.3: 1-2 items, first|last
            assertValid(I2V, valid);
        }

        @Test
        void rejectsDuration_whenNotFourSixOrEight() { // §4.3: 4 | 6 | 8
            assertValid(I2V, with(valid, "duration", 4));
            assertOnlyViolation(I2V, with(valid, "duration", 5), List.of("duration"), "invalid_enum_value");
        }

        @Test
        void rejectsPromptImage_whenOnlyALastFrame() { // §4.3: a last frame alone is not allowed
            ObjectNode lastOnly = with(valid, "promptImage", List.of(java.util.Map.of("uri", IMAGE, "position", "last")));
            assertOnlyViolation(I2V, lastOnly, List.of("promptImage"), "custom");
        }

        @Test
        void rejectsPromptImage_whenAPositionRepeats() { // §4.3: positions unique
            ObjectNode twice = with(valid, "promptImage", List.of(java.util.Map.of("uri", IMAGE, "position", "first"),
                    java.util.Map.of("uri", IMAGE, "position", "first")));
            assertOnlyViolation(I2V, twice, List.of("promptImage", 1, "position"), "custom");
        }

        @Test
        void rejectsUnknownFields_becauseVeoIsClosed() { // §4.3: unknown fields rejected since SDK 4.19.1
            Violation v = assertOnlyViolation(I2V, with(valid, "resolution", "1080p"), List.of("resolution"), "unrecognized_keys");
            assertTrue(v.message().contains("resolution"), v.message());
            assertTrue(CATALOG.isClosed(I2V, "veo3.1"));
        }

        @Test
        void rejectsRatio_whenAGen4Ratio() { // §4.3: four ratios
            assertOnlyViolation(I2V, with(valid, "ratio", "1584:672"), List.of("ratio"), "invalid_enum_value");
        }

        @Test
        void rejectsNegativePrompt_whenLongerThanThousandCharacters() {
            assertOnlyViolation(I2V, with(valid, "negativePrompt", "n".repeat(1001)), List.of("negativePrompt"), "too_big");
        }

        @Test
        void rejectsAudio_whenNotABoolean() {
            assertOnlyViolation(I2V, with(valid, "audio", "yes"), List.of("audio"), "invalid_type");
        }
    }

    @Nested
    class Veo31Fast {
        private final ObjectNode valid = json("{'model': 'veo3.1_fast', 'promptImage': '" + IMAGE + "', 'ratio': '720:1280',"
                + " 'audio': false}");

        @Test
        void acceptsRequest_whenPromptImageIsAString() {
            assertValid(I2V, valid);
        }

        @Test
        void rejectsRequest_whenPromptImageIsMissing() { // §4.3: promptImage REQ
            assertOnlyViolation(I2V, without(valid, "promptImage"), List.of("promptImage"), "invalid_type");
        }

        @Test
        void rejectsDuration_whenTen() {
            assertOnlyViolation(I2V, with(valid, "duration", 10), List.of("duration"), "invalid_enum_value");
        }
    }

    @Nested
    class Seedance2 {
        // Seed 001, image-to-video mode 1 (first/last frame).
        private final ObjectNode keyframes = json("{'model': 'seedance2',"
                + " 'promptText': 'Smooth transition from day to night in a cozy mountain cabin',"
                + " 'promptImage': [{'uri': 'https://cdn.yourapp.com/image.jpg', 'position': 'first'},"
                + " {'uri': 'https://cdn.yourapp.com/image2.jpg', 'position': 'last'}], 'duration': 4, 'ratio': '1280:720'}");
        // Seed 001, image-to-video mode 2 (image reference).
        private final ObjectNode reference = json("{'model': 'seedance2',"
                + " 'promptText': 'Smooth transition from day to night in a cozy mountain cabin',"
                + " 'promptImage': 'https://cdn.yourapp.com/image.jpg',"
                + " 'references': [{'type': 'image', 'uri': 'https://cdn.yourapp.com/reference.jpg'}], 'duration': 4, 'ratio': '1280:720'}");

        @Test
        void acceptsBothSeedModes() {
            assertValid(I2V, keyframes);
            assertValid(I2V, reference);
        }

        @Test
        void rejectsReferences_whenCombinedWithKeyframes() { // seed 001: the two modes are mutually exclusive
            ObjectNode both = with(keyframes, "references", List.of(java.util.Map.of("type", "image", "uri", IMAGE)));
            Violation v = assertOnlyViolation(I2V, both, List.of("references"), "custom");
            assertTrue(v.message().contains("keyframes"), v.message());
        }

        @Test
        void rejectsPromptImage_whenKeyframeAndReferenceItemsMix() { // §4: modes must not be mixed in one array
            ObjectNode mixed = with(keyframes, "promptImage", List.of(java.util.Map.of("uri", IMAGE, "position", "first"),
                    java.util.Map.of("uri", IMAGE)));
            assertOnlyViolation(I2V, mixed, List.of("promptImage"), "custom");
        }

        @Test
        void acceptsDurationAuto_andRejectsOtherStrings() { // §4.6: int 4-15 or "auto"
            assertValid(I2V, with(keyframes, "duration", "auto"));
            assertOnlyViolation(I2V, with(keyframes, "duration", "long"), List.of("duration"), "invalid_enum_value");
            assertOnlyViolation(I2V, with(keyframes, "duration", 16), List.of("duration"), "too_big");
            assertOnlyViolation(I2V, with(keyframes, "duration", 3), List.of("duration"), "too_small");
        }

        @Test
        void rejectsRatio_whenNotAmongTheSeedsTwelve() { // seed 001 lists 12 pixel ratios
            assertValid(I2V, with(keyframes, "ratio", "496:864"));
            assertOnlyViolation(I2V, with(keyframes, "ratio", "1920:1080"), List.of("ratio"), "invalid_enum_value");
        }

        @Test
        void requiresPromptTextDurationAndRatio_asTheSeedTableSays() { // seed 001 parameter table
            ValidationResult result = validate(I2V, without(keyframes, "promptText", "duration", "ratio"));
            assertEquals(3, result.violations().size(), ValidationAssertions.describe(result.violations()));
        }

        @Test
        void rejectsPromptText_whenLongerThan3500() { // §4.6
            assertOnlyViolation(I2V, with(keyframes, "promptText", "p".repeat(3501)), List.of("promptText"), "too_big");
        }

        @Test
        void rejectsReferenceAudio_whenMoreThanThree() { // §4.6: <= 3
            var clip = java.util.Map.of("type", "audio", "uri", "https://cdn.yourapp.com/a.mp3");
            assertValid(I2V, with(keyframes, "referenceAudio", List.of(clip, clip, clip)));
            assertOnlyViolation(I2V, with(keyframes, "referenceAudio", List.of(clip, clip, clip, clip)),
                    List.of("referenceAudio"), "too_big");
        }
    }
}
