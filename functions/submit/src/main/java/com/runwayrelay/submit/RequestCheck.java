package com.runwayrelay.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.catalog.MediaReference;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.catalog.ValidationResult;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.delivery.DeliveryTargetProbe;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.media.MediaViolation;
import com.runwayrelay.domain.owned.OwnedReferences;
import com.runwayrelay.domain.owned.Reference;
import com.runwayrelay.domain.owned.ResourceKind;
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
 * {@code relay} options (callback URL included), the app's allowed endpoints and models, and for a
 * routed generation its router configuration ({@link RouterCheck}); then, for a request with nothing
 * wrong so far, whether a {@code relay.deliverTo} URL redirects.
 */
final class RequestCheck {
    private final Catalog catalog;
    private final UnknownModelPolicy unknownModels;
    private final MediaUriPolicy media;
    private final CallbackUrlCheck callbacks;
    private final OwnedReferences owned;
    private final RouterCheck routers;
    private final DeliverToProbes probes;

    /** A check with no ownership records: every custom avatar or voice id is refused. */
    RequestCheck(Catalog catalog, UnknownModelPolicy unknownModels, MediaUriPolicy media, CallbackUrlCheck callbacks) {
        this(catalog, unknownModels, media, callbacks, OwnedReferences.none());
    }

    /** @param owned which custom avatars and voices the app owns (issue #18); no router records */
    RequestCheck(Catalog catalog, UnknownModelPolicy unknownModels, MediaUriPolicy media, CallbackUrlCheck callbacks,
                 OwnedReferences owned) {
        this(catalog, unknownModels, media, callbacks, owned, RouterCheck.none(catalog), DeliveryTargetProbe.none());
    }

    /** @param routers the router configurations an app's routed generation may use, and their caps; no probe */
    RequestCheck(Catalog catalog, UnknownModelPolicy unknownModels, MediaUriPolicy media, CallbackUrlCheck callbacks,
                 OwnedReferences owned, RouterCheck routers) {
        this(catalog, unknownModels, media, callbacks, owned, routers, DeliveryTargetProbe.none());
    }

    /** @param probe asks each {@code relay.deliverTo} URL whether it redirects ({@link DeliverToProbes}); no routers */
    RequestCheck(Catalog catalog, UnknownModelPolicy unknownModels, MediaUriPolicy media, CallbackUrlCheck callbacks,
                 OwnedReferences owned, DeliveryTargetProbe probe) {
        this(catalog, unknownModels, media, callbacks, owned, RouterCheck.none(catalog), probe);
    }

    /**
     * @param routers the router configurations an app's routed generation may use, and their caps
     * @param probe asks each {@code relay.deliverTo} URL whether it redirects ({@link DeliverToProbes})
     */
    RequestCheck(Catalog catalog, UnknownModelPolicy unknownModels, MediaUriPolicy media, CallbackUrlCheck callbacks,
                 OwnedReferences owned, RouterCheck routers, DeliveryTargetProbe probe) {
        this.probes = new DeliverToProbes(probe);
        this.catalog = catalog;
        this.unknownModels = unknownModels;
        this.media = media;
        this.callbacks = callbacks;
        this.owned = owned;
        this.routers = routers;
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
            JsonNode runOptions = relay;
            if (relay != null && relay.isObject() && relay.has(DeliverToOption.FIELD)) {
                violations.add(new Violation(List.of(RelayOptions.FIELD, DeliverToOption.FIELD), "not_supported",
                        "relay.deliverTo is not offered for workflow runs yet: how many outputs a run makes, and under"
                                + " which nodes, is known only when it ends; read them from the invocation or the webhook"));
                ObjectNode rest = ((ObjectNode) relay).deepCopy();
                rest.remove(DeliverToOption.FIELD);
                runOptions = rest;
            }
            RelayOptions options = RelayOptions.parse(runOptions, now, callbacks, 0, violations);
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

        violations.addAll(owned.unowned(app.id(), namedResources(endpoint, forward)));
        RelayOptions options = RelayOptions.parse(relay, now, callbacks, catalog.outputCount(endpoint, forward), violations);
        String selector = catalog.selector(endpoint).orElse("model");
        boolean byModel = selector.equals("model");
        if (selector.equals("version") && UNSAFE_LATEST.equals(validation.model()) && !app.allowUnsafeLatest()) {
            violations.add(new Violation(List.of("version"), UNSAFE_LATEST_NOT_ALLOWED, "version: this app may not run"
                    + " recipes at 'unsafe-latest' (Runway may change its behaviour without notice); use a dated version"
                    + " such as " + String.join(", ", catalog.models(endpoint).stream()
                    .filter(v -> !v.equals(UNSAFE_LATEST)).toList()) + ", or ask the operator to allow unsafe-latest"));
        }
        // A recipe's task is recorded under the recipe's name, as Runway's usage reports name it; its version stays in the body.
        String model = byModel ? validation.model() : endpoint.substring(endpoint.indexOf('/') + 1);
        Long routedCredits = null;
        if (RouterCheck.isRouted(endpoint)) {
            // The router picks the model after admission (Runway's routing.model); the task is recorded under its router.
            String configId = validation.model();
            model = configId == null ? null : RouterCheck.MODEL_PREFIX + configId;
            boolean wellFormed = configId != null
                    && validation.violations().stream().noneMatch(v -> v.path().equals(List.of(selector)));
            if (wellFormed) {
                RouterCheck.Verdict verdict = routers.check(app, endpoint, configId, forward);
                verdict.refusal().ifPresent(violations::add);
                routedCredits = verdict.credits();
            }
        }
        if (!app.allowedEndpoints().isEmpty() && !app.allowedEndpoints().contains(endpoint)) {
            violations.add(new Violation(List.of(), "endpoint_not_allowed", "This app may not call " + endpoint
                    + "; it may call " + String.join(", ", new TreeSet<>(app.allowedEndpoints()))));
        }
        if (byModel && model != null && !app.allowedModels().isEmpty() && !app.allowedModels().contains(model)) {
            violations.add(new Violation(List.of("model"), "model_not_allowed", "This app may not use model '" + model
                    + "'; it may use " + String.join(", ", new TreeSet<>(app.allowedModels()))));
        }
        if (violations.isEmpty() && options.deliverTo() != null) {
            // Last, and only for an otherwise acceptable request: the probe is a call to the app's storage.
            violations.addAll(probes.redirects(options.deliverTo(), catalog.outputKind(endpoint, model).orElse(null)));
        }
        return new Result(violations, forward, model, options, routedCredits);
    }

    /** The recipe version that follows Runway's newest behaviour, allowed per app ({@link App#allowUnsafeLatest()}). */
    static final String UNSAFE_LATEST = "unsafe-latest";
    /** The violation code of {@link #UNSAFE_LATEST} sent by an app not allowed it. */
    static final String UNSAFE_LATEST_NOT_ALLOWED = "version_not_allowed";

    /** The endpoint whose body may name an avatar or a voice of the Runway organization. */
    static final String AVATAR_VIDEOS = "avatar_videos";

    /**
     * The custom avatar ({@code avatar.avatarId}) and custom voice ({@code speech.voice.id}) an avatar video
     * names: each names a resource of the whole Runway organization, so it must be one the app created
     * through the gateway (else {@link OwnedReferences#CODE} at the id's path, before anything is spent).
     * Of the catalog's endpoints only {@code avatar_videos} takes custom resources (SDK 4.20.1: speech and
     * dubbing voices are Runway presets).
     */
    static List<Reference> namedResources(String endpoint, JsonNode forward) {
        if (!AVATAR_VIDEOS.equals(endpoint)) {
            return List.of();
        }
        List<Reference> named = new ArrayList<>();
        JsonNode avatar = forward.path("avatar");
        if ("custom".equals(avatar.path("type").asText(null)) && avatar.path("avatarId").isTextual()) {
            named.add(new Reference(ResourceKind.AVATARS, avatar.get("avatarId").asText(), List.of("avatar", "avatarId")));
        }
        JsonNode voice = forward.path("speech").path("voice");
        if ("custom".equals(voice.path("type").asText(null)) && voice.path("id").isTextual()) {
            named.add(new Reference(ResourceKind.VOICES, voice.get("id").asText(), List.of("speech", "voice", "id")));
        }
        return named;
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
     * @param model      the requested model, or null when the body has none; for a recipe its name; for a
     *                   routed generation {@code router:<configId>}
     * @param relay      the gateway-only options
     * @param routedCredits for a routed generation, the credits to reserve (the router's cap × outputs); else null
     */
    record Result(List<Violation> violations, ObjectNode forward, String model, RelayOptions relay,
                  Long routedCredits) {
        Result {
            violations = List.copyOf(violations);
        }

        Result(List<Violation> violations, ObjectNode forward, String model, RelayOptions relay) {
            this(violations, forward, model, relay, null);
        }

        boolean valid() {
            return violations.isEmpty();
        }
    }
}
