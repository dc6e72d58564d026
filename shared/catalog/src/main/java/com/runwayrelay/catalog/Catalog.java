package com.runwayrelay.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Runway model catalog, loaded from the data files under {@code catalog/} on the classpath.
 *
 * <p>API CONTRACT (implemented in the Runway-layer work; signatures are fixed, other modules
 * code against them).
 */
public final class Catalog {

    /** Loads the catalog shipped in this module's resources. Fails fast on malformed data. */
    public static Catalog loadDefault() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Endpoint names without the {@code /v1/} prefix, e.g. {@code text_to_image}. */
    public Set<String> endpoints() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Current (non-retired) model names accepted by an endpoint; empty for an unknown endpoint. */
    public List<String> models(String endpoint) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The kind of media the endpoint's outputs are ({@code IMAGE}, {@code VIDEO}, {@code AUDIO}). */
    public Optional<MediaKind> outputKind(String endpoint, String model) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Validates a request body for an endpoint. Reports every violation at once.
     *
     * @param policy what to do with a model the catalog does not know
     */
    public ValidationResult validate(String endpoint, JsonNode body, UnknownModelPolicy policy) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * The maximum credits the request may cost (what Runway reports as {@code estimatedCost}),
     * or empty when the model is unknown or the body invalid.
     */
    public Optional<Long> estimateCredits(String endpoint, JsonNode body) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
