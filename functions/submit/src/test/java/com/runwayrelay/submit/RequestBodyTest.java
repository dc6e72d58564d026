package com.runwayrelay.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.Violation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
    private static Violation refusal(String json) {
        RequestBody.Parsed parsed = RequestBody.parse(json);
        Problem problem = assertInstanceOf(RequestBody.Parsed.Refused.class, parsed, json).problem();
        assertEquals(400, problem.status());
        assertEquals("invalid-request", problem.slug());
        assertEquals(1, problem.issues().size(), problem.issues().toString());
        return problem.issues().getFirst();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void answers413_whenTheBodyIsOver6MiB_countingUtf8BytesOrDecodedBase64() {
        String limit = "x".repeat(RequestBody.MAX_BYTES);
        assertEquals(Optional.empty(), RequestBody.encodingProblem(limit, false));
        Problem text = RequestBody.encodingProblem(limit + "x", false).orElseThrow();
        assertEquals(413, text.status());
        assertEquals("payload-too-large", text.slug());
        assertTrue(text.detail().contains("6291457 bytes") && text.detail().contains("6291456"), text.detail());
        String twoByteChars = "é".repeat(RequestBody.MAX_BYTES / 2 + 1);
        assertEquals(413, RequestBody.encodingProblem(twoByteChars, false).orElseThrow().status());
        assertEquals(413, RequestBody.encodingProblem(base64(new byte[RequestBody.MAX_BYTES + 1]), true)
                .orElseThrow().status());
        assertEquals(Optional.empty(), RequestBody.encodingProblem(base64(new byte[RequestBody.MAX_BYTES]), true));
    }

    @Test
    void refusesABase64BodyThatIsNotUtf8_namingTheByteOffset() {
        byte[] bytes = "{\"promptText\":\"caf\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        Problem problem = RequestBody.encodingProblem(base64(bytes), true).orElseThrow();
        assertEquals(400, problem.status());
        Violation violation = problem.issues().getFirst();
        assertEquals("invalid_encoding", violation.code());
        assertTrue(violation.message().contains("not valid UTF-8") && violation.message().contains("byte offset 18"),
                violation.message());
        assertEquals(Optional.empty(), RequestBody.encodingProblem(base64("{\"a\":\"é😀\"}".getBytes(StandardCharsets.UTF_8)), true));
    }

    @Test
    void refusesABodyMarkedBase64ThatIsNotBase64() {
        assertEquals("invalid_encoding", RequestBody.encodingProblem("eyJ!!!", true).orElseThrow().issues().getFirst().code());
    }

    @Test
    void refusesDuplicateKeys_atAnyDepth_namingThePath() {
        Violation top = refusal("{\"model\":\"a\",\"model\":\"b\"}");
        assertEquals("duplicate_key", top.code());
        assertEquals(List.of("model"), top.path());
        Violation nested = refusal("{\"relay\":{\"metadata\":{\"x\":[{\"k\":1,\"k\":2}]}}}");
        assertEquals(List.of("relay", "metadata", "x", 0, "k"), nested.path());
        assertTrue(nested.message().contains("repeats the key 'k'"), nested.message());
    }

    @Test
    void refusesContentAfterTheJsonValue() {
        Violation violation = refusal("{\"model\":\"a\"} {\"model\":\"b\"}");
        assertEquals("invalid_json", violation.code());
        assertTrue(violation.message().contains("content after its JSON value"), violation.message());
    }

    @Test
    void refusesNestingDeeperThan32Levels_andAccepts32() {
        String ok = "{\"a\":" + "[".repeat(31) + "1" + "]".repeat(31) + "}";
        assertInstanceOf(RequestBody.Parsed.Ok.class, RequestBody.parse(ok));
        String deep = "{\"a\":" + "[".repeat(32) + "1" + "]".repeat(32) + "}";
        Violation violation = refusal(deep);
        assertEquals("too_deep", violation.code());
        assertEquals("a", violation.path().getFirst());
        assertEquals("too_deep", refusal("[".repeat(200_000)).code());
    }

    @Test
    void refusesNumbersJavaScriptCannotHoldExactly_namingThePath() {
        assertInstanceOf(RequestBody.Parsed.Ok.class,
                RequestBody.parse("{\"a\":9007199254740991,\"b\":-9007199254740991,\"c\":0.5,\"d\":1e15}"));
        for (String number : List.of("9007199254740992", "-9007199254740992", "1e400", "-1e400", "1e16",
                "99999999999999999999999", "1E+999999999")) {
            Violation violation = refusal("{\"relay\":{\"metadata\":{\"n\":[" + number + "]}}}");
            assertEquals("too_big", violation.code(), number);
            assertEquals(List.of("relay", "metadata", "n", 0), violation.path(), number);
        }
        for (String exponent : List.of("1e99999999999", "1e-99999999999", "-2.5E+2147483648")) {
            Violation violation = refusal("{\"relay\":{\"metadata\":{\"d\":" + exponent + "}}}");
            assertEquals("too_big", violation.code(), exponent);
            assertEquals(List.of("relay", "metadata", "d"), violation.path(), exponent);
        }
        Violation literal = refusal("{\"seed\":" + "9".repeat(65) + "}");
        assertEquals("too_big", literal.code());
        assertEquals(List.of("seed"), literal.path());
    }

    /**
     * The tree holds fractions as doubles (as the gateway's mapper reads them), but the limit is
     * judged on the literal's exact value: these are beyond it although their nearest double is not.
     */
    @Test
    void judgesFractionsOnTheirExactValue_notTheirDouble() {
        assertInstanceOf(RequestBody.Parsed.Ok.class,
                RequestBody.parse("{\"a\":9007199254740991.0,\"b\":-9007199254740991.000,\"c\":9007199254740990.9}"));
        for (String number : List.of("9007199254740991.2", "-9007199254740991.000000001", "9.0071992547409912e15")) {
            assertTrue(Math.abs(Double.parseDouble(number)) <= RequestBody.MAX_SAFE_INTEGER, number);
            Violation violation = refusal("{\"m\":{\"x\":[1.5," + number + "]}}");
            assertEquals("too_big", violation.code(), number);
            assertEquals(List.of("m", "x", 1), violation.path(), number);
        }
    }

    @Test
    void refusesUnpairedSurrogates_inValuesAndKeys_butAcceptsPairs() {
        assertInstanceOf(RequestBody.Parsed.Ok.class, RequestBody.parse("{\"p\":\"\\ud83d\\ude00 \uD83D\uDE00\"}"));
        Violation value = refusal("{\"p\":\"a\\ud800\"}");
        assertEquals("invalid_string", value.code());
        assertEquals(List.of("p"), value.path());
        assertTrue(value.message().contains("unpaired UTF-16 surrogate at index 1"), value.message());
        assertEquals("invalid_string", refusal("{\"m\":{\"\\udc00\":1}}").code());
        assertEquals("invalid_string", refusal("{\"p\":\"\\udc00\\ud800\"}").code());
    }

    @Test
    void refusesAnythingButAnObject() {
        for (String body : List.of("", "[]", "\"x\"", "null", "1")) {
            assertEquals("invalid_type", refusal(body).code(), body);
        }
    }
}
