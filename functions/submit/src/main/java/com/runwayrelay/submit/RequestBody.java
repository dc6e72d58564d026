package com.runwayrelay.submit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.Violation;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules every POST body must pass before anything else reads it: a size limit, valid UTF-8,
 * and JSON that two parsers cannot read differently — no duplicate keys, no trailing content, a
 * bounded nesting depth, numbers a JavaScript reader represents exactly, and strings that are
 * valid Unicode (no unpaired surrogates, which {@code "\ud800"} escapes can smuggle in).
 *
 * <p>Duplicate keys matter because Jackson keeps the last value while other parsers keep the
 * first: the gateway would check one request and forward another. Numbers beyond
 * ±(2<sup>53</sup>−1) and non-finite ones ({@code 1e400}) are refused because Runway and webhook
 * receivers read JSON as JavaScript does, and would see a different value than the gateway checked.
 */
final class RequestBody {
    /**
     * The largest body accepted, in bytes after base64 decoding: 6 MiB, the most a synchronous
     * Lambda invocation carries (API Gateway's own 10 MB cap is never the binding one). A 5 MiB
     * data URI, the largest Runway takes, fits with room to spare.
     */
    static final int MAX_BYTES = 6 * 1024 * 1024;
    /** The deepest nesting of objects and arrays; Runway bodies need four levels, {@code relay.metadata} a few more. */
    static final int MAX_DEPTH = 32;
    /** The longest number literal, in characters; longer ones are refused while parsing. */
    static final int MAX_NUMBER_CHARS = 64;
    /** The largest magnitude a number may have: JavaScript's {@code Number.MAX_SAFE_INTEGER}. */
    static final long MAX_SAFE_INTEGER = 9_007_199_254_740_991L;

    private static final BigDecimal SAFE = BigDecimal.valueOf(MAX_SAFE_INTEGER);
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(MAX_NUMBER_CHARS)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private RequestBody() {
    }

    /**
     * The problem with a body as API Gateway delivered it, before it is decoded as text: 413 when
     * it is larger than {@link #MAX_BYTES}, 400 when it is not valid UTF-8.
     *
     * @param body   the event's body, possibly null
     * @param base64 whether API Gateway base64-encoded it
     */
    static Optional<Problem> encodingProblem(String body, boolean base64) {
        if (body == null) {
            return Optional.empty();
        }
        long bytes;
        byte[] decoded = null;
        if (base64) {
            bytes = (long) body.length() / 4 * 3;
            if (bytes <= MAX_BYTES + 3L) {
                try {
                    decoded = Base64.getDecoder().decode(body);
                } catch (IllegalArgumentException e) {
                    return Optional.of(invalid(new Violation(List.of(), "invalid_encoding",
                            "The request body is marked base64 but is not valid base64")));
                }
                bytes = decoded.length;
            }
        } else {
            bytes = utf8Length(body);
        }
        if (bytes > MAX_BYTES) {
            return Optional.of(Problem.of(413, "payload-too-large", "Payload too large", "The request body is "
                    + bytes + " bytes; the limit is " + MAX_BYTES + " bytes (6 MiB). Send large media through "
                    + "POST /v1/uploads and pass the runway:// URI").with("maxBytes", MAX_BYTES));
        }
        if (decoded != null) {
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer buffer = ByteBuffer.wrap(decoded);
            try {
                utf8.decode(buffer);
            } catch (CharacterCodingException e) {
                int length = e instanceof MalformedInputException m ? m.getInputLength() : 1;
                return Optional.of(invalid(new Violation(List.of(), "invalid_encoding",
                        "The request body is not valid UTF-8: " + length + " malformed byte" + (length == 1 ? "" : "s")
                                + " at byte offset " + buffer.position())));
            }
        }
        return Optional.empty();
    }

    /**
     * Reads a body strictly: the one parse of a submission's or an upload request's body, whose tree
     * the use case then reads ({@link SubmitCommand#body()}, {@link CreateUpload#create}).
     *
     * <p>The tree is the one {@link com.runwayrelay.aws.gateway.GatewayJson#MAPPER} reads from the
     * same text, node for node (an {@code int} as an {@code IntNode}, a fraction as a
     * {@code DoubleNode}): what is fingerprinted for idempotency, stored and sent to Runway is
     * written from it, so it must stay as it was when the use case parsed the text again. Whether a
     * number is within {@link #MAX_SAFE_INTEGER} is still decided on its exact decimal value, taken
     * from the literal as it is read.
     *
     * @return the object, or the problem (400 {@code invalid-request}) naming where the body breaks a rule
     */
    static Parsed parse(String text) {
        ExactNumbers parser = null;
        try {
            parser = new ExactNumbers(STRICT.createParser(text));
            JsonNode node = STRICT.readTree(parser);
            if (!(node instanceof ObjectNode object)) {
                return refused(new Violation(List.of(), "invalid_type", "The request body must be a JSON object"));
            }
            List<Violation> violations = new ArrayList<>();
            inspect(object, new ArrayList<>(), parser.unsafe, violations);
            return violations.isEmpty() ? new Parsed.Ok(object) : new Parsed.Refused(Problem.invalidRequest(violations));
        } catch (StreamConstraintsException e) {
            return refused(constraint(e, pathOf(parser)));
        } catch (NumberFormatException e) {
            // An exponent beyond what BigDecimal holds (1e99999999999) is not a parse error to Jackson.
            List<Object> path = pathOf(parser);
            return refused(new Violation(path, "too_big", where(path) + " is a number with an exponent too large to read;"
                    + " numbers must be within ±" + MAX_SAFE_INTEGER));
        } catch (JsonProcessingException e) {
            List<Object> path = pathOf(parser);
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field")) {
                return refused(new Violation(path, "duplicate_key", where(path) + " repeats the key '"
                        + abbreviate(String.valueOf(path.isEmpty() ? "" : path.getLast()))
                        + "'; each key may appear once (parsers disagree on which copy wins)"));
            }
            if (message != null && message.startsWith("Trailing token")) {
                return refused(new Violation(List.of(), "invalid_json",
                        "The request body has content after its JSON value (line " + e.getLocation().getLineNr()
                                + ", column " + e.getLocation().getColumnNr() + ")"));
            }
            return refused(new Violation(List.of(), "invalid_json", "The request body is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail with I/O", e);
        }
    }

    private static Violation constraint(StreamConstraintsException e, List<Object> path) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("nesting depth")) {
            return new Violation(path, "too_deep", "The request body nests objects and arrays more than "
                    + MAX_DEPTH + " levels deep (at " + where(path) + ")");
        }
        if (message.contains("Number value length")) {
            return new Violation(path, "too_big", where(path) + " is a number literal longer than " + MAX_NUMBER_CHARS
                    + " characters; numbers must be within ±" + MAX_SAFE_INTEGER);
        }
        return new Violation(path, "too_big", "The request body breaks a parser limit at " + where(path));
    }

    /**
     * Finds unpaired surrogates in keys and strings, and numbers JavaScript cannot hold exactly.
     *
     * @param unsafe the paths of the fractions whose exact value is beyond {@link #MAX_SAFE_INTEGER}
     *               (a {@code DoubleNode} holds only the nearest double)
     */
    private static void inspect(JsonNode node, List<Object> path, Set<List<Object>> unsafe, List<Violation> violations) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                path.add(member.getKey());
                int bad = unpairedSurrogate(member.getKey());
                if (bad >= 0) {
                    violations.add(new Violation(path, "invalid_string", "A key at " + where(path.subList(0, path.size() - 1))
                            + " contains an unpaired UTF-16 surrogate at index " + bad + "; keys must be valid Unicode"));
                }
                inspect(member.getValue(), path, unsafe, violations);
                path.removeLast();
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.add(i);
                inspect(node.get(i), path, unsafe, violations);
                path.removeLast();
            }
        } else if (node.isTextual()) {
            int bad = unpairedSurrogate(node.textValue());
            if (bad >= 0) {
                violations.add(new Violation(path, "invalid_string", where(path)
                        + " contains an unpaired UTF-16 surrogate at index " + bad + "; strings must be valid Unicode"));
            }
        } else if (node.isNumber() && (node.isFloatingPointNumber() ? unsafe.contains(path)
                : node.decimalValue().abs().compareTo(SAFE) > 0)) {
            violations.add(new Violation(path, "too_big", where(path) + " is a number beyond ±" + MAX_SAFE_INTEGER
                    + " (JavaScript's safe integers); Runway and webhook receivers could not read it exactly"));
        }
    }

    /** The index of the first unpaired surrogate, or -1. */
    static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The strict parser, noting each fraction beyond {@link #MAX_SAFE_INTEGER}: the tree is built
     * with doubles, as {@link com.runwayrelay.aws.gateway.GatewayJson#MAPPER} builds it, and a
     * double cannot tell {@code 9007199254740991.2} from the safe {@code 9007199254740991}. So once
     * the tree has taken a fraction's double, its exact value is read from the same literal (Jackson
     * reads a {@code BigDecimal} from the text, never from the double); an exponent too large for a
     * {@code BigDecimal} throws {@link NumberFormatException} here, as it did when the tree held
     * {@code BigDecimal}s.
     */
    private static final class ExactNumbers extends JsonParserDelegate {
        final Set<List<Object>> unsafe = new HashSet<>();

        ExactNumbers(JsonParser parser) {
            super(parser);
        }

        @Override
        public double getDoubleValue() throws IOException {
            double value = super.getDoubleValue();
            noteExact();
            return value;
        }

        @Override
        public float getFloatValue() throws IOException {
            float value = super.getFloatValue();
            noteExact();
            return value;
        }

        @Override
        public BigDecimal getDecimalValue() throws IOException {
            BigDecimal value = super.getDecimalValue();
            note(value);
            return value;
        }

        private void noteExact() throws IOException {
            if (delegate.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                note(delegate.getDecimalValue());
            }
        }

        private void note(BigDecimal exact) {
            if (exact.abs().compareTo(SAFE) > 0) {
                unsafe.add(pathOf(this));
            }
        }
    }

    /** The path of the value the parser was at, as {@link Violation} segments. */
    private static List<Object> pathOf(JsonParser parser) {
        if (parser == null) {
            return List.of();
        }
        List<Object> path = new ArrayList<>();
        for (JsonStreamContext context = parser.getParsingContext(); context != null && !context.inRoot();
             context = context.getParent()) {
            if (context.inArray()) {
                path.add(Math.max(context.getCurrentIndex(), 0));
            } else if (context.getCurrentName() != null) {
                path.add(context.getCurrentName());
            }
        }
        Collections.reverse(path);
        return path;
    }

    private static String where(List<Object> path) {
        return path.isEmpty() ? "the body" : abbreviate(Violation.dotted(path));
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static Parsed refused(Violation violation) {
        return new Parsed.Refused(invalid(violation));
    }

    private static Problem invalid(Violation violation) {
        return Problem.invalidRequest(List.of(violation));
    }

    /** The outcome of {@link #parse}. */
    sealed interface Parsed {
        /** The body, a JSON object that broke no rule, as {@code GatewayJson.MAPPER} reads it (see {@link #parse}). */
        record Ok(ObjectNode body) implements Parsed {
        }

        /** Why the body is refused. */
        record Refused(Problem problem) implements Parsed {
        }
    }
}
