package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.Bodies.with;
import static com.runwayrelay.catalog.Bodies.without;
import static com.runwayrelay.catalog.ValidationAssertions.CATALOG;
import static com.runwayrelay.catalog.ValidationAssertions.assertOnlyViolation;
import static com.runwayrelay.catalog.ValidationAssertions.assertValid;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed models of POST /v1/video_to_video; expectations from reference §6 and seed 001. */
class VideoToVideoSeedModelsTest {
    private static final String V2V = "video_to_video";
    private static final String IMAGE = "https://cdn.yourapp.com/key.png";
    private final ObjectNode aleph2 = json("{'model': 'aleph2', 'videoUri': 'https://cdn.yourapp.com/source.mp4',"
            + " 'promptText': 'Transform into an animated cartoon style'}");
    // Seed 001's Seedance 2 video-to-video example.
    private final ObjectNode seedance2 = json("{'model': 'seedance2', 'promptVideo': 'https://cdn.yourapp.com/input.mp4',"
            + " 'promptText': 'Transform into a warm golden sunset scene',"
            + " 'references': [{'type': 'image', 'uri': 'https://cdn.yourapp.com/style_ref.jpg'}]}");

    @Test
    void acceptsAleph2AndTheSeedanceSeedExample() {
        assertValid(V2V, aleph2);
        assertValid(V2V, seedance2);
    }

    @Test
    void acceptsAleph2Keyframes_atSecondsOrFraction() { // §6.1: {seconds 0-30 | at 0-1, uri}
        assertValid(V2V, with(aleph2, "keyframes", List.of(Map.of("seconds", 2.5, "uri", IMAGE), Map.of("at", 0.9, "uri", IMAGE))));
    }

    @Test
    void rejectsAleph2Keyframes_whenMoreThanFive() { // §6.1: 1-5 items
        assertOnlyViolation(V2V, with(aleph2, "keyframes", java.util.Collections.nCopies(6, Map.of("at", 0.5, "uri", IMAGE))),
                List.of("keyframes"), "too_big");
    }

    @Test
    void rejectsAleph2Keyframe_whenSecondsAbove30() { // §6.1
        assertOnlyViolation(V2V, with(aleph2, "keyframes", List.of(Map.of("seconds", 31, "uri", IMAGE))),
                List.of("keyframes", 0, "seconds"), "too_big");
    }

    @Test
    void rejectsAleph2Keyframe_whenBothSecondsAndAt() { // §6.1: each item is one of the two forms
        assertOnlyViolation(V2V, with(aleph2, "keyframes", List.of(Map.of("seconds", 1, "at", 0.1, "uri", IMAGE))),
                List.of("keyframes", 0), "custom");
    }

    @Test
    void rejectsAleph2Ranges_whenOnlySomeKeyframesHaveOne() { // §6.1: every keyframe has a range or none
        Map<String, Object> ranged = Map.of("seconds", 2, "uri", IMAGE, "range", Map.of("start_seconds", 1, "end_seconds", 4));
        assertValid(V2V, with(aleph2, "keyframes", List.of(ranged)));
        assertOnlyViolation(V2V, with(aleph2, "keyframes", List.of(ranged, Map.of("seconds", 8, "uri", IMAGE))),
                List.of("keyframes"), "custom");
    }

    @Test
    void rejectsAleph2Keyframe_whenItsTimeIsOutsideItsRange() { // §6.1: the keyframe time must fall within the range
        Map<String, Object> outside = Map.of("seconds", 5, "uri", IMAGE, "range", Map.of("start_seconds", 1, "end_seconds", 5));
        assertOnlyViolation(V2V, with(aleph2, "keyframes", List.of(outside)), List.of("keyframes", 0, "seconds"), "custom");
    }

    @Test
    void rejectsAleph2ProresProfile_unlessOutputFormatIsProres() { // §6.1: proresProfile only with prores
        assertOnlyViolation(V2V, with(aleph2, "proresProfile", "4444"), List.of("outputFormat"), "custom");
        assertValid(V2V, with(with(aleph2, "outputFormat", "prores"), "proresProfile", "4444"));
    }

    @Test
    void rejectsAleph2HdrOutputFormat_thatOnlyGen45Has() { // §6.1: mp4, prores, png_sequence, sdr_rec709_10bit
        assertOnlyViolation(V2V, with(aleph2, "outputFormat", "hdr10"), List.of("outputFormat"), "invalid_enum_value");
    }

    @Test
    void rejectsAleph2UnknownFieldsAndDuration_becauseItIsClosed() { // §6.1: additionalProperties:false, no duration
        assertOnlyViolation(V2V, with(aleph2, "duration", 5), List.of("duration"), "unrecognized_keys");
        assertTrue(CATALOG.isClosed(V2V, "aleph2"));
    }

    @Test
    void rejectsAleph2VideoUri_whenItIsAnImageDataUri() { // §2.1
        Violation v = assertOnlyViolation(V2V, with(aleph2, "videoUri", "data:image/png;base64,AAAA"), List.of("videoUri"),
                "invalid_string");
        assertTrue(v.message().startsWith("videoUri accepts only data:video/"), v.message());
    }

    @Test
    void rejectsSeedance_whenPromptTextIsMissing() { // seed 001: promptText required
        assertOnlyViolation(V2V, without(seedance2, "promptText"), List.of("promptText"), "invalid_type");
    }

    @Test
    void rejectsSeedance_whenTheSourceVideoUsesAlephsFieldName() { // §6: seedance uses promptVideo, not videoUri
        ObjectNode wrongField = with(without(seedance2, "promptVideo"), "videoUri", "https://cdn.yourapp.com/input.mp4");
        var result = ValidationAssertions.validate(V2V, wrongField);
        ValidationAssertions.assertHasViolation(result, List.of("promptVideo"), "invalid_type");
        ValidationAssertions.assertHasViolation(result, List.of("videoUri"), "unrecognized_keys");
    }
}
