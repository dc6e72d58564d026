package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.ValidationAssertions.CATALOG;
import static com.runwayrelay.catalog.ValidationAssertions.assertValid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.media.MediaKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The catalog against reference §3: every task endpoint, every model, in the table's order. */
class CatalogCoverageTest {
    private static final String IMG = "https://cdn.yourapp.com/i.png";
    private static final String VID = "https://cdn.yourapp.com/v.mp4";
    private static final String AUD = "https://cdn.yourapp.com/a.mp3";

    /** Reference §3, "Core endpoints", copied by hand (not read from the data). */
    private static final Map<String, List<String>> SECTION_3 = new LinkedHashMap<>();

    static {
        SECTION_3.put("image_to_video", List.of("gen4.5", "gen4_turbo", "veo3.1", "veo3.1_fast", "hailuo3", "happyhorse_1_0",
                "seedance2", "seedance2_fast", "seedance2_mini", "gemini_omni_flash", "seedance2_5", "grok_imagine_1_5", "wan3",
                "gemini_omni_flash_1.1", "wan3_prime", "h3_max"));
        SECTION_3.put("text_to_video", List.of("gen4.5", "veo3.1", "veo3.1_fast", "hailuo3", "happyhorse_1_0", "seedance2",
                "seedance2_fast", "seedance2_mini", "gemini_omni_flash", "seedance2_5", "grok_imagine_1_5", "wan3",
                "gemini_omni_flash_1.1", "wan3_prime", "h3_max"));
        SECTION_3.put("video_to_video", List.of("aleph2", "hailuo3", "seedance2", "seedance2_fast", "seedance2_mini",
                "gemini_omni_flash", "seedance2_5", "gemini_omni_flash_1.1"));
        SECTION_3.put("text_to_image", List.of("gen4_image_turbo", "gen4_image", "gpt_image_2", "gemini_image3.1_flash",
                "muse_image", "seedream5_pro", "seedream5_lite", "grok_imagine_image_2", "gemini_image3_pro", "gpt_image_2_5_flare",
                "gpt_image_2_5_sunburst", "gemini_2.5_flash"));
        SECTION_3.put("image_upscale", List.of("magnific_precision_upscaler_v2"));
        SECTION_3.put("video_upscale", List.of("magnific_video_upscaler_creative", "enhance_frame_rate"));
        SECTION_3.put("video_to_hdr", List.of("ruby"));
        SECTION_3.put("character_performance", List.of("act_two"));
        SECTION_3.put("sound_effect", List.of("seed_audio", "eleven_text_to_sound_v2"));
        SECTION_3.put("text_to_speech", List.of("seed_audio", "eleven_multilingual_v2", "eleven_v3"));
        SECTION_3.put("speech_to_speech", List.of("eleven_multilingual_sts_v2"));
        SECTION_3.put("voice_dubbing", List.of("eleven_voice_dubbing"));
        SECTION_3.put("voice_isolation", List.of("eleven_voice_isolation"));
        SECTION_3.put("avatar_videos", List.of("gwm1_avatars")); // §14
    }

    @Test
    void listsEveryTaskEndpointOfSection3_inOrder() { // then the recipes (RecipesTest), selected by version
        assertEquals(List.copyOf(SECTION_3.keySet()), CATALOG.endpoints().stream()
                .filter(e -> CATALOG.selector(e).orElseThrow().equals("model")).toList());
        assertEquals(List.of("recipes/ad_localization", "recipes/marketing_stock_image", "recipes/product_ad",
                "recipes/product_campaign_image", "recipes/product_swap", "recipes/multi_shot_video",
                "recipes/product_ugc"), CATALOG.endpoints().stream().filter(e -> e.startsWith("recipes/")).toList());
        // then the Model Router's (GenerateTest), selected by configId
        assertEquals(List.of("generate/video", "generate/image", "generate/audio"),
                CATALOG.endpoints().stream().filter(e -> e.startsWith("generate/")).toList());
    }

    @Test
    void listsEveryModelOfEachEndpoint_inSection3Order() {
        SECTION_3.forEach((endpoint, models) -> assertEquals(models, CATALOG.models(endpoint), endpoint));
        assertEquals(List.of(), CATALOG.models("uploads"));
    }

    @Test
    void neverListsARetiredModelAsCurrent() { // §3: gen3a_turbo, gen4_aleph, veo3, upscale_v1 are gone
        for (String endpoint : CATALOG.endpoints()) {
            for (String retired : List.of("gen3a_turbo", "gen4_aleph", "veo3", "upscale_v1")) {
                assertFalse(CATALOG.models(endpoint).contains(retired), endpoint + " lists " + retired);
            }
        }
    }

    @Test
    void knowsTheOutputKindOfEachEndpoint() {
        Map<String, MediaKind> expected = Map.ofEntries(Map.entry("image_to_video", MediaKind.VIDEO),
                Map.entry("text_to_video", MediaKind.VIDEO), Map.entry("video_to_video", MediaKind.VIDEO),
                Map.entry("text_to_image", MediaKind.IMAGE), Map.entry("image_upscale", MediaKind.IMAGE),
                Map.entry("video_upscale", MediaKind.VIDEO), Map.entry("video_to_hdr", MediaKind.VIDEO),
                Map.entry("character_performance", MediaKind.VIDEO), Map.entry("sound_effect", MediaKind.AUDIO),
                Map.entry("text_to_speech", MediaKind.AUDIO), Map.entry("speech_to_speech", MediaKind.AUDIO),
                Map.entry("voice_dubbing", MediaKind.AUDIO), Map.entry("voice_isolation", MediaKind.AUDIO),
                Map.entry("avatar_videos", MediaKind.VIDEO));
        expected.forEach((endpoint, kind) -> assertEquals(Optional.of(kind), CATALOG.outputKind(endpoint, "any"), endpoint));
        assertEquals(Optional.empty(), CATALOG.outputKind("uploads", "x"));
    }

    @Test
    void marksOnlyTheOlderModelsAsOpen() { // §1: older variants were not additionalProperties:false
        Set<String> open = Set.of("gen4.5", "gen4_turbo", "gen4_image", "gen4_image_turbo", "act_two", "gemini_2.5_flash",
                "eleven_text_to_sound_v2", "eleven_multilingual_v2", "eleven_v3", "eleven_multilingual_sts_v2",
                "eleven_voice_dubbing", "eleven_voice_isolation", "gwm1_avatars");
        SECTION_3.forEach((endpoint, models) -> models.forEach(model ->
                assertEquals(!open.contains(model), CATALOG.isClosed(endpoint, model), endpoint + " " + model)));
        assertFalse(CATALOG.isClosed("image_to_video", "gen9"));
    }

    @Test
    void countsOutputs_fromOutputCount_elseOne() {
        assertEquals(4, CATALOG.outputCount("text_to_image", json("{'model': 'gpt_image_2', 'promptText': 'x',"
                + " 'ratio': 'auto', 'outputCount': 4}")));
        assertEquals(1, CATALOG.outputCount("text_to_image", json("{'model': 'gpt_image_2', 'promptText': 'x', 'ratio': 'auto'}")));
        assertEquals(1, CATALOG.outputCount("text_to_image", json("{'model': 'gen4_image', 'promptText': 'x', 'ratio': '1280:720'}")));
        assertEquals(1, CATALOG.outputCount("image_to_video", json("{'model': 'gen4.5', 'outputCount': 3}")));
        assertEquals(1, CATALOG.outputCount("nope", json("{'model': 'gpt_image_2', 'outputCount': 3}")));
    }

    @Test
    void loadsOnce_andSharesTheInstance() {
        assertSame(Catalog.loadDefault(), Catalog.loadDefault());
    }

    /** The smallest request each model documents as valid: checks that each model's data compiles and fits together. */
    static Stream<Arguments> minimalRequests() {
        List<Arguments> out = new ArrayList<>();
        String firstFrame = "'promptImage': '" + IMG + "'";
        for (String m : List.of("hailuo3", "wan3", "wan3_prime", "h3_max", "gemini_omni_flash_1.1")) {
            out.add(Arguments.of("image_to_video", "{'model': '" + m + "', " + firstFrame + ", 'promptText': 'a cat'}"));
        }
        for (String m : List.of("happyhorse_1_0", "seedance2_fast", "seedance2_mini", "gemini_omni_flash", "seedance2_5",
                "grok_imagine_1_5")) {
            out.add(Arguments.of("image_to_video", "{'model': '" + m + "', " + firstFrame + "}"));
        }
        for (String m : List.of("hailuo3", "happyhorse_1_0", "seedance2_fast", "seedance2_mini", "gemini_omni_flash",
                "grok_imagine_1_5", "wan3", "gemini_omni_flash_1.1", "wan3_prime", "h3_max")) {
            out.add(Arguments.of("text_to_video", "{'model': '" + m + "', 'promptText': 'a cat'}"));
        }
        out.add(Arguments.of("text_to_video", "{'model': 'seedance2_5'}"));
        for (String m : List.of("hailuo3", "seedance2_5")) {
            out.add(Arguments.of("video_to_video", "{'model': '" + m + "', 'promptVideo': '" + VID + "', 'promptText': 'a cat'}"));
        }
        for (String m : List.of("seedance2_fast", "seedance2_mini")) {
            out.add(Arguments.of("video_to_video", "{'model': '" + m + "', 'promptVideo': '" + VID + "'}"));
        }
        for (String m : List.of("gemini_omni_flash", "gemini_omni_flash_1.1")) {
            out.add(Arguments.of("video_to_video", "{'model': '" + m + "', 'videoUri': '" + VID + "', 'promptText': 'a cat'}"));
        }
        for (String[] m : new String[][] {{"gpt_image_2", "auto"}, {"gemini_image3.1_flash", "512:512"}, {"muse_image", "auto"},
                {"seedream5_pro", "auto_2k"}, {"seedream5_lite", "2048:2048"}, {"grok_imagine_image_2", "auto_1k"},
                {"gemini_image3_pro", "1024:1024"}, {"gpt_image_2_5_flare", "2160:3840"}, {"gpt_image_2_5_sunburst", "auto"}}) {
            out.add(Arguments.of("text_to_image", "{'model': '" + m[0] + "', 'promptText': 'x', 'ratio': '" + m[1] + "'}"));
        }
        out.add(Arguments.of("image_upscale", "{'model': 'magnific_precision_upscaler_v2', 'imageUri': '" + IMG + "'}"));
        out.add(Arguments.of("video_upscale", "{'model': 'magnific_video_upscaler_creative', 'videoUri': '" + VID + "'}"));
        out.add(Arguments.of("video_upscale", "{'model': 'enhance_frame_rate', 'videoUri': '" + VID + "', 'targetFramerate': '23_98'}"));
        out.add(Arguments.of("video_to_hdr", "{'model': 'ruby', 'videoUri': '" + VID + "'}"));
        out.add(Arguments.of("sound_effect", "{'model': 'seed_audio', 'promptText': 'rain on a tin roof'}"));
        out.add(Arguments.of("sound_effect", "{'model': 'eleven_text_to_sound_v2', 'promptText': 'rain', 'duration': 0.5}"));
        out.add(Arguments.of("text_to_speech", "{'model': 'seed_audio', 'promptText': 'hello',"
                + " 'voice': {'type': 'reference-audio', 'audioUri': '" + AUD + "'}}"));
        String preset = "'voice': {'type': 'runway-preset', 'presetId': 'Rachel'}";
        out.add(Arguments.of("text_to_speech", "{'model': 'eleven_multilingual_v2', 'promptText': 'hello', " + preset + "}"));
        out.add(Arguments.of("text_to_speech", "{'model': 'eleven_v3', 'promptText': '[laughs] hello', " + preset + ", 'speed': 1.2}"));
        out.add(Arguments.of("speech_to_speech", "{'model': 'eleven_multilingual_sts_v2', " + preset
                + ", 'media': {'type': 'audio', 'uri': '" + AUD + "'}}"));
        out.add(Arguments.of("voice_dubbing", "{'model': 'eleven_voice_dubbing', 'audioUri': '" + AUD + "', 'targetLang': 'fil'}"));
        out.add(Arguments.of("voice_isolation", "{'model': 'eleven_voice_isolation', 'audioUri': '" + AUD + "'}"));
        out.add(Arguments.of("avatar_videos", "{'model': 'gwm1_avatars', 'avatar': {'type': 'runway-preset',"
                + " 'presetId': 'influencer'}, 'speech': {'type': 'audio', 'audio': '" + AUD + "'}}"));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("minimalRequests")
    void acceptsTheMinimalRequest_ofEveryNonSeedModel(String endpoint, String body) {
        assertValid(endpoint, json(body));
    }

    @Test
    void coversEveryModel_withAMinimalRequestOrASeedTest() {
        Set<String> seedTested = Set.of("gen4.5", "gen4_turbo", "veo3.1", "veo3.1_fast", "seedance2", "aleph2", "act_two",
                "gen4_image", "gen4_image_turbo", "gemini_2.5_flash");
        Map<String, List<String>> covered = new LinkedHashMap<>();
        minimalRequests().forEach(a -> covered.computeIfAbsent((String) a.get()[0], k -> new ArrayList<>())
                .add(json((String) a.get()[1]).get("model").asText()));
        SECTION_3.forEach((endpoint, models) -> models.forEach(model -> assertTrue(seedTested.contains(model)
                || covered.getOrDefault(endpoint, List.of()).contains(model), "no minimal request for " + endpoint + " " + model)));
    }
}
