package com.runwayrelay.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.catalog.MediaReference;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.catalog.ValidationResult;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.media.MediaViolation;
import com.runwayrelay.domain.runway.WorkflowRuns;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything that can be wrong with a submission before a credit is spent, found in one pass:
 * the catalog's verdict on the body, the media URI policy on every media reference, the
 * {@code relay} options (callback URL included), and the app's allowed endpoints and models.
 */
final class RequestCheck {
    private final Catalog catalog;
    private final UnknownModelPolicy unknownModels;
    private final MediaUriPolicy media;
    private final CallbackUrlCheck callbacks;

    RequestCheck(Catalog catalog, UnknownModelPolicy unknownModels, MediaUriPolicy media, CallbackUrlCheck callbacks) {
        this.catalog = catalog;
        this.unknownModels = unknownModels;
        this.media = media;
        this.callbacks = callbacks;
    }

    /**
     * Checks a submission.
     *
     * @param body the app's body, {@code relay} included; not modified
     */
    Result check(App app, String endpoint, ObjectNode body, Instant now) {
        ObjectNode forward = body.deepCopy();
        JsonNode relay = forward.remove(RelayOptions.FIELD);
        if (WorkflowRuns.isRun(endpoint)) {
            // Access and the ceiling were checked at the edge (WorkflowRunCheck.refusal); the body here.
            List<Violation> violations = new ArrayList<>();
            new WorkflowRunCheck(media).check(forward, violations);
            RelayOptions options = RelayOptions.parse(relay, now, callbacks, violations);
            return new Result(violations, forward, WorkflowRuns.MODEL, options);
        }
        ValidationResult validation = catalog.validate(endpoint, forward, unknownModels);

        List<Violation> mediaViolations = new ArrayList<>();
        for (MediaReference reference : catalog.mediaReferences(endpoint, forward)) {
            for (MediaViolation v : media.check(reference.uri(), kinds(reference))) {
                // Policy messages speak of "the URI"; the field's path tells the app which one.
                String field = new Violation(reference.path(), v.code(), v.message()).dottedPath();
                mediaViolations.add(new Violation(reference.path(), v.code(), field + ": " + v.message()));
            }
        }
        // Where the media policy has a more specific verdict on a URI, it replaces the catalog's.
        Set<List<Object>> mediaPaths = new HashSet<>();
        mediaViolations.forEach(v -> mediaPaths.add(v.path()));
        List<Violation> violations = new ArrayList<>();
        validation.violations().stream().filter(v -> !mediaPaths.contains(v.path())).forEach(violations::add);
        violations.addAll(mediaViolations);

        refuseUnownedResources(endpoint, forward, violations);
        RelayOptions options = RelayOptions.parse(relay, now, callbacks, violations);
        String model = validation.model();
        if (!app.allowedEndpoints().isEmpty() && !app.allowedEndpoints().contains(endpoint)) {
            violations.add(new Violation(List.of(), "endpoint_not_allowed", "This app may not call " + endpoint
                    + "; it may call " + String.join(", ", new TreeSet<>(app.allowedEndpoints()))));
        }
        if (model != null && !app.allowedModels().isEmpty() && !app.allowedModels().contains(model)) {
            violations.add(new Violation(List.of("model"), "model_not_allowed", "This app may not use model '" + model
                    + "'; it may use " + String.join(", ", new TreeSet<>(app.allowedModels()))));
        }
        return new Result(violations, forward, model, options);
    }

    /** The endpoint whose body may name an avatar or a voice of the Runway organization. */
    static final String AVATAR_VIDEOS = "avatar_videos";
    /** The violation code of a custom avatar or voice, refused until apps can own them. */
    static final String CUSTOM_RESOURCE = "custom_resource_not_supported";

    /**
     * Refuses {@code type: custom} avatars and voices: a custom id names a resource of the whole
     * Runway organization, and until the relay records which app owns which avatar or voice (#18)
     * it cannot stop one app from using another's, so it serves runway presets only.
     */
    private static void refuseUnownedResources(String endpoint, JsonNode forward, List<Violation> violations) {
        if (!AVATAR_VIDEOS.equals(endpoint)) {
            return;
        }
        if ("custom".equals(forward.path("avatar").path("type").asText(null))) {
            violations.add(new Violation(List.of("avatar", "type"), CUSTOM_RESOURCE, "avatar.type: custom avatars are"
                    + " not supported until the relay records which app owns an avatar; use type 'runway-preset'"));
        }
        if ("custom".equals(forward.path("speech").path("voice").path("type").asText(null))) {
            violations.add(new Violation(List.of("speech", "voice", "type"), CUSTOM_RESOURCE, "speech.voice.type:"
                    + " custom voices are not supported until the relay records which app owns a voice;"
                    + " use type 'preset'"));
        }
    }

    private static Set<MediaKind> kinds(MediaReference reference) {
        Set<MediaKind> kinds = EnumSet.noneOf(MediaKind.class);
        kinds.addAll(reference.kinds());
        return kinds;
    }

    /**
     * The verdict.
     *
     * @param violations every problem; empty when the request may go on
     * @param forward    the body for Runway: the app's body without {@code relay}
     * @param model      the requested model, or null when the body has none
     * @param relay      the gateway-only options
     */
    record Result(List<Violation> violations, ObjectNode forward, String model, RelayOptions relay) {
        Result {
            violations = List.copyOf(violations);
        }

        boolean valid() {
            return violations.isEmpty();
        }
    }
}
