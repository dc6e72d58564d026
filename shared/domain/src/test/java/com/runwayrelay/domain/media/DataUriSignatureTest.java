package com.runwayrelay.domain.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The media types a data URI may declare and the signature its data must start with. */
class DataUriSignatureTest {
    private static final Set<MediaKind> IMAGE = Set.of(MediaKind.IMAGE);
    private final MediaUriPolicy policy = new MediaUriPolicy(MediaPolicySettings.of(List.of()), new FakeHostResolver());

    private static String data(String type, byte[] bytes) {
        return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @CsvSource({
        "image/jpeg, FFD8FFE000104A46", "image/jpg, FFD8FFDB", "image/png, 89504E470D0A1A0A0000",
        "image/webp, 52494646240000005745425056503820", "image/PNG, 89504E470D0A1A0A",
        "video/mp4, 0000002066747970", "video/quicktime, 000000146674797071742020", "video/quicktime, 000000086D646174",
        "video/mov, 0000000877696465", "video/webm, 1A45DFA3", "video/ogg, 4F676753", "video/h264, 0000000167",
        "audio/mpeg, 4944330400", "audio/mpeg, FFFB9064", "audio/mp3, FFF3", "audio/aac, FFF15080", "audio/flac, 664C6143",
        "audio/wav, 524946462400000057415645", "audio/x-wav, 524946462400000057415645", "audio/mp4, 0000002066747970",
        "audio/x-m4a, 0000002066747970"})
    void acceptsEachTypeRunwayTakes_whenItsDataStartsWithTheTypesSignature(String type, String hex) {
        byte[] head = java.util.HexFormat.of().parseHex(hex);
        MediaKind kind = MediaKind.ofTopLevelType(type.substring(0, type.indexOf('/'))).orElseThrow();
        assertEquals(List.of(), policy.check(data(type, head), Set.of(kind)));
    }

    @Test
    void refusesSvgGifAndHtml_asATypeRunwayDoesNotTake_listingTheTypesItDoes() {
        for (String uri : List.of(data("image/svg+xml", ascii("<svg onload=alert(1)>")),
                data("image/gif", ascii("GIF89a\u0001\u0000\u0001\u0000")), data("image/bmp", ascii("BM")))) {
            List<MediaViolation> violations = policy.check(uri, IMAGE);
            assertEquals(1, violations.size(), uri);
            assertEquals(MediaViolation.DATA_URI_MEDIA_TYPE, violations.get(0).code());
            assertTrue(violations.get(0).message().contains("image/jpeg, image/jpg, image/png, image/webp"),
                    violations.get(0).message());
        }
        assertEquals(MediaViolation.DATA_URI_MEDIA_TYPE,
                policy.check(data("text/html", ascii("<html>")), IMAGE).get(0).code());
    }

    @Test
    void refusesDataWhoseBytesAreNotTheDeclaredType_namingTheDeclaredType() {
        List<MediaViolation> svgAsPng = policy.check(data("image/png", ascii("<svg onload=alert(1)>")), IMAGE);
        assertEquals(MediaViolation.DATA_URI_CONTENT_MISMATCH, svgAsPng.get(0).code());
        assertTrue(svgAsPng.get(0).message().contains("'image/png'") && svgAsPng.get(0).message().contains("PNG signature"),
                svgAsPng.get(0).message());
        assertFalse(svgAsPng.get(0).message().contains("svg"), "the payload is never echoed");
        assertEquals(MediaViolation.DATA_URI_CONTENT_MISMATCH,
                policy.check(data("image/jpeg", bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)), IMAGE).get(0).code());
        assertEquals(MediaViolation.DATA_URI_CONTENT_MISMATCH,
                policy.check(data("image/webp", ascii("RIFF$\u0000\u0000\u0000WAVE")), IMAGE).get(0).code());
        assertEquals(MediaViolation.DATA_URI_CONTENT_MISMATCH,
                policy.check(data("video/mp4", ascii("<html></html>")), Set.of(MediaKind.VIDEO)).get(0).code());
        assertEquals(MediaViolation.DATA_URI_CONTENT_MISMATCH,
                policy.check(data("audio/flac", ascii("ID3\u0004")), Set.of(MediaKind.AUDIO)).get(0).code());
    }

    @Test
    void refusesASignatureCutShort() {
        assertEquals(MediaViolation.DATA_URI_CONTENT_MISMATCH,
                policy.check(data("image/png", bytes(0x89, 'P', 'N', 'G')), IMAGE).get(0).code());
        assertEquals(MediaViolation.DATA_URI_CONTENT_MISMATCH,
                policy.check(data("image/webp", ascii("RIFF")), IMAGE).get(0).code());
    }

    @Test
    void checksTheTypeBeforeTheBase64AndTheSignatureLast() {
        assertEquals(MediaViolation.DATA_URI_MEDIA_TYPE, policy.check("data:image/gif;base64,!!!!", IMAGE).get(0).code());
        assertEquals(MediaViolation.DATA_URI_NOT_BASE64, policy.check("data:image/png;base64,!!!!", IMAGE).get(0).code());
    }
}
