package com.runwayrelay.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.ValidationMessage;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.media.MediaKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Runway model catalog, loaded from the data files under {@code catalog/} on the classpath.
 *
 * <p>Every endpoint, model, field limit, cross-field rule and price lives in those files (see
 * this module's README); this class is the one generic validator over them. An instance is
 * immutable and safe to share between threads. The shipped catalog compiles each model's schema
 * when a body for that model is first validated (once per model and process); other catalogs
 * compile all of them at load.
 *
 * <p>Endpoint names are given without the {@code /v1/} prefix, e.g. {@code text_to_image}.
 */
public final class Catalog {
    private static final String DEFAULT_ROOT = "catalog";

    private final Map<String, EndpointSpec> endpoints;

    private Catalog(Map<String, EndpointSpec> endpoints) {
        this.endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }

    /**
     * Loads the catalog shipped in this module's resources. Fails fast on malformed data.
     * The catalog is immutable, so every call returns the same instance.
     *
     * @throws CatalogLoadException when a data file is missing or inconsistent
     */
    public static Catalog loadDefault() {
        return Default.INSTANCE;
    }

    /** Loads a catalog from another classpath folder laid out like {@code catalog/} (tests, forks). */
    static Catalog load(String resourceRoot) {
        return load(resourceRoot, true);
    }

    /** As {@link #load(String)}; {@code eager} false compiles each schema on first use, as the shipped catalog does. */
    static Catalog load(String resourceRoot, boolean eager) {
        return new Catalog(new CatalogReader(resourceRoot, Catalog.class.getClassLoader(), eager).read());
    }

    private static final class Default {
        // lazy: the shipped schemas are all compiled by CatalogCoverageTest, not at every cold start
        static final Catalog INSTANCE = load(DEFAULT_ROOT, false);
    }

    /**
     * Compiles every model's schema not compiled yet, e.g. before a snapshot is taken, so that no
     * request after it pays for a compilation.
     *
     * @throws CatalogLoadException when one does not compile
     */
    public void compileAll() {
        endpoints.values().forEach(e -> e.models().values().forEach(m -> m.schema().get()));
    }

    /** How many models' schemas are compiled so far (tests of the lazy compilation). */
    int compiledSchemas() {
        return (int) endpoints.values().stream().flatMap(e -> e.models().values().stream())
                .filter(m -> m.schema().isCompiled()).count();
    }

    /** Endpoint names without the {@code /v1/} prefix, e.g. {@code text_to_image}, in catalog order. */
    public Set<String> endpoints() {
        return endpoints.keySet();
    }

    /**
     * Current (non-retired) model names accepted by an endpoint, or for a recipe its versions
     * ({@link #selector}); empty for an unknown endpoint and for one whose selector takes values the
     * catalog does not list ({@link #freeSelector}).
     */
    public List<String> models(String endpoint) {
        EndpointSpec spec = endpoints.get(endpoint);
        return spec == null || spec.free() ? List.of() : List.copyOf(spec.models().keySet());
    }

    /**
     * Whether the endpoint's selector takes values the catalog does not list: the Model Router's
     * {@code configId}, a slug the operator chose. Any value of the right form is validated against
     * the endpoint's one variant; which values an app may send is the gateway's check, not the catalog's.
     */
    public boolean freeSelector(String endpoint) {
        EndpointSpec spec = endpoints.get(endpoint);
        return spec != null && spec.free();
    }

    /**
     * The kind of media the endpoint's outputs are ({@code IMAGE}, {@code VIDEO}, {@code AUDIO}).
     * Empty for an unknown endpoint. All models of an endpoint produce the same kind, so a model
     * the catalog does not list (a passthrough) gets the endpoint's kind.
     */
    public Optional<MediaKind> outputKind(String endpoint, String model) {
        return Optional.ofNullable(endpoints.get(endpoint)).map(EndpointSpec::output);
    }

    /**
     * Validates a request body for an endpoint. Reports every violation at once.
     *
     * <p>Codes follow Zod as Runway's 400 {@code issues[]} do ({@code invalid_type},
     * {@code too_small}, {@code too_big}, {@code invalid_enum_value}, {@code invalid_literal},
     * {@code unrecognized_keys}, {@code invalid_string}, {@code custom}), plus
     * {@code unknown_endpoint}, {@code unknown_model} and {@code retired_model}. A retired model,
     * and a catalog model sent to an endpoint that does not accept it, are rejected under either
     * policy; passthrough only lets through names the catalog does not know at all.
     *
     * @param policy what to do with a model the catalog does not know
     */
    public ValidationResult validate(String endpoint, JsonNode body, UnknownModelPolicy policy) {
        EndpointSpec spec = endpoints.get(endpoint);
        String field = spec == null ? "model" : spec.selector();
        String model = body != null && body.path(field).isTextual() ? body.get(field).textValue() : null;
        if (spec == null) {
            return new ValidationResult(List.of(unknownEndpoint(endpoint)), model, false);
        }
        if (body == null || !body.isObject()) {
            return new ValidationResult(List.of(new Violation(List.of(), "invalid_type",
                    "The request body must be a JSON object (got " + SchemaMessages.describe(body) + ")")), model, false);
        }
        JsonNode modelNode = body.get(field);
        if (modelNode == null || modelNode.isNull()) {
            String accepted = spec.free() ? "the slug of a Model Router configuration"
                    : String.join(", ", spec.models().keySet());
            return new ValidationResult(List.of(new Violation(List.of(field), "invalid_type",
                    field + " is required; " + endpoint + " accepts " + accepted)), null, false);
        }
        if (!modelNode.isTextual()) {
            return new ValidationResult(List.of(new Violation(List.of(field), "invalid_type",
                    field + " must be a string (got " + SchemaMessages.describe(modelNode) + ")")), null, false);
        }
        ModelSpec modelSpec = spec.variant(model);
        if (modelSpec == null && !field.equals("model")) {
            // Versions are not models: no passthrough (a version the catalog does not know has no known fields).
            StringBuilder message = new StringBuilder("Unknown ").append(field).append(" '").append(model)
                    .append("' for ").append(endpoint).append('.');
            ModelSuggestions.closest(model, spec.models().keySet())
                    .ifPresent(s -> message.append(" Did you mean '").append(s).append("'?"));
            message.append(" Versions: ").append(String.join(", ", spec.models().keySet()));
            return new ValidationResult(List.of(new Violation(List.of(field), "unknown_" + field, message.toString())),
                    model, false);
        }
        if (modelSpec == null) {
            String replacement = spec.retired().get(model);
            if (replacement != null) {
                return new ValidationResult(List.of(new Violation(List.of("model"), "retired_model", "Model '" + model
                        + "' has been retired from " + endpoint + "; use '" + replacement + "' instead")), model, false);
            }
            // Passthrough is for models newer than the catalog, not for a known model sent to the wrong endpoint.
            boolean elsewhere = modelEndpoints().anyMatch(e -> e.models().containsKey(model));
            if (policy == UnknownModelPolicy.PASSTHROUGH && !elsewhere) {
                return new ValidationResult(List.of(), model, false);
            }
            return new ValidationResult(List.of(unknownModel(endpoint, spec, model)), model, false);
        }
        return new ValidationResult(check(modelSpec, (ObjectNode) body, null), model, true);
    }

    /**
     * The body field whose value selects the endpoint's variant: {@code model} for the task
     * endpoints, {@code version} for recipes. Empty for an unknown endpoint.
     */
    public Optional<String> selector(String endpoint) {
        return Optional.ofNullable(endpoints.get(endpoint)).map(EndpointSpec::selector);
    }

    /** The endpoints whose variants are models (not recipe versions). */
    private java.util.stream.Stream<EndpointSpec> modelEndpoints() {
        return endpoints.values().stream().filter(e -> e.selector().equals("model"));
    }

    /**
     * The maximum credits the request may cost (what Runway reports as {@code estimatedCost}),
     * or empty when the model is unknown, the body invalid, or no source gives the model's price.
     * Where the request does not fix the output length (e.g. act_two, whose output follows the
     * reference video) the estimate uses the documented maximum.
     */
    public Optional<Long> estimateCredits(String endpoint, JsonNode body) {
        ValidationResult result = validate(endpoint, body, UnknownModelPolicy.REJECT);
        if (!result.valid()) {
            return Optional.empty();
        }
        ModelSpec spec = endpoints.get(endpoint).variant(result.model());
        return spec.price().flatMap(price -> {
            var credits = price.credits(body, spec.defaults());
            return credits.isPresent() ? Optional.of(credits.getAsLong()) : Optional.empty();
        });
    }

    /**
     * Every media URI string in a body, with its path and the kinds of media its field accepts,
     * ordered by path (keys alphabetically, indexes numerically). Meant for structurally valid bodies: fields of the wrong type are skipped.
     *
     * <p>For a model the catalog does not know (passthrough) or an unknown endpoint, the fields
     * are not known either, so every string that looks like a URI ({@code scheme:} before any
     * space, e.g. {@code https://}, {@code http://}, {@code runway://}, {@code data:}) is
     * reported with all three kinds: a security policy must not miss one.
     */
    public List<MediaReference> mediaReferences(String endpoint, JsonNode body) {
        if (body == null || !body.isObject()) {
            return List.of();
        }
        EndpointSpec spec = endpoints.get(endpoint);
        ModelSpec model = spec == null ? null : spec.variant(body.path(spec.selector()).asText(""));
        List<MediaReference> found = new ArrayList<>();
        if (model == null) {
            scanForUris(body, new ArrayList<>(), found);
        } else {
            check(model, (ObjectNode) body, found);
        }
        found.sort(Comparator.comparing(MediaReference::path, Catalog::comparePaths));
        return List.copyOf(new LinkedHashSet<>(found));
    }

    /** The model to use instead of a retired one, e.g. {@code gen4_aleph} → {@code aleph2}. */
    public Optional<String> replacementFor(String endpoint, String retiredModel) {
        return Optional.ofNullable(endpoints.get(endpoint)).map(e -> e.retired().get(retiredModel));
    }

    /**
     * Whether the model rejects fields it does not declare (Runway's {@code additionalProperties:
     * false} variants). False for models that ignore them and for models the catalog does not know.
     */
    public boolean isClosed(String endpoint, String model) {
        EndpointSpec spec = endpoints.get(endpoint);
        ModelSpec modelSpec = spec == null ? null : spec.variant(model);
        return modelSpec != null && modelSpec.closed();
    }

    /**
     * How many output files the request will produce: the model's count field (e.g.
     * {@code outputCount} of image models, {@code /input/outputCount} of routed images) when given
     * as a positive integer, else 1.
     */
    public int outputCount(String endpoint, JsonNode body) {
        EndpointSpec spec = endpoints.get(endpoint);
        ModelSpec model = spec == null || body == null ? null : spec.variant(body.path(spec.selector()).asText(""));
        if (model != null && model.fixedOutputs() > 0) {
            return model.fixedOutputs();
        }
        if (model == null || model.outputsField().isEmpty()) {
            return 1;
        }
        String field = model.outputsField().get();
        // A field inside an object is named by a JSON Pointer (the router's /input/outputCount).
        JsonNode count = field.startsWith("/") ? body.at(field) : body.path(field);
        if (count.canConvertToExactIntegral() && count.asInt() > 0) {
            return count.asInt();
        }
        JsonNode fallback = model.defaults().get(model.outputsField().get());
        return fallback != null && fallback.asInt() > 0 ? fallback.asInt() : 1;
    }

    private static List<Violation> check(ModelSpec model, ObjectNode body, List<MediaReference> mediaSink) {
        Set<ValidationMessage> messages = model.schema().get().validate(body, OutputFormat.DEFAULT, context -> {
            if (mediaSink != null) {
                context.getCollectorContext().add(CustomKeywords.MEDIA_COLLECTOR, mediaSink);
            }
        });
        Set<Violation> violations = new LinkedHashSet<>();
        messages.forEach(m -> violations.add(SchemaMessages.toViolation(m)));
        for (CrossFieldRule rule : model.rules()) {
            violations.addAll(rule.check(body, model.defaults()));
        }
        // A value of the wrong type also breaks its range or enum; the type error alone says what to fix.
        Set<List<Object>> mistyped = new HashSet<>();
        violations.stream().filter(v -> v.code().equals("invalid_type")).forEach(v -> mistyped.add(v.path()));
        List<Violation> sorted = new ArrayList<>(violations.stream()
                .filter(v -> v.code().equals("invalid_type") || !mistyped.contains(v.path())).toList());
        sorted.sort(Comparator.comparing(Violation::path, Catalog::comparePaths));
        return sorted;
    }

    private Violation unknownEndpoint(String endpoint) {
        String given = endpoint == null ? "" : endpoint.replaceFirst("^/?v1/", "");
        String known = String.join(", ", endpoints.keySet().stream().sorted().toList());
        Optional<String> suggestion = ModelSuggestions.closest(given, endpoints.keySet());
        return new Violation(List.of(), "unknown_endpoint", "Unknown endpoint '" + endpoint + "'."
                + suggestion.map(s -> " Did you mean '" + s + "'?").orElse("") + " Task endpoints: " + known);
    }

    private Violation unknownModel(String endpoint, EndpointSpec spec, String model) {
        StringBuilder message = new StringBuilder("Unknown model '").append(model).append("' for ").append(endpoint)
                .append('.');
        ModelSuggestions.closest(model, spec.models().keySet())
                .ifPresent(s -> message.append(" Did you mean '").append(s).append("'?"));
        List<String> elsewhere = modelEndpoints().filter(e -> e.models().containsKey(model))
                .map(EndpointSpec::name).toList();
        if (!elsewhere.isEmpty()) {
            message.append(" '").append(model).append("' is accepted by ").append(String.join(", ", elsewhere))
                    .append(", not ").append(endpoint).append('.');
        }
        message.append(" Models for ").append(endpoint).append(": ").append(String.join(", ", spec.models().keySet()));
        return new Violation(List.of("model"), "unknown_model", message.toString());
    }

    private static void scanForUris(JsonNode node, List<Object> path, List<MediaReference> out) {
        if (node.isTextual()) {
            if (looksLikeUri(node.textValue())) {
                out.add(new MediaReference(path, EnumSet.allOf(MediaKind.class), node.textValue()));
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> scanForUris(e.getValue(), InstancePath.append(path, e.getKey()), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                scanForUris(node.get(i), InstancePath.append(path, i), out);
            }
        }
    }

    private static boolean looksLikeUri(String value) {
        int colon = value.indexOf(':');
        if (colon < 2 || colon > 16) {
            return false;
        }
        String scheme = value.substring(0, colon).toLowerCase(Locale.ROOT);
        return scheme.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-'
                || c == '.') && Character.isLetter(scheme.charAt(0))
                && (scheme.equals("data") || value.startsWith("//", colon + 1));
    }

    /** Paths in body order: segment by segment, indexes numerically. */
    private static int comparePaths(List<Object> a, List<Object> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            int c;
            if (x instanceof Integer xi && y instanceof Integer yi) {
                c = Integer.compare(xi, yi);
            } else {
                c = String.valueOf(x).compareTo(String.valueOf(y));
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
