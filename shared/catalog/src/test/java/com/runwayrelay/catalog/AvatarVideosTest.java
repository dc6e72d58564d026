package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.Bodies.with;
import static com.runwayrelay.catalog.Bodies.without;
import static com.runwayrelay.catalog.ValidationAssertions.CATALOG;
import static com.runwayrelay.catalog.ValidationAssertions.assertOnlyViolation;
import static com.runwayrelay.catalog.ValidationAssertions.assertValid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** gwm1_avatars on POST /v1/avatar_videos; expectations from reference §14 and SDK 4.20.1's types. */
class AvatarVideosTest {
    private static final String AV = "avatar_videos";
    private final ObjectNode valid = json("{'model': 'gwm1_avatars',"
            + " 'avatar': {'type': 'runway-preset', 'presetId': 'cooking-teacher'},"
            + " 'speech': {'type': 'text', 'text': 'Today: bread.', 'voice': {'type': 'preset', 'presetId': 'luna'}}}");

    @Test
    void acceptsPresetAvatar_withTextOrAudioSpeech() {
        assertValid(AV, valid);
        assertValid(AV, with(valid, "speech", Map.of("type", "text", "text", "x")));
        assertValid(AV, with(valid, "speech", Map.of("type", "audio", "audio", "https://cdn.yourapp.com/talk.mp3")));
    }

    @Test
    void acceptsCustomAvatarAndVoice_asRunwayDoes() { // the relay refuses them later (RequestCheck, #18)
        assertValid(AV, with(with(valid, "avatar", Map.of("type", "custom", "avatarId", "a1")), "speech",
                Map.of("type", "text", "text", "hi", "voice", Map.of("type", "custom", "id", "v1"))));
    }

    @Test
    void rejectsAvatarPresetId_whenNotAPreset() {
        assertOnlyViolation(AV, with(valid, "avatar", Map.of("type", "runway-preset", "presetId", "astronaut")),
                List.of("avatar", "presetId"), "invalid_enum_value");
    }

    @Test
    void rejectsPresetAvatar_withoutPresetId() {
        assertOnlyViolation(AV, with(valid, "avatar", Map.of("type", "runway-preset")),
                List.of("avatar", "presetId"), "invalid_type");
    }

    @Test
    void rejectsCustomAvatar_withoutAvatarId() {
        assertOnlyViolation(AV, with(valid, "avatar", Map.of("type", "custom")), List.of("avatar", "avatarId"),
                "invalid_type");
    }

    @Test
    void rejectsAvatarType_whenUnknown() {
        assertOnlyViolation(AV, with(valid, "avatar", Map.of("type", "photo", "presetId", "influencer")),
                List.of("avatar", "type"), "invalid_enum_value");
    }

    @Test
    void rejectsSpeechText_whenEmptyOrOver5000() { // §14: text 1-5000
        assertOnlyViolation(AV, with(valid, "speech", Map.of("type", "text", "text", "")), List.of("speech", "text"),
                "too_small");
        assertValid(AV, with(valid, "speech", Map.of("type", "text", "text", "a".repeat(5000))));
        assertOnlyViolation(AV, with(valid, "speech", Map.of("type", "text", "text", "a".repeat(5001))),
                List.of("speech", "text"), "too_big");
    }

    @Test
    void rejectsTextSpeech_withoutText() {
        assertOnlyViolation(AV, with(valid, "speech", Map.of("type", "text")), List.of("speech", "text"), "invalid_type");
    }

    @Test
    void rejectsAudioSpeech_withoutAudioOrWithAnImage() {
        assertOnlyViolation(AV, with(valid, "speech", Map.of("type", "audio")), List.of("speech", "audio"), "invalid_type");
        Violation v = assertOnlyViolation(AV, with(valid, "speech", Map.of("type", "audio", "audio",
                "data:image/png;base64,AAAA")), List.of("speech", "audio"), "invalid_string");
        assertTrue(v.message().contains("data:audio/"), v.message());
    }

    @Test
    void rejectsVoicePresetId_whenNotAnAvatarVoice() { // text_to_speech's "Rachel" is another voice set
        assertOnlyViolation(AV, with(valid, "speech", Map.of("type", "text", "text", "hi",
                "voice", Map.of("type", "preset", "presetId", "Rachel"))), List.of("speech", "voice", "presetId"),
                "invalid_enum_value");
    }

    @Test
    void rejectsRequest_whenSpeechIsMissing() {
        assertOnlyViolation(AV, without(valid, "speech"), List.of("speech"), "invalid_type");
    }

    @Test
    void listsTheAudioUri_asAMediaReference() {
        ObjectNode body = with(valid, "speech", Map.of("type", "audio", "audio", "https://cdn.yourapp.com/talk.mp3"));
        List<MediaReference> refs = CATALOG.mediaReferences(AV, body);
        assertEquals(1, refs.size());
        assertEquals(List.of("speech", "audio"), refs.get(0).path());
    }

    @Test
    void hasNoPrice_soTheRelayReservesItsUnpricedAmount() { // §18: price not captured
        assertEquals(Optional.empty(), CATALOG.estimateCredits(AV, valid));
    }
}
