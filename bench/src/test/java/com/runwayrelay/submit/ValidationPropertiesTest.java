package com.runwayrelay.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.bench.fuzz.MediaOracle;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.media.MediaViolation;
import java.math.BigInteger;
import java.net.UnknownHostException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import org.junit.jupiter.api.Test;

/**
 * Properties of the submit path's validation, each checked on a few hundred to a few thousand
 * generated inputs from a fixed seed, so every run tries the same inputs and a failure names the
 * input that broke it. They run in the normal build; the open-ended search is the Jazzer fuzz
 * tests' job.
 */
class ValidationPropertiesTest {
    private static final long SEED = 20261121L;
    private static final MediaUriPolicy POLICY = MediaOracle.policy();
    /** No name resolves: only IP literals can pass. */
    private static final CallbackUrlCheck CALLBACKS = new CallbackUrlCheck(AddressGuard.strict(host -> {
        throw new UnknownHostException(host);
    }));
    private static final List<String> TYPES = List.of("image/jpeg", "image/jpg", "image/png", "image/webp", "image/PNG",
            "image/svg+xml", "image/gif", "image/bmp", "video/mp4", "video/quicktime", "video/webm", "video/ogg",
            "video/h264", "video/x-msvideo", "audio/mpeg", "audio/mp3", "audio/aac", "audio/flac", "audio/wav",
            "audio/x-wav", "audio/mp4", "audio/ogg", "audio/midi", "text/html", "application/octet-stream");
    private static final List<byte[]> HEADS = List.of(bytes(0xFF, 0xD8, 0xFF, 0xE0), bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A),
            ascii("RIFF\u0024\0\0\0WEBP"), ascii("RIFF\u0024\0\0\0WAVE"), ascii("\0\0\0\u0020ftypisom"), ascii("\0\0\0\u0008mdat"),
            bytes(0x1A, 0x45, 0xDF, 0xA3), ascii("OggS"), bytes(0, 0, 0, 1, 0x67), ascii("ID3\u0004"), bytes(0xFF, 0xFB),
            bytes(0xFF, 0xF1), ascii("fLaC"), ascii("GIF89a"), ascii("<svg "), bytes());

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

    private static String dataUri(SplittableRandom random) {
        byte[] head = HEADS.get(random.nextInt(HEADS.size()));
        byte[] tail = new byte[random.nextInt(25)];
        random.nextBytes(tail);
        if (random.nextInt(8) == 0 && head.length > 0) {
            head = head.clone();
            head[random.nextInt(head.length)] ^= (byte) (1 + random.nextInt(255));
        }
        byte[] data = new byte[head.length + tail.length];
        System.arraycopy(head, 0, data, 0, head.length);
        System.arraycopy(tail, 0, data, head.length, tail.length);
        return "data:" + TYPES.get(random.nextInt(TYPES.size())) + ";base64," + Base64.getEncoder().encodeToString(data);
    }

    /** Accepted exactly when the type is one Runway takes for the field and the bytes carry its signature. */
    @Test
    void acceptsADataUriExactlyWhenItsTypeAndSignatureAgree() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 5000; i++) {
            acceptsExactlyWhenOracleAgrees(dataUri(random), 1 + random.nextInt(7));
        }
    }

    private static void acceptsExactlyWhenOracleAgrees(String uri, int mask) {
        Set<MediaKind> kinds = java.util.EnumSet.noneOf(MediaKind.class);
        for (MediaKind kind : MediaKind.values()) {
            if ((mask & (1 << kind.ordinal())) != 0) {
                kinds.add(kind);
            }
        }
        boolean oracle = MediaOracle.violatedInvariant(uri, kinds) == null;
        List<MediaViolation> verdict = POLICY.check(uri, kinds);
        assertEquals(oracle, verdict.isEmpty(), uri + " " + kinds + " -> " + verdict);
    }

    private static String ipHost(SplittableRandom random) {
        int a = random.nextInt(256);
        int b = random.nextInt(256);
        int c = random.nextInt(256);
        int d = random.nextInt(256);
        if (random.nextInt(4) == 0) {
            a = List.of(0, 10, 100, 127, 169, 172, 192, 198, 224, 255).get(random.nextInt(10));
        }
        long value = ((long) a << 24) | (b << 16) | (c << 8) | d;
        return switch (random.nextInt(8)) {
                case 0 -> a + "." + b + "." + c + "." + d;
                case 1 -> Long.toString(value);
                case 2 -> "0x" + Long.toHexString(value);
                case 3 -> "0" + Integer.toOctalString(a) + "." + b + "." + c + "." + d;
                case 4 -> a + "." + ((b << 16) | (c << 8) | d);
                case 5 -> fullwidth(a + "." + b + "." + c + "." + d);
                case 6 -> a + "\u3002" + b + "\u3002" + c + "\u3002" + d;
            default -> "[::ffff:" + a + "." + b + "." + c + "." + d + "]";
        };
    }

    private static String fullwidth(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(Character.isDigit(c) ? (char) (c - '0' + 0xFF10) : (char) c));
        return out.toString();
    }

    /** An IP address in any spelling is never a media host, allowlist or not. */
    @Test
    void neverAcceptsAnIpAddressAsAMediaHost() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 3000; i++) {
            neverAcceptedAsMediaHost(ipHost(random));
        }
    }

    private static void neverAcceptedAsMediaHost(String host) {
        List<MediaViolation> verdict = POLICY.check("https://" + host + "/a.png", Set.of(MediaKind.IMAGE));
        assertEquals(1, verdict.size(), host);
        assertTrue(Set.of(MediaViolation.IP_LITERAL, MediaViolation.MALFORMED_URI).contains(verdict.getFirst().code()),
                host + " -> " + verdict);
    }

    /** A callback to an IP address is accepted only when written canonically and public. */
    @Test
    void acceptsACallbackAddressOnlyWhenCanonicalAndPublic() {
        SplittableRandom random = new SplittableRandom(SEED);
        int accepted = 0;
        for (int i = 0; i < 3000; i++) {
            accepted += acceptedOnlyWhenCanonicalAndPublic(ipHost(random)) ? 1 : 0;
        }
        assertTrue(accepted > 0, "no address was ever accepted: the property checked nothing");
    }

    private static boolean acceptedOnlyWhenCanonicalAndPublic(String host) {
        String url = "https://" + host + "/hook";
        CallbackUrlCheck.Refusal refusal = CALLBACKS.check(url);
        boolean canonical = host.startsWith("[") || host.matches("(0|[1-9]\\d{0,2})(\\.(0|[1-9]\\d{0,2})){3}");
        if (refusal == null) {
            assertTrue(canonical, url);
            assertEquals(null, SubmitValidationFuzzTest.callbackProblem(url), url);
        }
        return refusal == null;
    }

    /** Repeating any key anywhere gets a 400 naming that key. */
    @Test
    void refusesARepeatedKey() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 500; i++) {
            refusesRepeated(word(random, 1 + random.nextInt(12)), random.nextInt(4));
        }
    }

    private static String word(SplittableRandom random, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }

    private static void refusesRepeated(String key, int depth) {
        String inner = "{\"" + key + "\":1,\"" + key + "\":2}";
        String body = "{\"relay\":{\"metadata\":" + "{\"n\":".repeat(depth) + inner + "}".repeat(depth) + "}}";
        RequestBody.Parsed parsed = RequestBody.parse(body);
        Violation violation = assertInstanceOf(RequestBody.Parsed.Refused.class, parsed).problem().issues().getFirst();
        assertEquals("duplicate_key", violation.code());
        assertEquals(key, violation.path().getLast());
    }

    /** Integers are accepted exactly within JavaScript's safe range. */
    @Test
    void acceptsIntegersExactlyWithinTheSafeRange() {
        SplittableRandom random = new SplittableRandom(SEED);
        BigInteger safe = BigInteger.valueOf(RequestBody.MAX_SAFE_INTEGER);
        List<BigInteger> edges = List.of(safe, safe.add(BigInteger.ONE), safe.negate(), safe.negate().subtract(BigInteger.ONE),
                BigInteger.ZERO, BigInteger.valueOf(Long.MAX_VALUE), BigInteger.TWO.pow(64));
        edges.forEach(ValidationPropertiesTest::acceptedExactlyWhenSafe);
        for (int i = 0; i < 2000; i++) {
            acceptedExactlyWhenSafe(new BigInteger(1 + random.nextInt(80), new java.util.Random(random.nextLong()))
                    .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)));
        }
    }

    private static void acceptedExactlyWhenSafe(BigInteger n) {
        RequestBody.Parsed parsed = RequestBody.parse("{\"seed\":" + n + "}");
        boolean safe = n.abs().compareTo(BigInteger.valueOf(RequestBody.MAX_SAFE_INTEGER)) <= 0;
        assertEquals(safe, parsed instanceof RequestBody.Parsed.Ok, n.toString());
    }

    /** Any control character in a metadata value is refused, naming the key. */
    @Test
    void refusesControlCharactersInMetadata() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (char c = 0; c <= 0xa0; c++) {
            refusesControl(c, word(random, 1 + random.nextInt(8)));
        }
    }

    private static void refusesControl(char c, String key) {
        String body = "{\"model\":\"gen4_image\",\"promptText\":\"x\",\"ratio\":\"1920:1080\",\"relay\":{\"metadata\":{\""
                + key + "\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf("a" + c + "b") + "}}}";
        var ok = assertInstanceOf(RequestBody.Parsed.Ok.class, RequestBody.parse(body));
        RequestCheck.Result result = SubmitValidationFuzzTest.CHECK.check(SubmitValidationFuzzTest.APP, "text_to_image",
                ok.body(), SubmitValidationFuzzTest.NOW);
        boolean control = Character.isISOControl(c);
        assertEquals(!control, result.valid(), result.violations().toString());
        if (control) {
            assertEquals(List.of("relay", "metadata", key), result.violations().getFirst().path());
        }
        assertFalse(result.valid() && result.relay().metadataJson() == null);
    }
}
