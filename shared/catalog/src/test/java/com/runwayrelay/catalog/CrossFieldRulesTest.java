package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.Bodies.with;
import static com.runwayrelay.catalog.ValidationAssertions.assertOnlyViolation;
import static com.runwayrelay.catalog.ValidationAssertions.assertValid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cross-field rules of the non-seed models, each against the reference section that states it. */
class CrossFieldRulesTest {
    private static final String IMG = "https://cdn.yourapp.com/i.png";

    @Test
    void seedance25Extend_requiresPromptText_andForbidsRatio() { // §6.5
        ObjectNode extend = json("{'model': 'seedance2_5', 'promptVideo': 'https://cdn.yourapp.com/v.mp4', 'mode': 'extend'}");
        Violation v = assertOnlyViolation("video_to_video", extend, List.of("promptText"), "custom");
        assertEquals("promptText is required when mode is extend", v.message());
        ObjectNode withPrompt = with(extend, "promptText", "keep walking");
        assertValid("video_to_video", withPrompt);
        assertOnlyViolation("video_to_video", with(withPrompt, "ratio", "1280:720"), List.of("ratio"), "custom");
    }

    @Test
    void seedance25Edit_requiresDurationAuto() { // §6.5: edit requires duration "auto"
        ObjectNode edit = json("{'model': 'seedance2_5', 'promptVideo': 'https://cdn.yourapp.com/v.mp4', 'mode': 'edit',"
                + " 'promptText': 'make it snow'}");
        Violation v = assertOnlyViolation("video_to_video", edit, List.of("duration"), "custom");
        assertEquals("duration must be auto when mode is edit (got 5, the default)", v.message());
        assertValid("video_to_video", with(edit, "duration", "auto"));
        assertOnlyViolation("video_to_video", with(edit, "duration", 10), List.of("duration"), "custom");
    }

    @Test
    void seedance25ReferenceMode_isTheDefault_andAcceptsRatio() { // §6.5
        assertValid("video_to_video", json("{'model': 'seedance2_5', 'promptVideo': 'https://cdn.yourapp.com/v.mp4',"
                + " 'ratio': '1920:1080', 'duration': 30}"));
    }

    @Test
    void hailuoAdaptiveRatio_needsReferences_inTextToVideo() { // §5: adaptive only with refs
        ObjectNode adaptive = json("{'model': 'hailuo3', 'promptText': 'a city', 'ratio': 'adaptive'}");
        assertOnlyViolation("text_to_video", adaptive, List.of("ratio"), "custom");
        assertValid("text_to_video", with(adaptive, "references", List.of(Map.of("uri", IMG))));
    }

    @Test
    void wan3Keyframes_needAnAutoRatio() { // §4.11: keyframe image-to-video must use auto_*
        ObjectNode keyframe = json("{'model': 'wan3', 'promptText': 'a cat', 'promptImage': '" + IMG + "', 'ratio': '1280:720'}");
        Violation v = assertOnlyViolation("image_to_video", keyframe, List.of("ratio"), "custom");
        assertTrue(v.message().contains("auto_720p"), v.message());
        assertValid("image_to_video", with(keyframe, "ratio", "auto_720p"));
        assertValid("image_to_video", with(keyframe, "promptImage", List.of(Map.of("uri", IMG))));
    }

    @Test
    void grokEdit_needsAReference() { // §7: edit needs >= 1 reference
        ObjectNode edit = json("{'model': 'grok_imagine_image_2', 'promptText': 'make it blue', 'ratio': 'auto_1k', 'edit': true}");
        assertOnlyViolation("text_to_image", edit, List.of("referenceImages"), "custom");
        assertValid("text_to_image", with(edit, "referenceImages", List.of(Map.of("uri", IMG))));
    }

    @Test
    void grokVideoReferenceAudio_needsAnImageReference_andCapsResolution() { // §5
        ObjectNode grok = json("{'model': 'grok_imagine_1_5', 'promptText': 'a duet',"
                + " 'referenceAudio': [{'type': 'audio', 'uri': 'https://cdn.yourapp.com/a.mp3'}]}");
        assertOnlyViolation("text_to_video", grok, List.of("references"), "custom");
        ObjectNode withRef = with(grok, "references", List.of(Map.of("uri", IMG)));
        assertValid("text_to_video", withRef);
        assertOnlyViolation("text_to_video", with(withRef, "resolution", "1080p"), List.of("resolution"), "custom");
    }

    @Test
    void geminiImage_allowsAtMostFiveHumanSubjects() { // §7: <= 5 human, <= 9 object
        Map<String, String> human = Map.of("uri", IMG, "subject", "human");
        ObjectNode body = json("{'model': 'gemini_image3_pro', 'promptText': 'a team photo', 'ratio': '1024:1024'}");
        assertValid("text_to_image", with(body, "referenceImages", Collections.nCopies(5, human)));
        Violation v = assertOnlyViolation("text_to_image", with(body, "referenceImages", Collections.nCopies(6, human)),
                List.of("referenceImages"), "custom");
        assertEquals("referenceImages may contain at most 5 items with subject human (got 6)", v.message());
        assertOnlyViolation("text_to_image", with(body, "referenceImages", Collections.nCopies(10, Map.of("uri", IMG))),
                List.of("referenceImages"), "custom");
    }

    @Test
    void gptImageTags_mustBeUnique() { // §7: for gpt_image_2* tags must be unique
        Map<String, String> tagged = Map.of("uri", IMG, "tag", "hero");
        ObjectNode body = json("{'model': 'gpt_image_2', 'promptText': '@hero twice', 'ratio': 'auto'}");
        assertOnlyViolation("text_to_image", with(body, "referenceImages", List.of(tagged, tagged)),
                List.of("referenceImages", 1, "tag"), "custom");
    }

    @Test
    void seedreamLite_acceptsListedOrLargeEnoughCustomRatios() { // §7: W x H between 3,686,400 and 16,777,216
        ObjectNode body = json("{'model': 'seedream5_lite', 'promptText': 'a map', 'ratio': '2560:1440'}");
        assertValid("text_to_image", body);
        assertValid("text_to_image", with(body, "ratio", "4704:2016"));
        assertOnlyViolation("text_to_image", with(body, "ratio", "1024:1024"), List.of("ratio"), "custom");
        assertOnlyViolation("text_to_image", with(body, "ratio", "wide"), List.of("ratio"), "invalid_string");
    }

    @Test
    void hailuoPromptImage_acceptsUpToNineReferenceItems() { // §4.4: 1-9 items
        ObjectNode body = json("{'model': 'hailuo3', 'promptText': 'a cat'}");
        assertValid("image_to_video", with(body, "promptImage", Collections.nCopies(9, Map.of("uri", IMG))));
        assertOnlyViolation("image_to_video", with(body, "promptImage", Collections.nCopies(10, Map.of("uri", IMG))),
                List.of("promptImage"), "too_big");
    }

    @Test
    void seedanceVariants_needPromptText_whenReferenceAudioIsGiven() { // §4.4/§5: reference audio needs a text prompt
        ObjectNode body = json("{'model': 'seedance2_fast', 'promptImage': '" + IMG + "',"
                + " 'referenceAudio': [{'type': 'audio', 'uri': 'https://cdn.yourapp.com/a.mp3'}]}");
        assertOnlyViolation("image_to_video", body, List.of("promptText"), "custom");
    }

    @Test
    void rubyProresProfile_onlyWithHdrProres() { // §8.3
        ObjectNode ruby = json("{'model': 'ruby', 'videoUri': 'https://cdn.yourapp.com/v.mp4', 'proresProfile': '4444'}");
        assertOnlyViolation("video_to_hdr", ruby, List.of("outputFormat"), "custom");
        assertValid("video_to_hdr", with(ruby, "outputFormat", "hdr_prores"));
    }
}
