package com.runwayrelay.catalog;

import com.runwayrelay.domain.media.MediaKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One task endpoint with its current models (in catalog order) and its retired models.
 *
 * @param selector the body field whose value picks the variant: {@code model}, or {@code version} for recipes
 * @param models   selector value → variant (several values may share one variant)
 * @param retired  retired model name → the model to use instead
 */
record EndpointSpec(String name, MediaKind output, String selector, Map<String, ModelSpec> models,
        Map<String, String> retired) {
    EndpointSpec {
        // unmodifiable copies that keep the data's order: models() lists models as the files do
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        retired = Collections.unmodifiableMap(new LinkedHashMap<>(retired));
    }
}
