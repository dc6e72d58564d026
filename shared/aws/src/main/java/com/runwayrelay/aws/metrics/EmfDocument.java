package com.runwayrelay.aws.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One embedded metric format document read back from a log line, checked against the structure the
 * EMF specification requires: a JSON object whose {@code _aws} member holds a millisecond
 * {@code Timestamp} and a non-empty {@code CloudWatchMetrics} array of directives, each with a
 * {@code Namespace}, {@code Dimensions} (arrays of keys, each key a top-level string member) and
 * {@code Metrics} (each a {@code Name}, an optional known {@code Unit}, and a top-level number or
 * array of numbers under that name). The local stack aggregates the functions' metrics from these;
 * tests check the adapter's output with them.
 *
 * @param timestamp  {@code _aws.Timestamp}
 * @param directives the metric directives
 * @param root       the top-level members (dimension values, metric values, other properties)
 */
public record EmfDocument(Instant timestamp, List<Directive> directives, Map<String, JsonNode> root) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The units CloudWatch accepts. */
    static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
            "Count/Second", "None");

    public EmfDocument {
        Objects.requireNonNull(timestamp, "timestamp");
        directives = List.copyOf(directives);
        root = Map.copyOf(root);
    }

    /** One {@code CloudWatchMetrics} entry. */
    public record Directive(String namespace, List<List<String>> dimensions, List<MetricDefinition> metrics) {
        public Directive {
            dimensions = dimensions.stream().map(List::copyOf).toList();
            metrics = List.copyOf(metrics);
        }
    }

    /** One metric of a directive, with its values from the document's root. */
    public record MetricDefinition(String name, String unit, List<Double> values) {
        public MetricDefinition {
            values = List.copyOf(values);
        }
    }

    /** A line that is not a valid EMF document although it claims to be one. */
    public static final class InvalidEmfException extends RuntimeException {
        InvalidEmfException(String message) {
            super(message);
        }
    }

    /**
     * The document in {@code line}, or empty when the line is not a JSON object with an {@code _aws}
     * member (an ordinary log line).
     *
     * @throws InvalidEmfException when it has one but breaks the specification's structure
     */
    public static Optional<EmfDocument> parse(String line) {
        if (line == null || !line.contains("\"_aws\"")) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject() || !node.has("_aws")) {
            return Optional.empty();
        }
        return Optional.of(read(node));
    }

    private static EmfDocument read(JsonNode node) {
        JsonNode aws = node.get("_aws");
        require(aws.isObject(), "_aws must be an object");
        JsonNode timestamp = aws.get("Timestamp");
        require(timestamp != null && timestamp.isIntegralNumber() && timestamp.asLong() >= 0,
                "_aws.Timestamp must be a non-negative integer of epoch milliseconds");
        JsonNode directives = aws.get("CloudWatchMetrics");
        require(directives != null && directives.isArray() && !directives.isEmpty(),
                "_aws.CloudWatchMetrics must be a non-empty array");
        List<Directive> read = new ArrayList<>();
        for (JsonNode directive : directives) {
            read.add(directive(directive, node));
        }
        Map<String, JsonNode> root = new LinkedHashMap<>();
        node.properties().forEach(e -> root.put(e.getKey(), e.getValue()));
        return new EmfDocument(Instant.ofEpochMilli(timestamp.asLong()), read, root);
    }

    private static Directive directive(JsonNode directive, JsonNode root) {
        require(directive.isObject(), "a CloudWatchMetrics entry must be an object");
        JsonNode namespace = directive.get("Namespace");
        require(namespace != null && namespace.isTextual() && !namespace.asText().isEmpty()
                && namespace.asText().length() <= 255, "Namespace must be a string of 1 to 255 characters");
        JsonNode dimensions = directive.get("Dimensions");
        require(dimensions != null && dimensions.isArray(), "Dimensions must be an array of dimension sets");
        List<List<String>> sets = new ArrayList<>();
        for (JsonNode set : dimensions) {
            require(set.isArray() && set.size() <= 30, "a dimension set must be an array of at most 30 keys");
            List<String> keys = new ArrayList<>();
            for (JsonNode key : set) {
                require(key.isTextual(), "a dimension key must be a string");
                JsonNode value = root.get(key.asText());
                require(value != null && value.isTextual(), "dimension " + key.asText()
                        + " must have a string value at the top level");
                keys.add(key.asText());
            }
            sets.add(keys);
        }
        JsonNode metrics = directive.get("Metrics");
        require(metrics != null && metrics.isArray() && !metrics.isEmpty() && metrics.size() <= 100,
                "Metrics must be an array of 1 to 100 metric definitions");
        List<MetricDefinition> definitions = new ArrayList<>();
        for (JsonNode metric : metrics) {
            JsonNode name = metric.get("Name");
            require(name != null && name.isTextual() && !name.asText().isEmpty(), "a metric needs a Name");
            JsonNode unit = metric.get("Unit");
            require(unit == null || unit.isTextual() && UNITS.contains(unit.asText()),
                    "metric " + name.asText() + " has an unknown Unit " + unit);
            definitions.add(new MetricDefinition(name.asText(), unit == null ? "None" : unit.asText(),
                    values(name.asText(), root.get(name.asText()))));
        }
        return new Directive(namespace.asText(), sets, definitions);
    }

    private static List<Double> values(String name, JsonNode value) {
        require(value != null, "metric " + name + " has no value at the top level");
        if (value.isNumber()) {
            return List.of(value.asDouble());
        }
        require(value.isArray() && !value.isEmpty() && value.size() <= 100,
                "metric " + name + " must be a number or an array of 1 to 100 numbers");
        List<Double> values = new ArrayList<>();
        for (JsonNode item : value) {
            require(item.isNumber(), "metric " + name + " has a value that is not a number");
            values.add(item.asDouble());
        }
        return values;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new InvalidEmfException(message);
        }
    }

    /** The value of dimension or property {@code key} at the top level, if it is a string. */
    public Optional<String> text(String key) {
        JsonNode value = root.get(key);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }
}
