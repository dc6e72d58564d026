package com.runwayrelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An EventBridge event pattern, as Lambda applies it to event source records ({@code FilterCriteria}),
 * limited to the operators a stream filter needs: exact values (strings, numbers, booleans, null),
 * {@code anything-but} (one value or a list), {@code exists}, {@code prefix}, {@code suffix} and
 * {@code equals-ignore-case}.
 *
 * <p>Semantics follow EventBridge: every field the pattern names must be present in the record
 * (only {@code {"exists": false}} matches a missing field), a list of matchers matches when any of
 * them does, and a record value that is an array matches when any element does. A pattern using
 * an operator outside that subset is refused when parsed, never silently ignored.
 */
final class EventPattern {

    private final String source;
    private final Node root;

    private EventPattern(String source, Node root) {
        this.source = source;
        this.root = root;
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException naming the path and the problem if the text is not JSON, not an
     *     object, or uses a shape or operator this class does not implement
     */
    static EventPattern parse(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(pattern);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("event pattern is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("event pattern must be a JSON object: " + pattern);
        }
        return new EventPattern(pattern, fields(tree, "$"));
    }

    /** Whether the record (as Lambda renders it in JSON) matches. */
    boolean matches(JsonNode record) {
        return root.matches(record == null ? MissingNode.getInstance() : record);
    }

    @Override
    public String toString() {
        return source;
    }

    private static Node fields(JsonNode object, String path) {
        if (object.isEmpty()) {
            throw new IllegalArgumentException("empty object at " + path + " in event pattern");
        }
        List<Map.Entry<String, Node>> children = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String childPath = path + "." + field.getKey();
            JsonNode value = field.getValue();
            Node child;
            if (value.isObject()) {
                child = fields(value, childPath);
            } else if (value.isArray()) {
                child = leaf(value, childPath);
            } else {
                throw new IllegalArgumentException("event pattern value at " + childPath
                        + " must be an array of matchers or an object, found " + value);
            }
            children.add(Map.entry(field.getKey(), child));
        }
        return new FieldsNode(List.copyOf(children));
    }

    private static Node leaf(JsonNode array, String path) {
        if (array.isEmpty()) {
            throw new IllegalArgumentException("empty matcher list at " + path + " in event pattern");
        }
        List<Matcher> matchers = new ArrayList<>();
        for (JsonNode element : array) {
            matchers.add(matcher(element, path));
        }
        return new LeafNode(List.copyOf(matchers));
    }

    private static Matcher matcher(JsonNode element, String path) {
        if (element.isValueNode()) {
            return value -> equal(element, value);
        }
        if (!element.isObject() || element.size() != 1) {
            throw new IllegalArgumentException("matcher at " + path + " must be a value or an object with one operator, found " + element);
        }
        Map.Entry<String, JsonNode> operator = element.properties().iterator().next();
        JsonNode argument = operator.getValue();
        return switch (operator.getKey()) {
            case "exists" -> {
                if (!argument.isBoolean()) {
                    throw new IllegalArgumentException("\"exists\" at " + path + " takes true or false, found " + argument);
                }
                boolean wanted = argument.booleanValue();
                yield new Matcher() {
                    @Override
                    public boolean test(JsonNode value) {
                        return wanted;
                    }

                    @Override
                    public boolean testMissing() {
                        return !wanted;
                    }
                };
            }
            case "anything-but" -> {
                List<JsonNode> excluded = new ArrayList<>();
                if (argument.isArray()) {
                    argument.forEach(excluded::add);
                } else {
                    excluded.add(argument);
                }
                if (excluded.isEmpty() || excluded.stream().anyMatch(e -> !e.isValueNode())) {
                    throw new IllegalArgumentException("\"anything-but\" at " + path
                            + " takes a value or a non-empty list of values here, found " + argument);
                }
                yield value -> value.isValueNode() && excluded.stream().noneMatch(e -> equal(e, value));
            }
            case "prefix" -> {
                String prefix = textArgument(operator.getKey(), argument, path);
                yield value -> value.isTextual() && value.textValue().startsWith(prefix);
            }
            case "suffix" -> {
                String suffix = textArgument(operator.getKey(), argument, path);
                yield value -> value.isTextual() && value.textValue().endsWith(suffix);
            }
            case "equals-ignore-case" -> {
                String expected = textArgument(operator.getKey(), argument, path).toLowerCase(Locale.ROOT);
                yield value -> value.isTextual() && value.textValue().toLowerCase(Locale.ROOT).equals(expected);
            }
            default -> throw new IllegalArgumentException("event pattern operator \"" + operator.getKey() + "\" at " + path
                    + " is not supported by the local stack (supported: exact values, anything-but, exists, prefix, suffix, equals-ignore-case)");
        };
    }

    private static String textArgument(String operator, JsonNode argument, String path) {
        if (!argument.isTextual()) {
            throw new IllegalArgumentException("\"" + operator + "\" at " + path + " takes a string here, found " + argument);
        }
        return argument.textValue();
    }

    private static boolean equal(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return new BigDecimal(expected.asText()).compareTo(new BigDecimal(actual.asText())) == 0;
        }
        return expected.equals(actual);
    }

    private interface Node {
        boolean matches(JsonNode value);
    }

    private interface Matcher {
        boolean test(JsonNode value);

        default boolean testMissing() {
            return false;
        }
    }

    private record FieldsNode(List<Map.Entry<String, Node>> children) implements Node {
        @Override
        public boolean matches(JsonNode value) {
            for (Map.Entry<String, Node> child : children) {
                JsonNode field = value.isObject() ? value.path(child.getKey()) : MissingNode.getInstance();
                if (!child.getValue().matches(field)) {
                    return false;
                }
            }
            return true;
        }
    }

    private record LeafNode(List<Matcher> matchers) implements Node {
        @Override
        public boolean matches(JsonNode value) {
            if (value.isMissingNode()) {
                return matchers.stream().anyMatch(Matcher::testMissing);
            }
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (matchesOne(element)) {
                        return true;
                    }
                }
                return false;
            }
            return matchesOne(value);
        }

        private boolean matchesOne(JsonNode value) {
            return matchers.stream().anyMatch(m -> m.test(value));
        }
    }
}
