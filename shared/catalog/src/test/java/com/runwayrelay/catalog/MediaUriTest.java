package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.Bodies.with;
import static com.runwayrelay.catalog.ValidationAssertions.assertOnlyViolation;
import static com.runwayrelay.catalog.ValidationAssertions.assertValid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The structural media URI rules of reference §2.1, seen through an image field (gen4.5 promptImage). */
class MediaUriTest {
    private static final String I2V = "image_to_video";
    private static final int FIVE_MB = 5 * 1024 * 1024;
    private final ObjectNode body = json("{'model': 'gen4.5', 'promptText': 'waves', 'ratio': '1280:720', 'duration': 5}");

    private ObjectNode image(String uri) {
        return with(body, "promptImage", uri);
    }

    private Violation rejected(String uri, String code) {
        return assertOnlyViolation(I2V, image(uri), List.of("promptImage"), code);
    }

    @Test
    void acceptsHttpsUrls_from13To2048Characters() { // §2.1: 13-2048
        assertValid(I2V, image("https://a.co/"));
        String longest = "https://cdn.example.com/" + "a".repeat(2048 - 24);
        assertEquals(2048, longest.length());
        assertValid(I2V, image(longest));
        Violation v = rejected(longest + "b", "too_big");
        assertEquals("promptImage must be at most 2048 characters as an https:// URL (got 2049)", v.message());
        rejected("https://a.co", "too_small");
    }

    @Test
    void acceptsRunwayUris_upTo5000Characters() { // §2.1: 13-5000
        String longest = "runway://" + "u".repeat(5000 - 9);
        assertValid(I2V, image(longest));
        rejected(longest + "u", "too_big");
    }

    @Test
    void rejectsOtherSchemes() { // §17: https only
        Violation v = rejected("http://cdn.example.com/a.png", "invalid_string");
        assertTrue(v.message().contains("https://") && v.message().contains("data:image/"), v.message());
        rejected("ftp://cdn.example.com/a.png", "invalid_string");
        rejected("/local/file.png", "invalid_string");
    }

    @Test
    void acceptsBase64DataUris_ofTheFieldsMediaKind() {
        assertValid(I2V, image("data:image/png;base64,iVBORw0KGgo="));
        assertValid(I2V, image("data:image/jpeg;base64,/9j/4AAQ"));
    }

    @Test
    void rejectsDataUris_whoseMediaTypeDoesNotMatchTheField() { // §2.1: an image field accepts only data:image/
        Violation v = rejected("data:video/mp4;base64,AAAA", "invalid_string");
        assertEquals("promptImage accepts only data:image/ data URIs (got \"data:video/mp4;base64\")", v.message());
        rejected("data:text/plain;base64,AAAA", "invalid_string");
        rejected("data:;base64,AAAA", "invalid_string");
    }

    @Test
    void rejectsDataUris_thatAreNotBase64() { // §2.1: must be base64
        Violation v = rejected("data:image/svg+xml,<svg/>", "invalid_string");
        assertTrue(v.message().contains("base64"), v.message());
        rejected("data:image/png;base64,not*base64", "invalid_string");
        rejected("data:image/png;base64,AAA", "invalid_string");
    }

    @Test
    void acceptsDataUris_upToFiveMegabytesEncoded() { // §2.1: <= 5*1024*1024 characters
        String header = "data:image/x-png;base64,";
        assertEquals(0, header.length() % 4);
        String largest = header + "A".repeat(FIVE_MB - header.length());
        assertValid(I2V, image(largest));
        Violation v = rejected(largest + "AAAA", "too_big");
        assertTrue(v.message().contains("5242880") && v.message().length() < 200, "no echo of the data: " + v.message());
    }

    @Test
    void neverEchoesALongValue_inAMessage() {
        Violation v = rejected("gopher://" + "x".repeat(10_000), "invalid_string");
        assertTrue(v.message().length() < 250, v.message());
    }

    @Test
    void checksTheUriOfEveryMediaField_atItsPath() {
        ObjectNode refs = json("{'model': 'gen4_image', 'promptText': 'x', 'ratio': '1280:720',"
                + " 'referenceImages': [{'uri': 'https://cdn.example.com/a.png'}, {'uri': 'data:audio/mp3;base64,AAAA'}]}");
        assertOnlyViolation("text_to_image", refs, List.of("referenceImages", 1, "uri"), "invalid_string");
    }

    @Test
    void acceptsAudioOrVideo_forSpeechToSpeechMedia_byType() { // §2.1: media.uri kind follows type
        ObjectNode sts = json("{'model': 'eleven_multilingual_sts_v2', 'voice': {'type': 'runway-preset', 'presetId': 'Maya'},"
                + " 'media': {'type': 'video', 'uri': 'data:video/mp4;base64,AAAA'}}");
        assertValid("speech_to_speech", sts);
        assertOnlyViolation("speech_to_speech", with(sts, "media", java.util.Map.of("type", "audio", "uri", "data:video/mp4;base64,AAAA")),
                List.of("media", "uri"), "invalid_string");
    }
}
