package com.runwayrelay.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.owned.Reference;
import com.runwayrelay.domain.owned.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The bodies of {@code POST /v1/avatars} and {@code PATCH /v1/avatars/{id}} (Node SDK 4.20.1's
 * {@code AvatarCreateParams} and {@code AvatarUpdateParams}), checked before Runway is asked: the
 * members and their types, {@code referenceImage} under the media-URI policy (an image), the voice
 * (a {@code runway-live-preset} by name, or {@code custom} by id), and the ids the body names
 * ({@code documentIds}, a custom voice's {@code id}) collected as references the app must own.
 * Lengths Runway does not publish are left to Runway, except the name (the gateway keeps it).
 */
final class AvatarRequests {
    static final int MAX_NAME = DocumentRequests.MAX_NAME;
    /** The most documents an avatar body may name here (each is checked against the app's records). */
    static final int MAX_DOCUMENTS = 100;
    static final Set<String> PRESET_VOICES = Set.of("victoria", "vincent", "clara", "drew", "skye", "max", "morgan",
            "felix", "mia", "marcus", "summer", "ruby", "aurora", "jasper", "leo", "adrian", "nina", "emma", "blake",
            "david", "maya", "nathan", "sam", "georgia", "petra", "adam", "zach", "violet", "roman", "luna");
    private static final Set<String> MEMBERS = Set.of("name", "personality", "referenceImage", "voice", "documentIds",
            "imageProcessing", "startScript");
    private static final Set<String> IMAGE_PROCESSING = Set.of("optimize", "none");

    private final MediaUriPolicy media;

    AvatarRequests(MediaUriPolicy media) {
        this.media = media;
    }

    OwnedRequest create(String body) {
        return check(body, true);
    }

    OwnedRequest update(String body) {
        return check(body, false);
    }

    private OwnedRequest check(String body, boolean create) {
        StrictJsonBody.Read read = StrictJsonBody.read(body, MEMBERS, "the body takes " + String.join(", ",
                new java.util.TreeSet<>(MEMBERS)));
        if (read instanceof StrictJsonBody.Read.Refused r) {
            return new OwnedRequest.Refused(r.problem());
        }
        StrictJsonBody.Read.Parsed parsed = (StrictJsonBody.Read.Parsed) read;
        ObjectNode object = parsed.object();
        List<Violation> violations = parsed.violations();
        List<Reference> references = new ArrayList<>();
        String name = BodyFields.text(object, "name", List.of(), create, 1, MAX_NAME, violations);
        BodyFields.text(object, "personality", List.of(), create, 1, Integer.MAX_VALUE, violations);
        BodyFields.media(object, "referenceImage", List.of(), create, MediaKind.IMAGE, media, violations);
        BodyFields.oneOf(object, "imageProcessing", List.of(), false, IMAGE_PROCESSING, violations);
        if (!(object.get("startScript") != null && object.get("startScript").isNull() && !create)) {
            // An update may clear the opening message with null; otherwise it is a string.
            BodyFields.text(object, "startScript", List.of(), false, 1, Integer.MAX_VALUE, violations);
        }
        voice(object, create, references, violations);
        documents(object, references, violations);
        if (!create && object.isEmpty() && violations.isEmpty()) {
            violations.add(new Violation(List.of(), "custom", "At least one field must be given"));
        }
        return violations.isEmpty() ? new OwnedRequest.Ok(object, name, references)
                : new OwnedRequest.Refused(Problem.invalidRequest(violations));
    }

    private static void voice(ObjectNode object, boolean required, List<Reference> references, List<Violation> violations) {
        ObjectNode voice = BodyFields.object(object, "voice", List.of(), required, violations);
        if (voice == null) {
            return;
        }
        List<Object> at = List.of("voice");
        String type = BodyFields.oneOf(voice, "type", at, true, Set.of("runway-live-preset", "custom"), violations);
        if ("runway-live-preset".equals(type)) {
            BodyFields.onlyMembers(voice, at, Set.of("type", "presetId"), violations);
            BodyFields.oneOf(voice, "presetId", at, true, PRESET_VOICES, violations);
        } else if ("custom".equals(type)) {
            BodyFields.onlyMembers(voice, at, Set.of("type", "id"), violations);
            String id = BodyFields.text(voice, "id", at, true, 1, 128, violations);
            if (id != null) {
                references.add(new Reference(ResourceKind.VOICES, id, List.of("voice", "id")));
            }
        }
    }

    private static void documents(ObjectNode object, List<Reference> references, List<Violation> violations) {
        JsonNode ids = object.get("documentIds");
        if (ids == null) {
            return;
        }
        if (!ids.isArray()) {
            violations.add(new Violation(List.of("documentIds"), "invalid_type", "documentIds must be an array of"
                    + " document ids, got " + BodyFields.type(ids)));
            return;
        }
        if (ids.size() > MAX_DOCUMENTS) {
            violations.add(new Violation(List.of("documentIds"), "too_big", "documentIds may name at most "
                    + MAX_DOCUMENTS + " documents, got " + ids.size()));
            return;
        }
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            List<Object> path = List.of("documentIds", i);
            if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > 128) {
                violations.add(new Violation(path, "invalid_type", Violation.dotted(path) + " must be a document id (a"
                        + " string of 1-128 characters)"));
            } else if (seen.add(id.asText())) {
                references.add(new Reference(ResourceKind.DOCUMENTS, id.asText(), path));
            }
        }
    }
}
