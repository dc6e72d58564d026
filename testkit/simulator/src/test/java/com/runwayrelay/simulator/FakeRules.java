package com.runwayrelay.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.catalog.MediaReference;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.catalog.ValidationResult;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.media.MediaKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A tiny fixed catalog, so the simulator's own behaviour is tested apart from the catalog data. */
final class FakeRules implements GenerationRules {
    private static final Map<String, MediaKind> KINDS = Map.of(
            "text_to_image", MediaKind.IMAGE,
            "image_to_video", MediaKind.VIDEO,
            "text_to_video", MediaKind.VIDEO,
            "sound_effect", MediaKind.AUDIO);
    private static final Map<String, List<String>> MODELS = Map.of(
            "text_to_image", List.of("gen4_image", "seedream5_lite"),
            "image_to_video", List.of("gen4_turbo"),
            "text_to_video", List.of("gen4.5"),
            "sound_effect", List.of("eleven_text_to_sound_v2"));

    @Override
    public Set<String> endpoints() {
        return KINDS.keySet();
    }

    @Override
    public List<String> models(String endpoint) {
        return MODELS.getOrDefault(endpoint, List.of());
    }

    @Override
    public Optional<MediaKind> outputKind(String endpoint, String model) {
        return models(endpoint).contains(model) ? Optional.of(KINDS.get(endpoint)) : Optional.empty();
    }

    @Override
    public ValidationResult validate(String endpoint, JsonNode body, UnknownModelPolicy policy) {
        List<Violation> v = new ArrayList<>();
        String model = body.path("model").asText(null);
        boolean known = model != null && models(endpoint).contains(model);
        if (model == null) {
            v.add(new Violation(List.of("model"), "invalid_type", "model is required."));
        } else if (!known && policy == UnknownModelPolicy.REJECT) {
            v.add(new Violation(List.of("model"), "invalid_union_discriminator", "Unknown model " + model + "."));
        }
        if (endpoint.startsWith("text_to") && !body.path("promptText").isTextual()) {
            v.add(new Violation(List.of("promptText"), "invalid_type", "promptText is required."));
        }
        if (body.has("ratio") && !body.path("ratio").asText().matches("\\d+:\\d+")) {
            v.add(new Violation(List.of("ratio"), "invalid_enum_value", "ratio is not one of the allowed values."));
        }
        return new ValidationResult(v, model, known);
    }

    @Override
    public List<MediaReference> mediaReferences(String endpoint, JsonNode body) {
        List<MediaReference> out = new ArrayList<>();
        for (String field : List.of("promptImage", "referenceImage")) {
            if (body.path(field).isTextual()) {
                out.add(new MediaReference(List.of(field), Set.of(MediaKind.IMAGE), body.path(field).asText()));
            }
        }
        return out;
    }

    @Override
    public int outputCount(String endpoint, JsonNode body) {
        return body.path("outputCount").canConvertToInt() ? Math.max(1, body.path("outputCount").asInt()) : 1;
    }

    @Override
    public Optional<Long> estimateCredits(String endpoint, JsonNode body) {
        return models(endpoint).contains(body.path("model").asText()) ? Optional.of(5L) : Optional.empty();
    }
}
