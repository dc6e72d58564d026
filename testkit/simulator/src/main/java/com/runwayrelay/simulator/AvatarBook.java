package com.runwayrelay.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.function.Predicate;

/**
 * Runway's custom conversational avatars as the simulator keeps them: one set for the whole organization,
 * no notion of the gateway's apps. An avatar is {@code PROCESSING} for {@code processing} after its create
 * or a change of its reference image, then {@code READY} (with {@code processedImageUri}); an avatar whose
 * name starts with {@code fail} ends {@code FAILED} with a {@code failureReason}. A change while it is
 * processing is refused with 409, as Runway documents. The voice is a {@code runway-live-preset} or a
 * custom voice of the organization, and {@code documentIds} must name the organization's documents (400
 * otherwise). Lists are newest first, cursor-paged. Thread-safe.
 */
final class AvatarBook {
    static final Set<String> PRESET_VOICES = Set.of("victoria", "vincent", "clara", "drew", "skye", "max", "morgan",
            "felix", "mia", "marcus", "summer", "ruby", "aurora", "jasper", "leo", "adrian", "nina", "emma", "blake",
            "david", "maya", "nathan", "sam", "georgia", "petra", "adam", "zach", "violet", "roman", "luna");
    private static final Set<String> MEMBERS = Set.of("name", "personality", "referenceImage", "voice", "documentIds",
            "imageProcessing", "startScript");
    private final Map<String, Avatar> avatars = new LinkedHashMap<>();
    private final Clock clock;
    private final Duration processing;
    private final VoiceBook voices;
    private final Predicate<String> documentExists;

    AvatarBook(Clock clock, Duration processing, VoiceBook voices, Predicate<String> documentExists) {
        this.clock = clock;
        this.processing = processing;
        this.voices = voices;
        this.documentExists = documentExists;
    }

    private record Avatar(String id, ObjectNode fields, Instant createdAt, Instant updatedAt, Instant processedAt) {
    }

    synchronized ObjectNode create(JsonNode body, URI base) {
        ObjectNode fields = check(body, true);
        Instant now = clock.instant();
        if (!fields.has("documentIds")) {
            fields.putArray("documentIds");
        }
        Avatar avatar = new Avatar(UUID.randomUUID().toString(), fields, now, now, now.plus(processing));
        avatars.put(avatar.id(), avatar);
        return render(avatar, base);
    }

    synchronized ObjectNode get(String id, URI base) {
        return render(find(id), base);
    }

    synchronized ObjectNode update(String id, JsonNode body, URI base) {
        Avatar avatar = find(id);
        if (clock.instant().isBefore(avatar.processedAt())) {
            throw new ApiException(409, "Avatar is still processing; try again when it is ready.");
        }
        ObjectNode changes = check(body, false);
        if (changes.isEmpty()) {
            throw new ApiException(400, "Validation of body failed", List.of(new ApiException.Issue("custom", List.of(),
                    "At least one field must be provided.")), Map.of());
        }
        ObjectNode fields = avatar.fields().deepCopy();
        fields.setAll(changes);
        Instant now = clock.instant();
        Avatar changed = new Avatar(id, fields, avatar.createdAt(), now,
                changes.has("referenceImage") ? now.plus(processing) : avatar.processedAt());
        avatars.put(id, changed);
        return render(changed, base);
    }

    synchronized void delete(String id) {
        if (avatars.remove(id) == null) {
            throw new ApiException(404, "Avatar not found.");
        }
    }

    synchronized ObjectNode list(Map<String, String> query, URI base) {
        List<Avatar> all = avatars.values().stream()
                .sorted(Comparator.comparing(Avatar::createdAt).thenComparing(Avatar::id).reversed()).toList();
        return CursorPages.page(all, Avatar::id, a -> render(a, base), query);
    }

    synchronized int size() {
        return avatars.size();
    }

    /** Whether the organization has this avatar (an avatar video may name it). */
    synchronized boolean exists(String id) {
        return avatars.containsKey(id);
    }

    private ObjectNode check(JsonNode body, boolean create) {
        List<ApiException.Issue> issues = new ArrayList<>();
        ObjectNode fields = OrgResources.JSON.createObjectNode();
        keep(fields, "name", OrgResources.text(body, "name", create, 1, issues));
        keep(fields, "personality", OrgResources.text(body, "personality", create, 1, issues));
        keep(fields, "referenceImage", OrgResources.text(body, "referenceImage", create, 1, issues));
        keep(fields, "imageProcessing", OrgResources.oneOf(body, "imageProcessing", false, Set.of("optimize", "none"), issues));
        if (body.has("startScript") && body.get("startScript").isNull()) {
            fields.putNull("startScript");
        } else {
            keep(fields, "startScript", OrgResources.text(body, "startScript", false, 1, issues));
        }
        JsonNode voice = body.get("voice");
        if (voice == null) {
            if (create) {
                issues.add(new ApiException.Issue("invalid_type", List.of("voice"), "Required"));
            }
        } else if (!voice.isObject()) {
            issues.add(new ApiException.Issue("invalid_type", List.of("voice"), "Expected object"));
        } else {
            String type = OrgResources.oneOf(voice, "type", true, Set.of("runway-live-preset", "custom"), issues, "voice");
            if ("runway-live-preset".equals(type)) {
                OrgResources.oneOf(voice, "presetId", true, PRESET_VOICES, issues, "voice");
            } else if ("custom".equals(type)) {
                String id = OrgResources.text(voice, "id", true, 1, issues, "voice");
                if (id != null && !voices.exists(id)) {
                    issues.add(new ApiException.Issue("custom", List.of("voice", "id"), "Voice not found: " + id));
                }
            }
            fields.set("voice", voice.deepCopy());
        }
        JsonNode documents = body.get("documentIds");
        if (documents != null) {
            if (!documents.isArray()) {
                issues.add(new ApiException.Issue("invalid_type", List.of("documentIds"), "Expected array"));
            } else {
                for (int i = 0; i < documents.size(); i++) {
                    JsonNode id = documents.get(i);
                    if (!id.isTextual() || !documentExists.test(id.asText())) {
                        issues.add(new ApiException.Issue("custom", List.of("documentIds", i), "Document not found: " + id));
                    }
                }
                fields.set("documentIds", documents.deepCopy());
            }
        }
        OrgResources.unknownKeys(body, MEMBERS, issues);
        OrgResources.failIfAny(issues);
        return fields;
    }

    private static void keep(ObjectNode fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    private Avatar find(String id) {
        Avatar avatar = avatars.get(id);
        if (avatar == null) {
            throw new ApiException(404, "Avatar not found.");
        }
        return avatar;
    }

    private ObjectNode render(Avatar avatar, URI base) {
        ObjectNode f = avatar.fields();
        ObjectNode node = OrgResources.JSON.createObjectNode();
        node.put("id", avatar.id());
        node.put("createdAt", avatar.createdAt().toString());
        ArrayNode documents = node.putArray("documentIds");
        f.path("documentIds").forEach(documents::add);
        node.put("name", f.path("name").asText());
        node.put("personality", f.path("personality").asText());
        boolean done = !clock.instant().isBefore(avatar.processedAt());
        String image = base.resolve("/_sim/avatars/" + avatar.id() + "/reference.jpg").toString();
        node.put("referenceImageUri", image);
        if (done && !f.path("name").asText().startsWith("fail")) {
            node.put("processedImageUri", base.resolve("/_sim/avatars/" + avatar.id() + "/processed.jpg").toString());
        } else {
            node.putNull("processedImageUri");
        }
        if (f.path("startScript").isTextual()) {
            node.put("startScript", f.get("startScript").asText());
        } else {
            node.putNull("startScript");
        }
        if (!done) {
            node.put("status", "PROCESSING");
        } else if (f.path("name").asText().startsWith("fail")) {
            node.put("status", "FAILED");
            node.put("failureReason", "No face could be found in the reference image.");
        } else {
            node.put("status", "READY");
        }
        node.put("updatedAt", avatar.updatedAt().toString());
        JsonNode voice = f.path("voice");
        if ("custom".equals(voice.path("type").asText())) {
            node.set("voice", voices.asAvatarVoice(voice.path("id").asText()));
        } else {
            String preset = voice.path("presetId").asText();
            node.putObject("voice").put("type", "runway-live-preset").put("presetId", preset)
                    .put("name", Character.toUpperCase(preset.charAt(0)) + preset.substring(1))
                    .put("description", "A Runway live preset voice.");
        }
        return node;
    }
}
