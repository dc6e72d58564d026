package com.runwayrelay.catalog;

import static com.runwayrelay.catalog.Bodies.json;
import static com.runwayrelay.catalog.Bodies.with;
import static com.runwayrelay.catalog.Bodies.without;
import static com.runwayrelay.catalog.ValidationAssertions.CATALOG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Prices from reference §18 and the seeds; the estimate is the maximum a task may cost. */
class EstimateCreditsTest {
    private static final String IMAGE = "https://cdn.yourapp.com/a.png";

    private static Optional<Long> credits(String endpoint, ObjectNode body) {
        return CATALOG.estimateCredits(endpoint, body);
    }

    private final ObjectNode gen45 = json("{'model': 'gen4.5', 'promptText': 'x', 'ratio': '1280:720', 'duration': 5}");

    @Test
    void pricesGen45_at12CreditsPerSecond() { // §18.2, seed 001
        assertEquals(Optional.of(60L), credits("text_to_video", gen45));
        assertEquals(Optional.of(120L), credits("image_to_video", with(with(gen45, "duration", 10), "promptImage", IMAGE)));
    }

    @Test
    void addsGen45OutputFormatSurcharges_perSecond() { // §18.1: +5 prores/png_sequence, +20 for 10-bit or deeper
        assertEquals(Optional.of(85L), credits("text_to_video", with(gen45, "outputFormat", "prores")));
        assertEquals(Optional.of(85L), credits("text_to_video", with(gen45, "outputFormat", "png_sequence")));
        assertEquals(Optional.of(160L), credits("text_to_video", with(gen45, "outputFormat", "hdr10")));
        assertEquals(Optional.of(60L), credits("text_to_video", with(gen45, "outputFormat", "mp4")));
    }

    @Test
    void pricesGen4Turbo_at5CreditsPerSecond_assumingTenSecondsWhenUnsaid() { // §18.2, seed 004
        ObjectNode turbo = json("{'model': 'gen4_turbo', 'promptImage': '" + IMAGE + "', 'ratio': '1280:720'}");
        assertEquals(Optional.of(25L), credits("image_to_video", with(turbo, "duration", 5)));
        assertEquals(Optional.of(50L), credits("image_to_video", turbo));
    }

    @Test
    void pricesVeo31_by_audio() { // §18.2: 20/s without audio, 40/s with; audio defaults to true (§4.3)
        ObjectNode veo = json("{'model': 'veo3.1', 'promptText': 'x', 'ratio': '1280:720', 'duration': 8}");
        assertEquals(Optional.of(320L), credits("text_to_video", veo));
        assertEquals(Optional.of(320L), credits("text_to_video", with(veo, "audio", true)));
        assertEquals(Optional.of(160L), credits("text_to_video", with(veo, "audio", false)));
        assertEquals(Optional.of(80L), credits("text_to_video", with(with(veo, "audio", false), "duration", 4)));
        assertEquals(Optional.of(320L), credits("text_to_video", without(veo, "duration")), "unsaid duration: the 8 s maximum");
    }

    @Test
    void pricesVeo31Fast_by_audio() { // §18.2: 10/s without audio, 15/s with
        ObjectNode fast = json("{'model': 'veo3.1_fast', 'promptImage': '" + IMAGE + "', 'ratio': '1280:720', 'duration': 8}");
        assertEquals(Optional.of(120L), credits("image_to_video", fast));
        assertEquals(Optional.of(80L), credits("image_to_video", with(fast, "audio", false)));
    }

    @Test
    void pricesSeedance2_at36CreditsPerSecond_autoAtTheMaximum() { // seed 001: 36 credits/sec; §18.1 auto billed at max
        ObjectNode seedance = json("{'model': 'seedance2', 'promptText': 'x', 'ratio': '1280:720', 'duration': 5}");
        assertEquals(Optional.of(180L), credits("text_to_video", seedance));
        assertEquals(Optional.of(540L), credits("text_to_video", with(seedance, "duration", "auto")));
    }

    @Test
    void pricesGen4Image_by_resolution() { // seeds 000/004: 5 credits at 720p, 8 at 1080p
        ObjectNode image = json("{'model': 'gen4_image', 'promptText': 'x', 'ratio': '1280:720'}");
        assertEquals(Optional.of(5L), credits("text_to_image", image));
        assertEquals(Optional.of(5L), credits("text_to_image", with(image, "ratio", "720:960")));
        assertEquals(Optional.of(8L), credits("text_to_image", with(image, "ratio", "1920:1080")));
        assertEquals(Optional.of(8L), credits("text_to_image", with(image, "ratio", "1080:1080")));
    }

    @Test
    void pricesGen4ImageTurbo_andGemini25Flash_perImage() { // seeds 000/004: 2; seed 000: 5
        assertEquals(Optional.of(2L), credits("text_to_image", json("{'model': 'gen4_image_turbo', 'promptText': 'x',"
                + " 'ratio': '1920:1080', 'referenceImages': [{'uri': '" + IMAGE + "'}]}")));
        assertEquals(Optional.of(5L), credits("text_to_image", json("{'model': 'gemini_2.5_flash', 'promptText': 'x',"
                + " 'ratio': '1024:1024'}")));
    }

    @Test
    void pricesActTwo_at5CreditsPerSecond_ofTheLongestReference() { // §18.2: 5/s; §8.4 reference video 3-30 s
        assertEquals(Optional.of(150L), credits("character_performance", json("{'model': 'act_two',"
                + " 'character': {'type': 'image', 'uri': '" + IMAGE + "'},"
                + " 'reference': {'type': 'video', 'uri': 'https://cdn.yourapp.com/p.mp4'}}")));
    }

    @Test
    void pricesAleph2_forTheLongestInput() { // §18.3 [3P] ~27/s (UNCONFIRMED); input <= 30 s (§6.1); +5 prores (§18.1)
        ObjectNode aleph = json("{'model': 'aleph2', 'videoUri': 'https://cdn.yourapp.com/v.mp4'}");
        assertEquals(Optional.of(810L), credits("video_to_video", aleph));
        assertEquals(Optional.of(960L), credits("video_to_video", with(aleph, "outputFormat", "prores")));
    }

    @Test
    void pricesPerCharacter_roundingUp() { // §18.2: eleven_multilingual_v2 1 credit per 50 characters
        ObjectNode tts = json("{'model': 'eleven_multilingual_v2', 'voice': {'type': 'runway-preset', 'presetId': 'Maya'}}");
        assertEquals(Optional.of(1L), credits("text_to_speech", with(tts, "promptText", "x".repeat(50))));
        assertEquals(Optional.of(3L), credits("text_to_speech", with(tts, "promptText", "x".repeat(101))));
    }

    @Test
    void appliesTheMinimum_forSeedance25() { // §18.3 [3P]: 480p 20/s, minimum 80 credits
        ObjectNode seedance = json("{'model': 'seedance2_5', 'ratio': '640:640', 'duration': 4}");
        assertEquals(Optional.of(80L), credits("text_to_video", seedance));
        assertEquals(Optional.of(300L), credits("text_to_video", with(with(seedance, "ratio", "1280:720"), "duration", 10)));
    }

    @Test
    void multipliesByOutputCount() { // §18.1: outputCount scales cost; muse_image 1 credit per image
        ObjectNode muse = json("{'model': 'muse_image', 'promptText': 'x', 'ratio': 'auto'}");
        assertEquals(Optional.of(1L), credits("text_to_image", muse));
        assertEquals(Optional.of(4L), credits("text_to_image", with(muse, "outputCount", 4)));
    }

    @Test
    void isEmpty_whenTheBodyIsInvalid_theModelUnknown_orThePriceNotPublished() {
        assertEquals(Optional.empty(), credits("text_to_video", with(gen45, "duration", 99)));
        assertEquals(Optional.empty(), credits("text_to_video", with(gen45, "model", "gen9")));
        assertEquals(Optional.empty(), credits("nope", gen45));
        assertEquals(Optional.empty(), credits("text_to_video", json("{'model': 'hailuo3', 'promptText': 'x'}")));
    }
}
