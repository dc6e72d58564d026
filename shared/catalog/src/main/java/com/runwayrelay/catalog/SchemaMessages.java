package com.runwayrelay.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import com.runwayrelay.domain.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the validator library's messages into {@link Violation}s with Zod-like codes (the codes
 * Runway puts in its 400 {@code issues[]}) and sentences that name the field, the limit and the
 * value given.
 */
final class SchemaMessages {
    private static final int ENUM_LIST_MAX = 30;

    private SchemaMessages() {}

    static Violation toViolation(ValidationMessage message) {
        List<Object> path = InstancePath.segments(message.getInstanceLocation());
        Map<String, Object> details = message.getDetails();
        if (details != null && details.containsKey(CustomKeywords.DETAIL_CODE)) {
            return new Violation(path, (String) details.get(CustomKeywords.DETAIL_CODE),
                    (String) details.get(CustomKeywords.DETAIL_TEXT));
        }
        String field = InstancePath.dotted(path);
        JsonNode value = message.getInstanceNode();
        JsonNode limit = message.getSchemaNode();
        String type = message.getType();
        return switch (type) {
            case "required" -> {
                List<Object> missing = InstancePath.append(path, message.getProperty());
                yield new Violation(missing, "invalid_type", InstancePath.dotted(missing) + " is required");
            }
            case "additionalProperties", "unevaluatedProperties" -> {
                List<Object> extra = InstancePath.append(path, message.getProperty());
                yield new Violation(extra, "unrecognized_keys", "Unrecognized key '" + message.getProperty() + "'"
                        + (path.isEmpty() ? "" : " in " + field) + ": this model does not accept it");
            }
            case "type" -> new Violation(path, "invalid_type",
                    field + " must be " + expectedType(limit) + " (got " + describe(value) + ")");
            case "enum" -> new Violation(path, "invalid_enum_value",
                    field + " must be one of " + enumList(limit) + " (got " + describe(value) + ")");
            case "const" -> new Violation(path, "invalid_literal",
                    field + " must be " + limit + " (got " + describe(value) + ")");
            case "minimum" -> new Violation(path, "too_small",
                    field + " must be at least " + limit.asText() + " (got " + describe(value) + ")");
            case "maximum" -> new Violation(path, "too_big",
                    field + " must be at most " + limit.asText() + " (got " + describe(value) + ")");
            case "exclusiveMinimum" -> new Violation(path, "too_small",
                    field + " must be greater than " + limit.asText() + " (got " + describe(value) + ")");
            case "exclusiveMaximum" -> new Violation(path, "too_big",
                    field + " must be less than " + limit.asText() + " (got " + describe(value) + ")");
            case "minItems" -> new Violation(path, "too_small", field + " must contain at least "
                    + items(limit.asInt()) + " (got " + value.size() + ")");
            case "maxItems" -> new Violation(path, "too_big", field + " must contain at most "
                    + items(limit.asInt()) + " (got " + value.size() + ")");
            case "pattern" -> new Violation(path, "invalid_string",
                    field + " must match " + limit.asText() + " (got " + describe(value) + ")");
            case "uniqueItems" -> new Violation(path, "custom", field + " must not contain duplicates");
            case "false" -> new Violation(path, "unrecognized_keys", field + " is not allowed here");
            default -> new Violation(path, "custom", field + ": " + message.getMessage());
        };
    }

    private static String items(int n) {
        return n + (n == 1 ? " item" : " items");
    }

    private static String expectedType(JsonNode type) {
        List<String> names = new ArrayList<>();
        if (type != null && type.isArray()) {
            type.forEach(t -> names.add(article(t.asText())));
        } else if (type != null) {
            names.add(article(type.asText()));
        }
        return String.join(" or ", names);
    }

    private static String article(String jsonType) {
        return switch (jsonType) {
            case "integer" -> "an integer";
            case "object" -> "an object";
            case "array" -> "an array";
            case "null" -> "null";
            default -> "a " + jsonType;
        };
    }

    private static String enumList(JsonNode values) {
        if (values == null || !values.isArray()) {
            return String.valueOf(values);
        }
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < values.size() && i < ENUM_LIST_MAX; i++) {
            shown.add(values.get(i).isTextual() ? values.get(i).textValue() : values.get(i).toString());
        }
        String joined = String.join(", ", shown);
        return values.size() > ENUM_LIST_MAX ? joined + ", … (" + values.size() + " values)" : joined;
    }

    /** A short rendering of what the client sent, including its JSON type. */
    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        return switch (value.getNodeType()) {
            case STRING -> "\"" + MediaUri.echo(value.textValue()) + "\"";
            case NUMBER, BOOLEAN -> value.asText();
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
