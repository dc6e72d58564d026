package com.runwayrelay.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.router.RouterCap;
import com.runwayrelay.domain.router.RouterCaps;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * What a routed generation ({@code POST /v1/generate/{video,image,audio}}, endpoint
 * {@code generate/<kind>}) needs before it may spend: its {@code configId} is one the app may use
 * ({@link App#allowsRouterConfig}), and the gateway knows that router's credit cap for the kind
 * ({@link RouterCaps}, written by the operator's router calls). The reservation is the cap times
 * the number of outputs: Runway's router never picks a model dearer than its cap, so the cap bounds
 * the charge. No Runway call is made here.
 */
final class RouterCheck {
    /** The endpoint group of routed generations. */
    static final String GROUP = "generate/";
    /** Violation code: the app may not use the configuration. */
    static final String NOT_ALLOWED = "router_config_not_allowed";
    /** Violation code: the gateway knows no cap for the configuration and kind, so nothing can be reserved. */
    static final String CAP_UNKNOWN = "router_cap_unknown";
    /** The prefix of the model recorded for a routed task: the router decides the model after admission. */
    static final String MODEL_PREFIX = "router:";

    private static final List<Object> AT = List.of("configId");

    private final RouterCaps caps;
    private final Catalog catalog;

    RouterCheck(RouterCaps caps, Catalog catalog) {
        this.caps = Objects.requireNonNull(caps, "caps");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** A check with no router records: every routed generation is refused as {@link #CAP_UNKNOWN}. */
    static RouterCheck none(Catalog catalog) {
        return new RouterCheck(new RouterCaps() {
            @Override
            public void put(RouterCap cap) {
                throw new UnsupportedOperationException("no router records");
            }

            @Override
            public Optional<RouterCap> find(String slug) {
                return Optional.empty();
            }

            @Override
            public void remove(String slug) {
                throw new UnsupportedOperationException("no router records");
            }
        }, catalog);
    }

    /** Whether the endpoint is a routed generation. */
    static boolean isRouted(String endpoint) {
        return endpoint.startsWith(GROUP);
    }

    /**
     * The verdict on a routed generation whose body the catalog found valid: the violation that
     * refuses it, or the credits to reserve.
     *
     * @param configId the body's {@code configId}, a well-formed slug
     * @param forward  the body for Runway
     */
    Verdict check(App app, String endpoint, String configId, JsonNode forward) {
        String kind = endpoint.substring(GROUP.length());
        if (!app.allowsRouterConfig(configId)) {
            String allowed = app.allowedRouterConfigs().isEmpty() ? "none (the operator names them in the app's"
                    + " allowedRouterConfigs)" : String.join(", ", new TreeSet<>(app.allowedRouterConfigs()));
            return Verdict.refused(new Violation(AT, NOT_ALLOWED, "configId: this app may not generate through router"
                    + " configuration '" + configId + "'; it may use " + allowed));
        }
        Optional<RouterCap> cap = caps.find(configId);
        if (cap.isEmpty()) {
            return Verdict.refused(new Violation(AT, CAP_UNKNOWN, "configId: the gateway has no record of router"
                    + " configuration '" + configId + "', so it cannot know the most a generation may cost and reserves"
                    + " nothing blindly; the operator records it by reading it once through the admin API"
                    + " (GET /admin/v1/routers/{id})"));
        }
        OptionalLong perGeneration = cap.get().cap(kind);
        if (perGeneration.isEmpty()) {
            return Verdict.refused(new Violation(AT, CAP_UNKNOWN, "configId: router configuration '" + configId
                    + "' sets no maxCreditsPerGeneration." + kind + ", so a " + kind + " generation through it has no"
                    + " known upper cost; the operator sets one (PATCH /admin/v1/routers/{id})"));
        }
        int outputs = catalog.outputCount(endpoint, forward);
        return new Verdict(Optional.empty(), Math.multiplyExact(perGeneration.getAsLong(), (long) outputs));
    }

    /**
     * @param refusal the violation refusing the generation, if any
     * @param credits the credits to reserve when not refused
     */
    record Verdict(Optional<Violation> refusal, long credits) {
        static Verdict refused(Violation violation) {
            return new Verdict(Optional.of(violation), 0);
        }
    }
}
