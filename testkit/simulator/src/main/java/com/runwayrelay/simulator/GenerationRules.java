package com.runwayrelay.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.catalog.MediaReference;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.catalog.ValidationResult;
import com.runwayrelay.domain.media.MediaKind;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the simulator needs to know about endpoints and models. The catalog answers in production;
 * tests of the simulator's own behaviour may pass a small fixed set instead.
 */
interface GenerationRules {

    Set<String> endpoints();

    List<String> models(String endpoint);

    Optional<MediaKind> outputKind(String endpoint, String model);

    ValidationResult validate(String endpoint, JsonNode body, UnknownModelPolicy policy);

    Optional<Long> estimateCredits(String endpoint, JsonNode body);

    /** Every media URI in the body's media fields (every URI-looking string for an unknown model). */
    List<MediaReference> mediaReferences(String endpoint, JsonNode body);

    /** How many output files the request produces. */
    int outputCount(String endpoint, JsonNode body);

    /** The shipped model catalog. */
    static GenerationRules fromCatalog(Catalog catalog) {
        return new GenerationRules() {
            @Override
            public Set<String> endpoints() {
                return catalog.endpoints();
            }

            @Override
            public List<String> models(String endpoint) {
                return catalog.models(endpoint);
            }

            @Override
            public Optional<MediaKind> outputKind(String endpoint, String model) {
                return catalog.outputKind(endpoint, model);
            }

            @Override
            public ValidationResult validate(String endpoint, JsonNode body, UnknownModelPolicy policy) {
                return catalog.validate(endpoint, body, policy);
            }

            @Override
            public Optional<Long> estimateCredits(String endpoint, JsonNode body) {
                return catalog.estimateCredits(endpoint, body);
            }

            @Override
            public List<MediaReference> mediaReferences(String endpoint, JsonNode body) {
                return catalog.mediaReferences(endpoint, body);
            }

            @Override
            public int outputCount(String endpoint, JsonNode body) {
                return catalog.outputCount(endpoint, body);
            }
        };
    }
}
