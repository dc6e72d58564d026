package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.ValidationAssertions.CATALOG;
import static com.runwayrelay.catalog.ValidationAssertions.assertHasViolation;
import static com.runwayrelay.catalog.ValidationAssertions.assertOnlyViolation;
import static com.runwayrelay.catalog.ValidationAssertions.assertValid;
import static com.runwayrelay.catalog.ValidationAssertions.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.media.MediaKind;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Model Router's generate endpoints of SDK 4.20.1 (resources/generate/*.d.ts): selected by a free {@code configId}. */
class GenerateTest {
    private static final String IMG = "https://cdn.yourapp.com/p.png";
    private static final String VID = "https://cdn.yourapp.com/v.mp4";
    private static final String AUD = "https://cdn.yourapp.com/a.mp3";

    static Stream<Arguments> kinds() {
        return Stream.of(
                Arguments.of("video", "{'configId': 'fast-video', 'input': {}}", MediaKind.VIDEO),
                Arguments.of("image", "{'configId': 'stills', 'input': {'promptText': 'a cat'}}", MediaKind.IMAGE),
                Arguments.of("audio", "{'configId': 'voice_1', 'input': {'type': 'speech', 'promptText': 'hello'}}",
                        MediaKind.AUDIO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void acceptsAnyRouterSlug_asConfigId(String kind, String body, MediaKind output) {
        String endpoint = "generate/" + kind;
        ObjectNode valid = json(body);
        assertValid(endpoint, valid);
        ObjectNode other = valid.deepCopy().put("configId", "z9-" + kind);
        assertValid(endpoint, other);
        assertEquals(Optional.of("configId"), CATALOG.selector(endpoint));
        assertTrue(CATALOG.freeSelector(endpoint));
        assertEquals(List.of(), CATALOG.models(endpoint), "a free selector lists no values");
        assertEquals(Optional.of(output), CATALOG.outputKind(endpoint, "anything"));
        assertEquals(Optional.empty(), CATALOG.estimateCredits(endpoint, valid), "the router's cap is reserved instead");
        assertEquals(1, CATALOG.outputCount(endpoint, valid));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void refusesConfigIdThatIsNoSlug_orMissing(String kind, String body, MediaKind ignored) {
        String endpoint = "generate/" + kind;
        ObjectNode valid = json(body);
        var violation = assertOnlyViolation(endpoint, valid.deepCopy().put("configId", "Bad Slug"), List.of("configId"),
                "invalid_string");
        assertTrue(violation.message().contains("router slug"), violation.message());
        ObjectNode missing = valid.deepCopy();
        missing.remove("configId");
        var required = assertOnlyViolation(endpoint, missing, List.of("configId"), "invalid_type");
        assertTrue(required.message().contains("Model Router configuration"), required.message());
        assertOnlyViolation(endpoint, valid.deepCopy().put("configId", "a".repeat(65)), List.of("configId"),
                "invalid_string");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void refusesUnknownMembers_andMissingInput(String kind, String body, MediaKind ignored) {
        String endpoint = "generate/" + kind;
        ObjectNode extra = json(body);
        ((ObjectNode) extra.get("input")).put("model", "gen4.5");
        assertOnlyViolation(endpoint, extra, List.of("input", "model"), "unrecognized_keys");
        ObjectNode noInput = json(body);
        noInput.remove("input");
        assertOnlyViolation(endpoint, noInput, List.of("input"), "invalid_type");
    }

    @Test
    void checksVideoInput_perSdkTypes() {
        assertValid("generate/video", json("{'configId': 'v', 'input': {'promptText': 'surf', 'aspectRatio': '21:9',"
                + " 'duration': 5, 'resolution': '4k', 'audio': true, 'seed': 7, 'negativePrompt': 'rain',"
                + " 'contentModeration': {'publicFigureThreshold': 'low'},"
                + " 'referenceImages': [{'role': 'first', 'uri': '" + IMG + "'}, {'role': 'reference', 'uri': '" + IMG + "'}],"
                + " 'referenceVideos': [{'role': 'source', 'uri': '" + VID + "'}], 'referenceAudio': [{'uri': '" + AUD + "'}],"
                + " 'keyframes': [{'seconds': 1, 'uri': '" + IMG + "', 'range': {'start_seconds': 0, 'end_seconds': 3}},"
                + " {'at': 0.5, 'uri': '" + IMG + "'}]}}"));
        assertOnlyViolation("generate/video", json("{'configId': 'v', 'input': {'aspectRatio': '2:3'}}"),
                List.of("input", "aspectRatio"), "invalid_enum_value");
        assertOnlyViolation("generate/video", json("{'configId': 'v', 'input': {'resolution': '1k'}}"),
                List.of("input", "resolution"), "invalid_enum_value");
        assertOnlyViolation("generate/video", json("{'configId': 'v', 'input': {'referenceImages': [{'role': 'middle',"
                + " 'uri': '" + IMG + "'}]}}"), List.of("input", "referenceImages", 0, "role"), "invalid_enum_value");
        assertOnlyViolation("generate/video", json("{'configId': 'v', 'input': {'referenceVideos': [{'role': 'source',"
                + " 'uri': 'data:image/png;base64,AAAA'}]}}"), List.of("input", "referenceVideos", 0, "uri"),
                "invalid_string");
    }

    @Test
    void checksImageInput_andCountsOutputs() {
        ObjectNode four = json("{'configId': 'i', 'input': {'promptText': 'cat', 'outputCount': 4, 'aspectRatio': '4:5',"
                + " 'resolution': '2k', 'referenceImages': [{'uri': '" + IMG + "'}]}}");
        assertValid("generate/image", four);
        assertEquals(4, CATALOG.outputCount("generate/image", four));
        assertOnlyViolation("generate/image", json("{'configId': 'i', 'input': {'promptText': 'cat', 'outputCount': 11}}"),
                List.of("input", "outputCount"), "too_big");
        assertOnlyViolation("generate/image", json("{'configId': 'i', 'input': {'outputCount': 2}}"),
                List.of("input", "promptText"), "invalid_type");
    }

    @Test
    void checksAudioInput_voiceVariants() {
        assertValid("generate/audio", json("{'configId': 'a', 'input': {'type': 'speech', 'promptText': 'hi',"
                + " 'voice': {'type': 'preset', 'presetId': 'Maya'}}}"));
        assertValid("generate/audio", json("{'configId': 'a', 'input': {'type': 'audio', 'promptText': 'rain @Audio1',"
                + " 'duration': 8, 'loop': true, 'referenceAudios': [{'uri': '" + AUD + "'}],"
                + " 'voice': {'type': 'reference-audio', 'audioUri': '" + AUD + "'}}}"));
        assertOnlyViolation("generate/audio", json("{'configId': 'a', 'input': {'type': 'song', 'promptText': 'hi'}}"),
                List.of("input", "type"), "invalid_enum_value");
        assertOnlyViolation("generate/audio", json("{'configId': 'a', 'input': {'type': 'speech', 'promptText': 'hi',"
                + " 'voice': {'type': 'preset', 'presetId': 'Nobody'}}}"), List.of("input", "voice", "presetId"),
                "invalid_enum_value");
        assertHasViolation(validate("generate/audio", json("{'configId': 'a', 'input': {'type': 'speech',"
                + " 'promptText': 'hi', 'voice': {'type': 'reference-audio'}}}")), List.of("input", "voice", "audioUri"),
                "invalid_type");
    }

    @Test
    void reportsEveryMediaField_forThePolicy() {
        ObjectNode body = json("{'configId': 'v', 'input': {'referenceImages': [{'role': 'first', 'uri': '" + IMG + "'}],"
                + " 'referenceVideos': [{'role': 'source', 'uri': '" + VID + "'}], 'referenceAudio': [{'uri': '" + AUD + "'}],"
                + " 'keyframes': [{'seconds': 1, 'uri': '" + IMG + "'}]}}");
        List<List<Object>> paths = CATALOG.mediaReferences("generate/video", body).stream().map(MediaReference::path)
                .toList();
        assertEquals(List.of(List.of("input", "keyframes", 0, "uri"), List.of("input", "referenceAudio", 0, "uri"),
                List.of("input", "referenceImages", 0, "uri"), List.of("input", "referenceVideos", 0, "uri")), paths);
        ObjectNode audio = json("{'configId': 'a', 'input': {'type': 'audio', 'promptText': 'x',"
                + " 'referenceAudios': [{'uri': '" + AUD + "'}], 'voice': {'type': 'reference-audio', 'audioUri': '" + AUD + "'}}}");
        assertEquals(List.of(List.of("input", "referenceAudios", 0, "uri"), List.of("input", "voice", "audioUri")),
                CATALOG.mediaReferences("generate/audio", audio).stream().map(MediaReference::path).toList());
    }
}
