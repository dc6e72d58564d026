package com.runwayrelay.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A model's credit price as data (the {@code price} object of a model, see README):
 * {@code credits = max(minimum, ceil((rate + Σ add) × units × count))}.
 * <ul>
 *   <li>{@code rate}: a number, or {@code {"field": f, "values": {value: rate}}};</li>
 *   <li>{@code units}: {@code {"field": f, "values": {...}, "absent": n}} (e.g. seconds of
 *       {@code duration}, with {@code "auto"} billed at the maximum), {@code {"fixed": n}} when
 *       the request does not say (the documented maximum), or
 *       {@code {"lengthOf": f, "per": n}} for per-character pricing; 1 when omitted;</li>
 *   <li>{@code count}: {@code {"field": "outputCount", "absent": 1}}, a multiplier;</li>
 *   <li>{@code add}: per-unit surcharges, {@code {"field": f, "values": {...}}} or
 *       {@code {"eachItemOf": array, "amount": n}};</li>
 *   <li>{@code minimum}: a floor for the whole task.</li>
 * </ul>
 * A field absent from the body takes the model's default. When a value has no price the
 * estimate is unknown (empty), never guessed.
 */
final class PriceFormula {
    private final JsonNode spec;

    private PriceFormula(JsonNode spec) {
        this.spec = spec;
    }

    static PriceFormula parse(String where, JsonNode spec) {
        if (!spec.isObject() || !spec.has("rate")) {
            throw new CatalogLoadException(where + ": price needs a 'rate': " + spec);
        }
        PriceFormula formula = new PriceFormula(spec.deepCopy());
        List<String> unknownKeys = new ArrayList<>();
        spec.fieldNames().forEachRemaining(k -> {
            if (!List.of("per", "rate", "units", "count", "add", "minimum", "x-unconfirmed", "x-source").contains(k)) {
                unknownKeys.add(k);
            }
        });
        if (!unknownKeys.isEmpty()) {
            throw new CatalogLoadException(where + ": unknown price keys " + unknownKeys);
        }
        return formula;
    }

    OptionalLong credits(JsonNode body, Map<String, JsonNode> defaults) {
        OptionalDouble rate = lookup(spec.get("rate"), body, defaults);
        OptionalDouble units = units(spec.get("units"), body, defaults);
        OptionalDouble count = spec.has("count") ? lookup(spec.get("count"), body, defaults) : OptionalDouble.of(1);
        if (rate.isEmpty() || units.isEmpty() || count.isEmpty()) {
            return OptionalLong.empty();
        }
        double perUnit = rate.getAsDouble();
        for (JsonNode add : spec.path("add")) {
            if (add.has("eachItemOf")) {
                JsonNode items = body.path(add.get("eachItemOf").asText());
                perUnit += (items.isArray() ? items.size() : 0) * add.path("amount").asDouble();
            } else {
                perUnit += surcharge(add, body, defaults);
            }
        }
        long total = (long) Math.ceil(perUnit * units.getAsDouble() * count.getAsDouble() - 1e-9);
        long minimum = spec.path("minimum").asLong(0);
        return OptionalLong.of(Math.max(minimum, total));
    }

    private static OptionalDouble units(JsonNode units, JsonNode body, Map<String, JsonNode> defaults) {
        if (units == null) {
            return OptionalDouble.of(1);
        }
        if (units.has("fixed")) {
            return OptionalDouble.of(units.get("fixed").asDouble());
        }
        if (units.has("lengthOf")) {
            JsonNode text = body.path(units.get("lengthOf").asText());
            if (!text.isTextual()) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(Math.ceil(text.textValue().length() / units.path("per").asDouble(1)));
        }
        return lookup(units, body, defaults);
    }

    /** The mapped surcharge for a field's value; values without an entry cost nothing extra. */
    private static double surcharge(JsonNode add, JsonNode body, Map<String, JsonNode> defaults) {
        String field = add.path("field").asText();
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            value = defaults.get(field);
        }
        JsonNode mapped = value == null ? null : add.path("values").get(value.asText());
        return mapped != null && mapped.isNumber() ? mapped.asDouble() : 0;
    }

    /** A number, or the value of a field (mapped through {@code values} when given). */
    private static OptionalDouble lookup(JsonNode node, JsonNode body, Map<String, JsonNode> defaults) {
        if (node == null) {
            return OptionalDouble.empty();
        }
        if (node.isNumber()) {
            return OptionalDouble.of(node.asDouble());
        }
        String field = node.path("field").asText();
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            value = defaults.get(field);
        }
        if (value == null) {
            JsonNode absent = node.get("absent");
            return absent != null && absent.isNumber() ? OptionalDouble.of(absent.asDouble()) : OptionalDouble.empty();
        }
        JsonNode values = node.get("values");
        if (values != null) {
            JsonNode mapped = values.get(value.asText());
            if (mapped != null && mapped.isNumber()) {
                return OptionalDouble.of(mapped.asDouble());
            }
        }
        return value.isNumber() ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
    }
}
