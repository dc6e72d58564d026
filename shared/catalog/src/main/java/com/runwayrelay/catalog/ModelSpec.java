package com.runwayrelay.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One model of one endpoint, compiled from the data files.
 *
 * @param name          the {@code model} value
 * @param closed        whether unknown fields are rejected (reference §1: newer variants are
 *                      {@code additionalProperties:false})
 * @param defaults      documented defaults of optional fields, used by rules and prices
 * @param schema        the request schema, compiled on first use
 * @param rules         cross-field rules checked after the schema
 * @param price         the credit formula, empty when no source gives one
 * @param outputsField  the request field giving the number of outputs ({@code outputCount}), if any
 * @param fixedOutputs  the number of outputs when the variant always makes the same number, else 0
 */
record ModelSpec(String name, boolean closed, Map<String, JsonNode> defaults, ModelSchema schema,
        List<CrossFieldRule> rules, Optional<PriceFormula> price, Optional<String> outputsField,
        int fixedOutputs) {
    ModelSpec {
        defaults = Map.copyOf(defaults);
        rules = List.copyOf(rules);
    }
}
