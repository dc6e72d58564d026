package com.runwayrelay.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.media.MediaKind;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Runway's Model Router as the simulator keeps it (reference §14; SDK 4.20.1 {@code routers},
 * {@code generate}): router configurations of the whole organization, and the routing of a
 * model-agnostic {@code POST /v1/generate/{kind}} to one model. The candidates and their rates are
 * the simulator's own (Runway does not publish its router's model list); the shapes, the filter
 * pipeline ({@code allow_deny}, then {@code price} against {@code maxCreditsPerGeneration}), the
 * ranking by {@code optimizeFor} and the errors ({@code router_config_not_found},
 * {@code no_eligible_model}) follow the SDK's types. Thread-safe.
 */
final class RouterBook {
    static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ROUTER_KEYS = Set.of("slug", "name", "description", "settings");
    private static final Set<String> SETTINGS_KEYS = Set.of("fallback", "maxCreditsPerGeneration", "models", "optimizeFor",
            "schemaVersion");
    private static final List<String> KINDS = List.of("video", "image", "audio");

    /**
     * A model the router may pick.
     *
     * @param rate    credits per second (video, default 5 s), per image, or per generation (audio)
     * @param quality higher is better; {@code latency} lower is faster
     */
    record Candidate(String model, String provider, String kind, String endpoint, long rate, int quality, int latency) {
    }

    private static final List<Candidate> CANDIDATES = List.of(
            new Candidate("gen4.5", "runway", "video", "image_to_video", 12, 3, 2),
            new Candidate("veo3.1_fast", "google", "video", "image_to_video", 10, 2, 1),
            new Candidate("seedance2_fast", "bytedance", "video", "image_to_video", 8, 1, 3),
            new Candidate("gen4_image", "runway", "image", "text_to_image", 5, 3, 3),
            new Candidate("gemini_2.5_flash", "google", "image", "text_to_image", 5, 2, 1),
            new Candidate("gen4_image_turbo", "runway", "image", "text_to_image", 2, 1, 2),
            new Candidate("eleven_multilingual_v2", "elevenlabs", "speech", "text_to_speech", 1, 1, 1),
            new Candidate("eleven_text_to_sound_v2", "elevenlabs", "audio", "sound_effect", 2, 1, 1));

    private record Router(String id, String slug, String name, String description, ObjectNode settings,
                          Instant createdAt, Instant updatedAt, int version) {
    }

    private final Map<String, Router> routers = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> requests = new LinkedHashMap<>();
    private final Clock clock;

    RouterBook(Clock clock) {
        this.clock = clock;
    }

    /** The outcome of routing a generate request: the model, its endpoint and estimate, and Runway's {@code routing}. */
    record Routed(Candidate candidate, long estimate, int outputCount, ObjectNode routing, String routerId,
                  String requestId) {
    }

    synchronized ObjectNode create(JsonNode body) {
        List<ApiException.Issue> issues = new ArrayList<>();
        keys(body, ROUTER_KEYS, List.of(), issues);
        JsonNode slug = body.get("slug");
        if (slug == null || !slug.isTextual()) {
            issues.add(new ApiException.Issue("invalid_type", List.of("slug"), "Required"));
        } else if (!SLUG.matcher(slug.asText()).matches()) {
            issues.add(new ApiException.Issue("invalid_string", List.of("slug"),
                    "slug must match ^[a-z][a-z0-9_-]{0,63}$"));
        } else if (routers.values().stream().anyMatch(r -> r.slug().equals(slug.asText()))) {
            issues.add(new ApiException.Issue("custom", List.of("slug"), "A router with this slug already exists."));
        }
        ObjectNode settings = settings(body.get("settings"), JSON.createObjectNode().put("schemaVersion", 1), issues);
        String name = optionalText(body, "name", issues);
        String description = optionalText(body, "description", issues);
        failOn(issues);
        Instant now = clock.instant();
        Router router = new Router(UUID.randomUUID().toString(), slug.asText(), name == null ? slug.asText() : name,
                description, settings, now, now, 1);
        routers.put(router.id(), router);
        requests.put(router.id(), new ArrayList<>());
        return render(router);
    }

    synchronized ObjectNode get(String id) {
        return render(find(id));
    }

    synchronized ObjectNode update(String id, JsonNode body) {
        Router router = find(id);
        List<ApiException.Issue> issues = new ArrayList<>();
        keys(body, Set.of("name", "description", "settings"), List.of(), issues);
        String name = optionalText(body, "name", issues);
        boolean clearsDescription = body.has("description") && body.get("description").isNull();
        String description = clearsDescription ? null : optionalText(body, "description", issues);
        ObjectNode settings = body.has("settings") ? settings(body.get("settings"), router.settings().deepCopy(), issues)
                : router.settings();
        failOn(issues);
        Router next = new Router(id, router.slug(), name == null ? router.name() : name,
                clearsDescription ? null : description == null ? router.description() : description, settings,
                router.createdAt(), clock.instant(), router.version() + 1);
        routers.put(id, next);
        return render(next);
    }

    synchronized void delete(String id) {
        find(id);
        routers.remove(id);
    }

    synchronized ObjectNode list(Map<String, String> query) {
        return page(routers.values().stream().sorted(Comparator.comparing(Router::createdAt).thenComparing(Router::id))
                .map(RouterBook::render).toList(), query);
    }

    synchronized ObjectNode listRequests(String id, Map<String, String> query) {
        find(id);
        return page(List.copyOf(requests.get(id)).reversed(), query);
    }

    /**
     * Routes a {@code POST /v1/generate/{kind}} body: a 404 {@code router_config_not_found} for an
     * unknown {@code configId}, a 400 {@code no_eligible_model} when the filters leave no model.
     */
    synchronized Routed route(String kind, JsonNode body) {
        List<ApiException.Issue> issues = new ArrayList<>();
        keys(body, Set.of("configId", "input"), List.of(), issues);
        JsonNode configId = body.get("configId");
        if (configId == null || !configId.isTextual() || !SLUG.matcher(configId.asText()).matches()) {
            issues.add(new ApiException.Issue("invalid_string", List.of("configId"),
                    "configId must be a router slug matching ^[a-z][a-z0-9_-]{0,63}$"));
        }
        JsonNode input = body.get("input");
        if (input == null || !input.isObject()) {
            issues.add(new ApiException.Issue("invalid_type", List.of("input"), "Required"));
        } else {
            checkInput(kind, input, issues);
        }
        failOn(issues);
        Router router = routers.values().stream().filter(r -> r.slug().equals(configId.asText())).findFirst()
                .orElseThrow(() -> new ApiException(404, JSON.createObjectNode().put("code", "router_config_not_found")
                        .put("error", "No router configuration '" + configId.asText() + "' exists.")));
        String family = kind.equals("audio") ? input.path("type").asText() : kind;
        int outputs = kind.equals("image") ? input.path("outputCount").asInt(1) : 1;
        ArrayNode pipeline = JSON.createArrayNode();
        List<Candidate> left = new ArrayList<>(CANDIDATES.stream().filter(c -> c.kind().equals(family)).toList());
        filter(pipeline, "capability", left);
        JsonNode models = router.settings().path("models");
        if (models.isObject()) {
            Set<String> ids = new java.util.HashSet<>();
            models.path("ids").forEach(i -> ids.add(i.asText()));
            boolean allowlist = models.path("mode").asText().equals("allowlist_only");
            left.removeIf(c -> allowlist != ids.contains(c.model()));
        }
        filter(pipeline, "allow_deny", left);
        JsonNode ceiling = router.settings().path("maxCreditsPerGeneration").path(kind);
        if (ceiling.isNumber()) {
            left.removeIf(c -> estimate(c, input, outputs) > ceiling.asLong());
        }
        filter(pipeline, "price", left);
        String requestId = UUID.randomUUID().toString();
        ObjectNode record = JSON.createObjectNode().put("id", requestId).put("requestId", requestId)
                .put("createdAt", clock.instant().toString());
        if (left.isEmpty()) {
            String emptiedBy = pipeline.get(pipeline.size() - 1).path("filter").asText();
            for (JsonNode step : pipeline) {
                if (step.path("models").isEmpty()) {
                    emptiedBy = step.path("filter").asText();
                    break;
                }
            }
            record.putArray("emptiedBy").add(emptiedBy);
            record.putNull("estimatedCredits").putNull("model").putNull("provider").putNull("taskId")
                    .put("reason", "no model passed the " + emptiedBy + " filter").putNull("reasonCode")
                    .put("status", "no_eligible_model").set("pipeline", pipeline);
            requests.get(router.id()).add(record);
            ObjectNode error = JSON.createObjectNode().put("code", "no_eligible_model")
                    .put("error", "No model of router '" + router.slug() + "' can serve this request (emptied by "
                            + emptiedBy + ").");
            error.putArray("emptiedBy").add(emptiedBy);
            error.set("pipeline", pipeline.deepCopy());
            throw new ApiException(400, error);
        }
        String optimizeFor = router.settings().path("optimizeFor").asText("cost");
        Comparator<Candidate> rank = switch (optimizeFor) {
            case "quality" -> Comparator.comparingInt(Candidate::quality).reversed();
            case "latency" -> Comparator.comparingInt(Candidate::latency);
            default -> Comparator.comparingLong(c -> estimate(c, input, outputs));
        };
        Candidate chosen = left.stream().sorted(rank).findFirst().orElseThrow();
        pipeline.addObject().put("type", "rank").put("outcome", left.size() == 1 ? "single_candidate"
                : optimizeFor.equals("cost") ? "cost" : "selected");
        long estimate = estimate(chosen, input, outputs);
        ObjectNode routing = JSON.createObjectNode();
        routing.put("configId", router.slug());
        routing.putObject("estimatedCost").put("credits", estimate);
        routing.put("model", chosen.model());
        routing.put("provider", chosen.provider());
        routing.set("resolvedInput", resolvedInput(kind, input));
        ObjectNode resolved = routing.putObject("resolvedSettings").put("optimizeFor", optimizeFor);
        if (ceiling.isNumber()) {
            resolved.put("priceCeiling", ceiling.asLong());
        } else {
            resolved.putNull("priceCeiling");
        }
        record.putArray("emptiedBy");
        record.put("estimatedCredits", estimate).put("model", chosen.model()).put("provider", chosen.provider())
                .put("reason", "chosen by " + optimizeFor)
                .put("reasonCode", left.size() == 1 ? "only_eligible_model" : switch (optimizeFor) {
                    case "quality" -> "best_quality";
                    case "latency" -> "best_latency";
                    default -> "lowest_cost";
                }).put("status", "routed").putNull("taskId").set("pipeline", pipeline);
        requests.get(router.id()).add(record);
        return new Routed(chosen, estimate, outputs, routing, router.id(), requestId);
    }

    /** Notes the task a routed request created, for {@code listRequests}. */
    synchronized void created(Routed routed, String taskId) {
        requests.getOrDefault(routed.routerId(), List.of()).stream()
                .filter(r -> r.path("id").asText().equals(routed.requestId())).forEach(r -> r.put("taskId", taskId));
    }

    private static long estimate(Candidate c, JsonNode input, int outputs) {
        return switch (c.kind()) {
            case "video" -> c.rate() * input.path("duration").asLong(5);
            case "image" -> c.rate() * outputs;
            case "speech" -> Math.max(1, (input.path("promptText").asText().length() + 49) / 50);
            default -> c.rate();
        };
    }

    private static void filter(ArrayNode pipeline, String name, List<Candidate> left) {
        ObjectNode step = pipeline.addObject().put("type", "filter").put("filter", name);
        ArrayNode models = step.putArray("models");
        left.forEach(c -> models.add(c.model()));
    }

    private static ObjectNode resolvedInput(String kind, JsonNode input) {
        ObjectNode out = JSON.createObjectNode();
        switch (kind) {
            case "video" -> {
                String aspect = input.path("aspectRatio").asText("16:9");
                out.put("duration", input.path("duration").asInt(5));
                out.put("ratio", switch (aspect) {
                    case "9:16" -> "720:1280";
                    case "1:1" -> "960:960";
                    case "4:3" -> "1104:832";
                    case "3:4" -> "832:1104";
                    case "21:9" -> "1584:672";
                    default -> "1280:720";
                });
                out.put("resolution", input.path("resolution").asText("720p"));
            }
            case "image" -> {
                String aspect = input.path("aspectRatio").asText("1:1");
                out.put("aspectRatio", aspect);
                out.put("ratio", aspect.equals("1:1") ? "1024:1024" : aspect.equals("9:16") ? "768:1344" : "1344:768");
                out.put("resolution", input.path("resolution").asText("1k"));
            }
            default -> {
                out.put("type", input.path("type").asText());
                JsonNode voice = input.path("voice");
                out.put("voice", voice.isObject() ? voice.path("type").asText("preset")
                        : input.path("type").asText().equals("speech") ? "default" : "none");
            }
        }
        return out;
    }

    private static void checkInput(String kind, JsonNode input, List<ApiException.Issue> issues) {
        Set<String> allowed = switch (kind) {
            case "video" -> Set.of("promptText", "aspectRatio", "duration", "resolution", "audio", "seed", "negativePrompt",
                    "referenceImages", "referenceVideos", "referenceAudio", "keyframes", "contentModeration");
            case "image" -> Set.of("promptText", "aspectRatio", "resolution", "outputCount", "referenceImages", "seed",
                    "contentModeration");
            default -> Set.of("type", "promptText", "voice", "duration", "loop", "referenceAudios");
        };
        keys(input, allowed, List.of("input"), issues);
        if (!kind.equals("video") && !(input.path("promptText").isTextual() && !input.path("promptText").asText().isEmpty())) {
            issues.add(new ApiException.Issue("invalid_type", List.of("input", "promptText"), "Required"));
        }
        if (kind.equals("audio") && !Set.of("speech", "audio").contains(input.path("type").asText())) {
            issues.add(new ApiException.Issue("invalid_enum_value", List.of("input", "type"),
                    "Expected 'speech' | 'audio'"));
        }
        JsonNode count = input.get("outputCount");
        if (count != null && (!count.canConvertToExactIntegral() || count.asInt() < 1 || count.asInt() > 10)) {
            issues.add(new ApiException.Issue("too_big", List.of("input", "outputCount"), "outputCount must be 1-10"));
        }
        JsonNode duration = input.get("duration");
        if (duration != null && (!duration.canConvertToExactIntegral() || duration.asInt() < 1 || duration.asInt() > 15)) {
            issues.add(new ApiException.Issue("too_big", List.of("input", "duration"), "duration must be 1-15"));
        }
    }

    private static ObjectNode settings(JsonNode given, ObjectNode base, List<ApiException.Issue> issues) {
        if (given == null || given.isNull()) {
            return base;
        }
        if (!given.isObject()) {
            issues.add(new ApiException.Issue("invalid_type", List.of("settings"), "Expected object"));
            return base;
        }
        keys(given, SETTINGS_KEYS, List.of("settings"), issues);
        JsonNode optimize = given.get("optimizeFor");
        if (optimize != null && !Set.of("cost", "latency", "quality").contains(optimize.asText())) {
            issues.add(new ApiException.Issue("invalid_enum_value", List.of("settings", "optimizeFor"),
                    "Expected 'cost' | 'latency' | 'quality'"));
        }
        JsonNode models = given.get("models");
        if (models != null && (!models.path("ids").isArray()
                || !Set.of("allow_new_except", "allowlist_only").contains(models.path("mode").asText()))) {
            issues.add(new ApiException.Issue("invalid_type", List.of("settings", "models"),
                    "models needs ids (array) and mode (allow_new_except | allowlist_only)"));
        }
        JsonNode caps = given.get("maxCreditsPerGeneration");
        if (caps != null) {
            caps.properties().forEach(e -> {
                if (!KINDS.contains(e.getKey()) || !e.getValue().canConvertToExactIntegral() || e.getValue().asLong() < 0) {
                    issues.add(new ApiException.Issue("invalid_type", List.of("settings", "maxCreditsPerGeneration",
                            e.getKey()), "maxCreditsPerGeneration takes video, image and audio as non-negative integers"));
                }
            });
        }
        ObjectNode merged = base.deepCopy();
        given.properties().forEach(e -> merged.set(e.getKey(), e.getValue()));
        merged.put("schemaVersion", 1);
        return merged;
    }

    private static void keys(JsonNode body, Set<String> allowed, List<Object> at, List<ApiException.Issue> issues) {
        body.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                issues.add(new ApiException.Issue("unrecognized_keys", at, "Unrecognized key(s) in object: '" + name + "'"));
            }
        });
    }

    private static String optionalText(JsonNode body, String field, List<ApiException.Issue> issues) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            issues.add(new ApiException.Issue("invalid_type", List.of(field), "Expected string"));
            return null;
        }
        return value.asText();
    }

    private static void failOn(List<ApiException.Issue> issues) {
        if (!issues.isEmpty()) {
            throw new ApiException(400, "Validation of body failed", issues, Map.of());
        }
    }

    private Router find(String id) {
        Router router = routers.get(id);
        if (router == null) {
            throw new ApiException(404, "Router not found.");
        }
        return router;
    }

    private static ObjectNode render(Router r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", r.id());
        node.put("createdAt", r.createdAt().toString());
        if (r.description() == null) {
            node.putNull("description");
        } else {
            node.put("description", r.description());
        }
        node.put("name", r.name());
        node.set("settings", r.settings().deepCopy());
        node.put("slug", r.slug());
        node.put("updatedAt", r.updatedAt().toString());
        node.put("version", r.version());
        return node;
    }

    /** A cursor page of router objects (see {@link CursorPages}); the cursor is the last item's id. */
    private static ObjectNode page(List<ObjectNode> all, Map<String, String> query) {
        return CursorPages.page(all, item -> item.path("id").asText(), ObjectNode::deepCopy, query);
    }

    /** The kind of media a generate request of this kind produces. */
    static MediaKind outputKind(String kind) {
        return switch (kind) {
            case "video" -> MediaKind.VIDEO;
            case "image" -> MediaKind.IMAGE;
            default -> MediaKind.AUDIO;
        };
    }
}
