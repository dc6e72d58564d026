package com.runwayrelay.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.media.MediaKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the catalog data files ({@code index.json}, {@code defs.json} and one file per endpoint)
 * from the classpath. Any inconsistency is a {@link CatalogLoadException} naming the file and
 * model. Models' schemas are prepared at once and compiled either at once ({@code eager}) or on
 * first use ({@link ModelSchema}).
 */
final class CatalogReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
    private static final Set<String> MODEL_KEYS = Set.of("model", "version", "unknownFields", "defaults", "outputs", "price",
            "rules", "schema", "x-unconfirmed", "x-source", "x-note");
    private static final Set<String> ENDPOINT_KEYS = Set.of("endpoint", "output", "selector", "freeSelector", "models",
            "retired", "x-note");
    /** The request fields a catalog endpoint may select its variants by ({@code selector}). */
    private static final Set<String> SELECTORS = Set.of("model", "version", "configId");
    /**
     * Selectors whose values the catalog does not list ({@code configId}: a Model Router slug the
     * operator chooses): the endpoint has one variant, and {@code freeSelector} gives the values' form.
     */
    private static final Set<String> FREE_SELECTORS = Set.of("configId");
    /** Annotations the data may carry anywhere in a schema; they document, they do not validate. */
    private static final List<String> ANNOTATIONS = List.of("x-unconfirmed", "x-source", "x-note");

    private final String root;
    private final ClassLoader loader;
    private final boolean eager;

    /**
     * @param eager compile every schema while reading (a schema that does not compile fails the
     *              load); otherwise each is compiled when first used
     */
    CatalogReader(String root, ClassLoader loader, boolean eager) {
        this.root = root.endsWith("/") ? root : root + "/";
        this.loader = loader;
        this.eager = eager;
    }

    Map<String, EndpointSpec> read() {
        JsonNode index = readJson("index.json");
        JsonNode defs = readJson(index.path("defs").asText("defs.json")).path("$defs");
        if (!defs.isObject()) {
            throw new CatalogLoadException(root + "defs file has no $defs object");
        }
        Map<String, EndpointSpec> endpoints = new LinkedHashMap<>();
        for (JsonNode file : index.path("endpoints")) {
            EndpointSpec endpoint = endpoint(file.asText(), readJson(file.asText()), (ObjectNode) defs);
            if (endpoints.put(endpoint.name(), endpoint) != null) {
                throw new CatalogLoadException("endpoint " + endpoint.name() + " is declared twice");
            }
        }
        if (endpoints.isEmpty()) {
            throw new CatalogLoadException(root + "index.json lists no endpoints");
        }
        return endpoints;
    }

    private EndpointSpec endpoint(String file, JsonNode data, ObjectNode defs) {
        unknownKeys(file, data, ENDPOINT_KEYS);
        String name = required(file, data, "endpoint");
        MediaKind output;
        try {
            output = MediaKind.valueOf(required(file, data, "output").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CatalogLoadException(file + ": output must be image, video or audio", e);
        }
        String selector = data.path("selector").asText("model");
        if (!SELECTORS.contains(selector)) {
            throw new CatalogLoadException(file + ": selector must be one of " + SELECTORS + ", got " + selector);
        }
        boolean free = FREE_SELECTORS.contains(selector);
        JsonNode pattern = data.get("freeSelector");
        if (free != (pattern != null)) {
            throw new CatalogLoadException(file + ": freeSelector is given exactly for the selectors " + FREE_SELECTORS);
        }
        if (free && (!pattern.path("regex").isTextual() || !pattern.path("expected").isTextual()
                || data.path("models").size() != 1 || !data.path("retired").isEmpty())) {
            throw new CatalogLoadException(file + ": a free selector needs freeSelector {regex, expected}, exactly one"
                    + " variant and no retired ones");
        }
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        for (JsonNode model : data.path("models")) {
            List<String> names = free ? List.of(EndpointSpec.ANY) : variantNames(file, model, selector);
            if (free && model.has(selector)) {
                throw new CatalogLoadException(file + ": the variant of a free selector names no " + selector);
            }
            ModelSpec spec = model(file, model, defs, selector, names, free ? (ObjectNode) pattern : null);
            for (String variant : names) {
                if (models.put(variant, spec) != null) {
                    throw new CatalogLoadException(file + ": " + selector + " " + variant + " is declared twice");
                }
            }
        }
        Map<String, String> retired = new LinkedHashMap<>();
        for (JsonNode gone : data.path("retired")) {
            String model = required(file, gone, "model");
            String replacement = required(file, gone, "replacement");
            if (models.containsKey(model)) {
                throw new CatalogLoadException(file + ": " + model + " is both current and retired");
            }
            if (!models.containsKey(replacement)) {
                throw new CatalogLoadException(file + ": retired " + model + " names replacement " + replacement
                        + ", which is not a current model of " + name);
            }
            retired.put(model, replacement);
        }
        if (models.isEmpty()) {
            throw new CatalogLoadException(file + ": endpoint " + name + " has no models");
        }
        return new EndpointSpec(name, output, selector, free, models, retired);
    }

    /**
     * The selector values a variant entry serves: {@code "model": "gen4.5"}, or for a
     * {@code version} selector one value or several sharing one schema
     * ({@code "version": ["2026-06", "unsafe-latest"]}).
     */
    private static List<String> variantNames(String file, JsonNode data, String selector) {
        String other = selector.equals("model") ? "version" : "model";
        if (data.has(other)) {
            throw new CatalogLoadException(file + ": this endpoint selects by " + selector + ", a variant has '"
                    + other + "'");
        }
        JsonNode value = data.get(selector);
        if (value != null && value.isArray() && !selector.equals("model") && !value.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (JsonNode name : value) {
                if (!name.isTextual() || name.textValue().isBlank()) {
                    throw new CatalogLoadException(file + ": '" + selector + "' values must be non-empty strings");
                }
                names.add(name.textValue());
            }
            return names;
        }
        return List.of(required(file, data, selector));
    }

    /** @param freeForm the form of a free selector's values ({@code freeSelector}), else null */
    private ModelSpec model(String file, JsonNode data, ObjectNode defs, String selector, List<String> names,
                            ObjectNode freeForm) {
        String name = names.get(0);
        String where = file + " " + selector + " " + String.join("/", names);
        unknownKeys(where, data, MODEL_KEYS);
        String unknownFields = required(where, data, "unknownFields");
        if (!unknownFields.equals("reject") && !unknownFields.equals("ignore")) {
            throw new CatalogLoadException(where + ": unknownFields must be reject or ignore");
        }
        boolean closed = unknownFields.equals("reject");
        if (!data.path("schema").isObject()) {
            throw new CatalogLoadException(where + ": schema must be an object");
        }
        ObjectNode schema = data.get("schema").deepCopy();
        schema.put("$schema", DRAFT);
        schema.put("type", "object");
        ObjectNode properties = schema.has("properties") ? (ObjectNode) schema.get("properties") : schema.putObject("properties");
        if (freeForm != null) {
            properties.putObject(selector).put("type", "string").set(CustomKeywords.PATTERN, freeForm.deepCopy());
        } else if (names.size() == 1) {
            properties.putObject(selector).put("const", name);
        } else {
            ArrayNode values = properties.putObject(selector).putArray("enum");
            names.forEach(values::add);
        }
        ArrayNode required = schema.has("required") ? (ArrayNode) schema.get("required") : schema.putArray("required");
        ObjectNode modelDefs = defs.deepCopy();
        if (schema.has("$defs")) {
            schema.get("$defs").properties().forEach(e -> modelDefs.set(e.getKey(), e.getValue()));
        }
        schema.set("$defs", modelDefs);
        if (closed) {
            close(schema);
        }
        renameLengthKeywords(schema);
        for (JsonNode field : required) {
            if (!properties.has(field.asText())) {
                throw new CatalogLoadException(where + ": required field " + field.asText() + " is not in properties");
            }
        }
        ModelSchema compiled = new ModelSchema(where, schema);
        if (eager) {
            compiled.get();
        }
        Map<String, JsonNode> defaults = new HashMap<>();
        data.path("defaults").properties().forEach(e -> defaults.put(e.getKey(), e.getValue()));
        List<CrossFieldRule> rules = new ArrayList<>();
        for (JsonNode rule : data.path("rules")) {
            try {
                rules.add(CrossFieldRule.parse(rule));
            } catch (CatalogLoadException e) {
                throw new CatalogLoadException(where + ": " + e.getMessage(), e);
            }
        }
        Optional<PriceFormula> price = data.has("price")
                ? Optional.of(PriceFormula.parse(where, data.get("price"))) : Optional.empty();
        Optional<String> outputs = Optional.ofNullable(data.path("outputs").path("field").asText(null));
        int fixedOutputs = data.path("outputs").path("fixed").asInt(0);
        if (data.path("outputs").has("fixed") && fixedOutputs < 1) {
            throw new CatalogLoadException(where + ": outputs.fixed must be a positive integer");
        }
        return new ModelSpec(name, closed, defaults, compiled, rules, price, outputs, fixedOutputs);
    }

    /**
     * Marks every object schema that declares its properties as closed, so a closed model
     * rejects unknown keys at every depth. Branch schemas ({@code then}, {@code else}) that only
     * refine properties declare no {@code type} and stay open.
     */
    private static void close(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if ("object".equals(object.path("type").asText()) && object.has("properties")
                    && !object.has("additionalProperties")) {
                object.set("additionalProperties", BooleanNode.FALSE);
            }
            object.properties().forEach(e -> close(e.getValue()));
        } else if (node instanceof ArrayNode array) {
            array.forEach(CatalogReader::close);
        }
    }

    /** Points the standard length keywords at our UTF-16 implementation (see {@link CustomKeywords}). */
    private static void renameLengthKeywords(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String[] names : new String[][] {{"minLength", CustomKeywords.MIN_LENGTH},
                    {"maxLength", CustomKeywords.MAX_LENGTH}}) {
                JsonNode limit = object.get(names[0]);
                if (limit != null && limit.isNumber()) {
                    object.remove(names[0]);
                    object.set(names[1], limit);
                }
            }
            object.properties().forEach(e -> renameLengthKeywords(e.getValue()));
        } else if (node instanceof ArrayNode array) {
            array.forEach(CatalogReader::renameLengthKeywords);
        }
    }

    private JsonNode readJson(String file) {
        try (InputStream in = loader.getResourceAsStream(root + file)) {
            if (in == null) {
                throw new CatalogLoadException("catalog file " + root + file + " is not on the classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new CatalogLoadException("catalog file " + root + file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String required(String where, JsonNode data, String key) {
        JsonNode value = data.get(key);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new CatalogLoadException(where + ": '" + key + "' must be a non-empty string");
        }
        return value.textValue();
    }

    private static void unknownKeys(String where, JsonNode data, Set<String> allowed) {
        List<String> unknown = new ArrayList<>();
        data.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                unknown.add(k);
            }
        });
        if (!unknown.isEmpty()) {
            throw new CatalogLoadException(where + ": unknown keys " + unknown + " (allowed: " + allowed + ")");
        }
    }
}
