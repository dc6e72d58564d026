package com.runwayrelay.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runway's custom voices as the simulator keeps them: one set for the whole organization, no notion of the
 * gateway's apps. A voice is {@code PROCESSING} for {@code processing} after its create and {@code READY}
 * after (with a {@code previewUrl}); a voice whose name starts with {@code fail} ends {@code FAILED} with a
 * {@code failureReason} instead. A create answers {@code {id}} only; an update answers the voice; lists are
 * newest first, cursor-paged. {@code POST /v1/voices/preview} answers {@code {url, durationSecs}}.
 * Thread-safe.
 */
final class VoiceBook {
    static final Set<String> MODELS = Set.of("eleven_ttv_v3", "eleven_multilingual_ttv_v2");
    private final Map<String, Voice> voices = new LinkedHashMap<>();
    private final Clock clock;
    private final Duration processing;

    VoiceBook(Clock clock, Duration processing) {
        this.clock = clock;
        this.processing = processing;
    }

    private record Voice(String id, String name, String description, Instant createdAt) {
    }

    synchronized ObjectNode create(JsonNode body) {
        List<ApiException.Issue> issues = new ArrayList<>();
        String name = OrgResources.text(body, "name", true, 1, issues);
        String description = OrgResources.text(body, "description", false, 0, issues);
        JsonNode from = body.get("from");
        if (from == null || !from.isObject()) {
            issues.add(new ApiException.Issue("invalid_type", List.of("from"), from == null ? "Required" : "Expected object"));
        } else {
            String type = OrgResources.oneOf(from, "type", true, Set.of("audio", "text"), issues, "from");
            if ("audio".equals(type)) {
                OrgResources.text(from, "audio", true, 1, issues, "from");
                OrgResources.unknownKeys(from, Set.of("type", "audio"), issues, "from");
            } else if ("text".equals(type)) {
                OrgResources.oneOf(from, "model", true, MODELS, issues, "from");
                OrgResources.text(from, "prompt", true, 20, issues, "from");
                OrgResources.unknownKeys(from, Set.of("type", "model", "prompt"), issues, "from");
            }
        }
        OrgResources.unknownKeys(body, Set.of("name", "description", "from"), issues);
        OrgResources.failIfAny(issues);
        Voice voice = new Voice(UUID.randomUUID().toString(), name, description, clock.instant());
        voices.put(voice.id(), voice);
        return OrgResources.JSON.createObjectNode().put("id", voice.id());
    }

    synchronized ObjectNode get(String id, URI base) {
        return render(find(id), base);
    }

    /** Whether the organization has this voice (an avatar may name it). */
    synchronized boolean exists(String id) {
        return voices.containsKey(id);
    }

    synchronized ObjectNode update(String id, JsonNode body, URI base) {
        Voice voice = find(id);
        List<ApiException.Issue> issues = new ArrayList<>();
        String name = OrgResources.text(body, "name", false, 1, issues);
        String description = OrgResources.text(body, "description", false, 0, issues);
        OrgResources.unknownKeys(body, Set.of("name", "description"), issues);
        OrgResources.failIfAny(issues);
        Voice changed = new Voice(id, name == null ? voice.name() : name,
                body.has("description") ? description : voice.description(), voice.createdAt());
        voices.put(id, changed);
        return render(changed, base);
    }

    synchronized void delete(String id) {
        if (voices.remove(id) == null) {
            throw new ApiException(404, "Voice not found.");
        }
    }

    synchronized ObjectNode list(Map<String, String> query, URI base) {
        List<Voice> all = voices.values().stream()
                .sorted(Comparator.comparing(Voice::createdAt).thenComparing(Voice::id).reversed()).toList();
        return CursorPages.page(all, Voice::id, v -> render(v, base), query);
    }

    /** A short sample of a described voice; nothing is kept. */
    ObjectNode preview(JsonNode body, URI base) {
        List<ApiException.Issue> issues = new ArrayList<>();
        OrgResources.oneOf(body, "model", true, MODELS, issues);
        OrgResources.text(body, "prompt", true, 20, issues);
        OrgResources.unknownKeys(body, Set.of("model", "prompt"), issues);
        OrgResources.failIfAny(issues);
        return OrgResources.JSON.createObjectNode().put("durationSecs", 3.5)
                .put("url", base.resolve("/_sim/voice_previews/" + UUID.randomUUID() + ".mp3").toString());
    }

    synchronized int size() {
        return voices.size();
    }

    /** The voice as an avatar shows it: {@code {type: custom, id, deleted, name, description}}. */
    synchronized ObjectNode asAvatarVoice(String id) {
        Voice voice = voices.get(id);
        ObjectNode node = OrgResources.JSON.createObjectNode().put("type", "custom").put("id", id)
                .put("deleted", voice == null);
        if (voice != null) {
            node.put("name", voice.name());
            if (voice.description() == null) {
                node.putNull("description");
            } else {
                node.put("description", voice.description());
            }
        }
        return node;
    }

    private Voice find(String id) {
        Voice voice = voices.get(id);
        if (voice == null) {
            throw new ApiException(404, "Voice not found.");
        }
        return voice;
    }

    private ObjectNode render(Voice voice, URI base) {
        ObjectNode node = OrgResources.JSON.createObjectNode();
        node.put("id", voice.id());
        node.put("createdAt", voice.createdAt().toString());
        if (voice.description() == null) {
            node.putNull("description");
        } else {
            node.put("description", voice.description());
        }
        node.put("name", voice.name());
        boolean done = !clock.instant().isBefore(voice.createdAt().plus(processing));
        if (!done) {
            node.put("status", "PROCESSING");
        } else if (voice.name().startsWith("fail")) {
            node.put("status", "FAILED");
            node.put("failureReason", "The audio sample could not be used to make a voice.");
        } else {
            node.put("status", "READY");
            node.put("previewUrl", base.resolve("/_sim/voice_previews/" + voice.id() + ".mp3").toString());
        }
        return node;
    }
}
