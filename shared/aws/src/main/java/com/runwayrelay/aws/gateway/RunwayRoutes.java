package com.runwayrelay.aws.gateway;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Every route of Runway's API that the official Node SDK 4.20.1 calls (65 calls), with the gateway's
 * answer to each: {@link Answer#SERVED} (a route of the template), {@link Answer#REFUSED} (403 on
 * purpose, with the reason) or {@link Answer#NOT_SUPPORTED} (404, not yet). The HTTP API sends every
 * request under {@code /v1/} that no served route matches to {@link #answerUnserved}, after the app is
 * authenticated, so no such request gets API Gateway's bare 404 or a 5xx.
 */
public final class RunwayRoutes {
    /** What the gateway answers to a route. */
    public enum Answer {
        /** Served by a function of the template. */
        SERVED,
        /** 403 {@code route-refused}, with a reason. */
        REFUSED,
        /** 404 {@code route-not-supported}: a Runway route the gateway does not serve yet. */
        NOT_SUPPORTED
    }

    /**
     * One call of the SDK.
     *
     * @param method  the HTTP method
     * @param path    Runway's path, variables as {@code {name}}
     * @param sdkCall the Node SDK method, e.g. {@code client.avatars.list}
     * @param answer  what the gateway answers
     * @param reason  why it is refused ({@link Answer#REFUSED} only), else null
     */
    public record Route(String method, String path, String sdkCall, Answer answer, String reason) {
        public Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sdkCall, "sdkCall");
            Objects.requireNonNull(answer, "answer");
            if ((answer == Answer.REFUSED) != (reason != null)) {
                throw new IllegalArgumentException("a reason is given exactly for refused routes: " + path);
            }
        }

        /** {@code METHOD /path}. */
        public String routeKey() {
            return method + " " + path;
        }

        /** Whether {@code parts} (a raw path split at {@code /}, without its leading empty part) is this path. */
        boolean matchesPath(String[] parts) {
            String[] own = path.substring(1).split("/", -1);
            if (own.length != parts.length) {
                return false;
            }
            for (int i = 0; i < own.length; i++) {
                boolean variable = own[i].startsWith("{");
                if (variable ? parts[i].isEmpty() : !own[i].equals(parts[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The longest excerpt of a request path quoted back in a problem. */
    static final int MAX_QUOTED_PATH = 200;

    private static final String ROUTERS = "Model Router configurations belong to the whole Runway organization; "
            + "only the operator manages them (docs/api.md, \"Routes refused on purpose\")";
    private static final String WEBAPP_USAGE = "the web app's usage names the organization's workspace members by "
            + "e-mail and is not scoped to an app";
    private static final String AUDIT_LOGS = "the web app's audit logs name the organization's workspace members by "
            + "e-mail and are not scoped to an app";

    private static final List<Route> ROUTES = List.of(
            served("POST", "/v1/text_to_image", "textToImage.create"),
            served("POST", "/v1/image_to_video", "imageToVideo.create"),
            served("POST", "/v1/text_to_video", "textToVideo.create"),
            served("POST", "/v1/video_to_video", "videoToVideo.create"),
            served("POST", "/v1/image_upscale", "imageUpscale.create"),
            served("POST", "/v1/video_upscale", "videoUpscale.create"),
            served("POST", "/v1/video_to_hdr", "videoToHdr.create"),
            served("POST", "/v1/character_performance", "characterPerformance.create"),
            served("POST", "/v1/sound_effect", "soundEffect.create"),
            served("POST", "/v1/text_to_speech", "textToSpeech.create"),
            served("POST", "/v1/speech_to_speech", "speechToSpeech.create"),
            served("POST", "/v1/voice_dubbing", "voiceDubbing.create"),
            served("POST", "/v1/voice_isolation", "voiceIsolation.create"),
            served("POST", "/v1/avatar_videos", "avatarVideos.create"),
            served("POST", "/v1/uploads", "uploads.createEphemeral"),
            served("GET", "/v1/tasks/{id}", "tasks.retrieve"),
            served("DELETE", "/v1/tasks/{id}", "tasks.delete"),
            served("GET", "/v1/organization", "organization.retrieve"),
            served("POST", "/v1/organization/usage", "organization.retrieveUsage"),
            refused("GET", "/v1/organization/webapp/usage", "organization.webapp.listUsage", WEBAPP_USAGE),
            refused("GET", "/v1/organization/webapp/audit_logs", "organization.webapp.auditLogs.list", AUDIT_LOGS),
            refused("GET", "/v1/organization/webapp/audit_logs/{eventId}", "organization.webapp.auditLogs.retrieve",
                    AUDIT_LOGS),
            refused("POST", "/v1/routers", "routers.create", ROUTERS),
            refused("GET", "/v1/routers", "routers.list", ROUTERS),
            refused("GET", "/v1/routers/{id}", "routers.retrieve", ROUTERS),
            refused("PATCH", "/v1/routers/{id}", "routers.update", ROUTERS),
            refused("DELETE", "/v1/routers/{id}", "routers.delete", ROUTERS),
            refused("GET", "/v1/routers/{id}/requests", "routers.listRequests", ROUTERS),
            served("POST", "/v1/generate/video", "generate.video.create"),
            served("POST", "/v1/generate/image", "generate.image.create"),
            served("POST", "/v1/generate/audio", "generate.audio.create"),
            served("POST", "/v1/recipes/ad_localization", "recipes.adLocalization"),
            served("POST", "/v1/recipes/marketing_stock_image", "recipes.marketingStockImage"),
            served("POST", "/v1/recipes/multi_shot_video", "recipes.multiShotVideo"),
            served("POST", "/v1/recipes/product_ad", "recipes.productAd"),
            served("POST", "/v1/recipes/product_campaign_image", "recipes.productCampaignImage"),
            served("POST", "/v1/recipes/product_swap", "recipes.productSwap"),
            served("POST", "/v1/recipes/product_ugc", "recipes.productUgc"),
            served("POST", "/v1/avatars", "avatars.create"),
            served("GET", "/v1/avatars", "avatars.list"),
            served("GET", "/v1/avatars/{id}", "avatars.retrieve"),
            served("PATCH", "/v1/avatars/{id}", "avatars.update"),
            served("DELETE", "/v1/avatars/{id}", "avatars.delete"),
            served("GET", "/v1/avatar_usage", "avatars.getUsage"),
            served("GET", "/v1/avatar_conversations", "avatarConversations.list"),
            served("GET", "/v1/avatar_conversations/{id}", "avatarConversations.retrieve"),
            served("DELETE", "/v1/avatar_conversations/{id}", "avatarConversations.delete"),
            served("POST", "/v1/realtime_sessions", "realtimeSessions.create"),
            served("GET", "/v1/realtime_sessions/{id}", "realtimeSessions.retrieve"),
            served("DELETE", "/v1/realtime_sessions/{id}", "realtimeSessions.delete"),
            served("POST", "/v1/documents", "documents.create"),
            served("GET", "/v1/documents", "documents.list"),
            served("GET", "/v1/documents/{id}", "documents.retrieve"),
            served("PATCH", "/v1/documents/{id}", "documents.update"),
            served("DELETE", "/v1/documents/{id}", "documents.delete"),
            served("POST", "/v1/voices", "voices.create"),
            served("GET", "/v1/voices", "voices.list"),
            served("GET", "/v1/voices/{id}", "voices.retrieve"),
            served("PATCH", "/v1/voices/{id}", "voices.update"),
            served("DELETE", "/v1/voices/{id}", "voices.delete"),
            served("POST", "/v1/voices/preview", "voices.preview"),
            served("GET", "/v1/workflows", "workflows.list"),
            served("GET", "/v1/workflows/{id}", "workflows.retrieve"),
            served("POST", "/v1/workflows/{id}", "workflows.run"),
            served("GET", "/v1/workflow_invocations/{id}", "workflowInvocations.retrieve"));

    private RunwayRoutes() {
    }

    /** Every SDK call, grouped by resource. */
    public static List<Route> all() {
        return ROUTES;
    }

    /**
     * The answer to a request under {@code /v1/} that no served route matched, for an authenticated
     * app: 403 {@code route-refused} for a refused route, 404 {@code route-not-supported} for a Runway
     * route not served yet, 405 {@code method-not-allowed} (with {@code allow}) for a method the path
     * does not have when it has others the gateway answers, else 404 {@code no-such-route}. Never
     * throws, whatever the path.
     *
     * @param method  the request's method
     * @param rawPath the request's path as sent (percent-encoded), without the query
     */
    public static ApiResponse answerUnserved(String method, String rawPath) {
        return answerUnserved(method, rawPath, ROUTES);
    }

    /** As {@link #answerUnserved(String, String)} over another list of routes (tests of answers no listed route has now). */
    static ApiResponse answerUnserved(String method, String rawPath, List<Route> routes) {
        String verb = method == null ? "" : method.toUpperCase(Locale.ROOT);
        String path = rawPath == null ? "" : rawPath;
        String quoted = verb + " " + quote(path);
        List<Route> atPath = new ArrayList<>();
        if (path.startsWith("/")) {
            String[] parts = path.substring(1).split("/", -1);
            for (Route route : routes) {
                if (route.matchesPath(parts)) {
                    atPath.add(route);
                }
            }
        }
        Route exact = atPath.stream().filter(r -> r.method().equals(verb)).findFirst().orElse(null);
        if (exact != null) {
            return switch (exact.answer()) {
                case REFUSED -> Problem.of(403, "route-refused", "Route refused",
                                quoted + " (the SDK's " + exact.sdkCall() + ") is refused by the gateway: "
                                        + exact.reason())
                        .with("route", exact.routeKey()).response();
                case NOT_SUPPORTED -> notSupported(quoted, exact);
                // A served route reaches this answer only if the template and this list disagree.
                case SERVED -> noSuchRoute(quoted);
            };
        }
        Set<String> allowed = new LinkedHashSet<>();
        atPath.stream().filter(r -> r.answer() != Answer.NOT_SUPPORTED).forEach(r -> allowed.add(r.method()));
        if (!allowed.isEmpty()) {
            String allow = String.join(", ", allowed);
            return Problem.of(405, "method-not-allowed", "Method not allowed",
                            "Method " + quote(verb) + " is not allowed on " + quote(path) + "; allowed: " + allow)
                    .with("route", atPath.getFirst().path()).with("allow", List.copyOf(allowed))
                    .response().withHeader("allow", allow);
        }
        if (!atPath.isEmpty()) {
            Route first = atPath.getFirst();
            return Problem.of(404, "route-not-supported", "Route not supported",
                            quoted + ": " + first.path() + " is a Runway route (methods "
                                    + String.join(", ", atPath.stream().map(Route::method).toList())
                                    + ") the gateway does not support yet")
                    .with("route", first.path()).response();
        }
        return noSuchRoute(quoted);
    }

    private static ApiResponse notSupported(String quoted, Route route) {
        return Problem.of(404, "route-not-supported", "Route not supported",
                        quoted + " (the SDK's " + route.sdkCall() + ") is a Runway route the gateway does not support yet")
                .with("route", route.routeKey()).response();
    }

    private static ApiResponse noSuchRoute(String quoted) {
        return Problem.of(404, "no-such-route", "No such route",
                "No such route: " + quoted + "; the gateway serves Runway's API under /v1/ (see its docs/api.md)").response();
    }

    /** At most {@value #MAX_QUOTED_PATH} characters of {@code text}, control characters replaced. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(MAX_QUOTED_PATH).forEach(c -> out.appendCodePoint(Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT ? '?' : c));
        return text.codePointCount(0, text.length()) > MAX_QUOTED_PATH ? out + "…" : out.toString();
    }

    private static Route served(String method, String path, String call) {
        return new Route(method, path, "client." + call, Answer.SERVED, null);
    }

    private static Route refused(String method, String path, String call, String reason) {
        return new Route(method, path, "client." + call, Answer.REFUSED, reason);
    }

    private static Route notSupported(String method, String path, String call) {
        return new Route(method, path, "client." + call, Answer.NOT_SUPPORTED, null);
    }
}
