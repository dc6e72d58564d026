package com.runwayrelay.status;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.Violation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A small JSON request body of the status function's routes, read strictly: at most {@value #MAX_BYTES}
 * bytes, an object (an empty body reads as {@code {}}), no duplicate keys, nothing after the value,
 * bounded nesting and number length, and only the members the route takes. The route then checks the
 * members' values into the same list of violations, so every violation is reported at once.
 */
final class StrictJsonBody {
    /** The largest body read; the same limit as every other POST body. */
    static final int MAX_BYTES = 6 * 1024 * 1024;
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(64).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJsonBody() {
    }

    /** What reading found. */
    sealed interface Read {
        /**
         * An object, with the violations found so far (unknown members); the route adds its own.
         *
         * @param object     the body
         * @param violations a mutable list, empty when every member is known
         */
        record Parsed(ObjectNode object, List<Violation> violations) implements Read {
        }

        /** A body that cannot be read at all: too large (413) or not a JSON object (400). */
        record Refused(Problem problem) implements Read {
        }
    }

    /**
     * Reads {@code body}.
     *
     * @param members the members the route takes
     * @param takes   how the unknown-member message ends, e.g. {@code "the body takes name and content"}
     */
    static Read read(String body, Set<String> members, String takes) {
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return new Read.Refused(Problem.of(413, "payload-too-large", "Payload too large",
                    "The request body is over " + MAX_BYTES + " bytes (6 MiB)").with("maxBytes", MAX_BYTES));
        }
        ObjectNode object;
        if (body.isBlank()) {
            object = STRICT.createObjectNode();
        } else {
            JsonNode node;
            try {
                node = STRICT.readTree(body);
            } catch (JsonProcessingException e) {
                String message = String.valueOf(e.getOriginalMessage());
                String code = message.startsWith("Duplicate field") ? "duplicate_key" : "invalid_json";
                return refused(new Violation(List.of(), code, "The request body is not valid JSON ("
                        + (code.equals("duplicate_key") ? "a key appears twice, " : "") + "line "
                        + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
            }
            if (!(node instanceof ObjectNode o)) {
                return refused(new Violation(List.of(), "invalid_type", "The request body must be a JSON object"));
            }
            object = o;
        }
        List<Violation> violations = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        object.fieldNames().forEachRemaining(name -> {
            if (!members.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            violations.add(new Violation(List.of(), "unrecognized_keys", "Unrecognized key(s) in object: "
                    + String.join(", ", unknown.stream().map(k -> "'" + abbreviate(k) + "'").toList())
                    + "; " + takes));
        }
        return new Read.Parsed(object, violations);
    }

    /** {@code text} cut to 60 code points with control characters replaced, for quoting in a message. */
    static String abbreviate(String text) {
        String clean = text.codePoints().limit(60).map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return text.length() > 60 ? clean + "..." : clean;
    }

    private static Read refused(Violation violation) {
        return new Read.Refused(Problem.invalidRequest(List.of(violation)));
    }
}
