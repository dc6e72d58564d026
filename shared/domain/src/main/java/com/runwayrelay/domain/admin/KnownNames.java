package com.runwayrelay.domain.admin;

import java.util.Set;

/**
 * The endpoints and models the catalog knows: what an app may be limited to.
 *
 * @param endpoints endpoint names such as {@code text_to_image}
 * @param models    model names of every endpoint
 */
public record KnownNames(Set<String> endpoints, Set<String> models) {
    public KnownNames {
        endpoints = Set.copyOf(endpoints);
        models = Set.copyOf(models);
    }
}
