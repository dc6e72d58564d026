package com.runwayrelay.catalog;

import com.runwayrelay.domain.media.MediaKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One task endpoint with its current models (in catalog order) and its retired models.
 *
 * @param selector the body field whose value picks the variant: {@code model}, {@code version} for recipes,
 *                 {@code configId} for routed generation
 * @param free     whether the selector's values are not listed ({@code configId}): any value of the
 *                 right form picks the endpoint's one variant, kept under {@link #ANY}
 * @param models   selector value → variant (several values may share one variant)
 * @param retired  retired model name → the model to use instead
 */
record EndpointSpec(String name, MediaKind output, String selector, boolean free, Map<String, ModelSpec> models,
        Map<String, String> retired) {
    /** The key of a free selector's one variant in {@link #models()}. */
    static final String ANY = "*";

    EndpointSpec {
        // unmodifiable copies that keep the data's order: models() lists models as the files do
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        retired = Collections.unmodifiableMap(new LinkedHashMap<>(retired));
    }

    /** The variant a selector value picks, or null: for a free selector, the one variant whatever the value. */
    ModelSpec variant(String value) {
        return free ? models.get(ANY) : models.get(value);
    }
}
