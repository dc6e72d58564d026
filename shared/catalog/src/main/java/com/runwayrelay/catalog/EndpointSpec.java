package com.runwayrelay.catalog;

import java.util.Map;

/**
 * One task endpoint with its current models (in catalog order) and its retired models.
 *
 * @param retired retired model name → the model to use instead
 */
record EndpointSpec(String name, MediaKind output, Map<String, ModelSpec> models, Map<String, String> retired) {
    EndpointSpec {
        // copies keep the caller's (insertion) order: models() lists models as the data does
        models = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(models));
        retired = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(retired));
    }
}
