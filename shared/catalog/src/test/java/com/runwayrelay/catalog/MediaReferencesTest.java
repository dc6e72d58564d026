package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.ValidationAssertions.CATALOG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.domain.media.MediaKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where the media URIs of a request are, and which kinds each field accepts. */
class MediaReferencesTest {
    private static final Set<MediaKind> IMAGE = Set.of(MediaKind.IMAGE);
    private static final Set<MediaKind> VIDEO = Set.of(MediaKind.VIDEO);
    private static final Set<MediaKind> AUDIO = Set.of(MediaKind.AUDIO);

    @Test
    void findsEveryUriWithItsPath_inKeyframesAndReferenceArrays() {
        List<MediaReference> found = CATALOG.mediaReferences("image_to_video", json("{'model': 'seedance2', 'promptText': 'x',"
                + " 'duration': 5, 'ratio': '1280:720',"
                + " 'promptImage': [{'uri': 'https://cdn.yourapp.com/1.png', 'position': 'first'},"
                + " {'uri': 'runway://upload-2-abcdef', 'position': 'last'}],"
                + " 'referenceAudio': [{'type': 'audio', 'uri': 'data:audio/mpeg;base64,AAAA'}]}"));
        assertEquals(List.of(
                new MediaReference(List.of("promptImage", 0, "uri"), IMAGE, "https://cdn.yourapp.com/1.png"),
                new MediaReference(List.of("promptImage", 1, "uri"), IMAGE, "runway://upload-2-abcdef"),
                new MediaReference(List.of("referenceAudio", 0, "uri"), AUDIO, "data:audio/mpeg;base64,AAAA")), found);
    }

    @Test
    void findsAStringPromptImage_atTheFieldItself() {
        assertEquals(List.of(new MediaReference(List.of("promptImage"), IMAGE, "https://cdn.yourapp.com/a.png")),
                CATALOG.mediaReferences("image_to_video", json("{'model': 'gen4_turbo', 'ratio': '1280:720',"
                        + " 'promptImage': 'https://cdn.yourapp.com/a.png'}")));
    }

    @Test
    void narrowsActTwoCharacterKinds_byItsType() { // §2.1: character.uri is image or video depending on type
        String body = "{'model': 'act_two', 'character': {'type': '%s', 'uri': 'https://cdn.yourapp.com/c'},"
                + " 'reference': {'type': 'video', 'uri': 'https://cdn.yourapp.com/r.mp4'}}";
        List<MediaReference> video = CATALOG.mediaReferences("character_performance", json(body.formatted("video")));
        assertEquals(List.of(new MediaReference(List.of("character", "uri"), VIDEO, "https://cdn.yourapp.com/c"),
                new MediaReference(List.of("reference", "uri"), VIDEO, "https://cdn.yourapp.com/r.mp4")), video);
        assertEquals(IMAGE, CATALOG.mediaReferences("character_performance", json(body.formatted("image"))).get(0).kinds());
        assertEquals(EnumSet.of(MediaKind.IMAGE, MediaKind.VIDEO),
                CATALOG.mediaReferences("character_performance", json(body.formatted("sticker"))).get(0).kinds());
    }

    @Test
    void findsPlainUriStringsInArrays() { // §9.1: seed_audio referenceAudios are plain URI strings
        List<MediaReference> found = CATALOG.mediaReferences("sound_effect", json("{'model': 'seed_audio', 'promptText': 'x',"
                + " 'referenceAudios': ['https://cdn.yourapp.com/a.wav', 'https://cdn.yourapp.com/b.wav']}"));
        assertEquals(List.of(new MediaReference(List.of("referenceAudios", 0), AUDIO, "https://cdn.yourapp.com/a.wav"),
                new MediaReference(List.of("referenceAudios", 1), AUDIO, "https://cdn.yourapp.com/b.wav")), found);
    }

    @Test
    void reportsUrisThatBreakTheRules_too() { // a security policy wants to see them even when validation fails
        List<MediaReference> found = CATALOG.mediaReferences("video_to_video",
                json("{'model': 'aleph2', 'videoUri': 'http://10.0.0.1/v.mp4'}"));
        assertEquals(List.of(new MediaReference(List.of("videoUri"), VIDEO, "http://10.0.0.1/v.mp4")), found);
    }

    @Test
    void scansEveryUriLikeString_withAllKinds_whenTheModelIsUnknown() {
        List<MediaReference> found = CATALOG.mediaReferences("image_to_video", json("{'model': 'gen6_hyper',"
                + " 'promptText': 'see https://not.a.field but text', 'frames': [{'src': 'https://cdn.yourapp.com/x.png'}],"
                + " 'audio': 'data:audio/wav;base64,AAAA', 'internal': 'http://169.254.169.254/latest', 'note': 'a:b'}"));
        Set<MediaKind> all = EnumSet.allOf(MediaKind.class);
        assertEquals(List.of(new MediaReference(List.of("audio"), all, "data:audio/wav;base64,AAAA"),
                new MediaReference(List.of("frames", 0, "src"), all, "https://cdn.yourapp.com/x.png"),
                new MediaReference(List.of("internal"), all, "http://169.254.169.254/latest")), found);
    }

    @Test
    void isEmpty_whenTheBodyHasNoMediaOrIsNotAnObject() {
        assertEquals(List.of(), CATALOG.mediaReferences("text_to_video",
                json("{'model': 'gen4.5', 'promptText': 'x', 'ratio': '1280:720', 'duration': 5}")));
        assertEquals(List.of(), CATALOG.mediaReferences("text_to_video", com.fasterxml.jackson.databind.node.NullNode.instance));
    }
}
