package com.runwayrelay.domain.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.media.MediaKind;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OutputMediaTypeTest {

    @ParameterizedTest
    @CsvSource({
            "image/png, IMAGE, image/png, png",
            "IMAGE/JPEG; charset=binary, IMAGE, image/jpeg, jpg",
            "image/webp, IMAGE, image/webp, webp",
            "video/mp4, VIDEO, video/mp4, mp4",
            "video/quicktime, VIDEO, video/quicktime, mov",
            "audio/wav, AUDIO, audio/wav, wav",
            "audio/x-wav, AUDIO, audio/x-wav, wav",
            "audio/mpeg, AUDIO, audio/mpeg, mp3"})
    void acceptsWithExtension_whenTypeMatchesKind(String header, MediaKind kind, String stored, String extension) {
        OutputMediaType type = OutputMediaType.accept(header, Optional.of(kind)).orElseThrow();

        assertEquals(stored, type.mediaType());
        assertEquals(extension, type.extension());
        assertEquals(kind, type.kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/octet-stream", "image/svg+xml", "text/html", "application/json", "video/mp4",
            "image/x-unknown", "", "image"})
    void refuses_whenNotAnImageTypeWeAccept(String header) {
        assertTrue(OutputMediaType.accept(header, Optional.of(MediaKind.IMAGE)).isEmpty(), header);
    }

    @Test
    void refuses_whenHeaderIsMissing() {
        assertTrue(OutputMediaType.accept(null, Optional.empty()).isEmpty());
    }

    @Test
    void acceptsAnyKnownKind_whenExpectedKindIsUnknown() {
        assertEquals("mp4", OutputMediaType.accept("video/mp4", Optional.empty()).orElseThrow().extension());
        assertEquals("png", OutputMediaType.accept("image/png", Optional.empty()).orElseThrow().extension());
    }

    @Test
    void explainsRefusal_withTypeReceivedAndKindExpected() {
        assertEquals("the output has Content-Type 'text/html; charset=utf-8', not an image type this gateway accepts",
                OutputMediaType.refusal("text/html; charset=utf-8", Optional.of(MediaKind.IMAGE)));
        assertEquals("the output has no Content-Type, not an image, video or audio type this gateway accepts",
                OutputMediaType.refusal(null, Optional.empty()));
    }
}
