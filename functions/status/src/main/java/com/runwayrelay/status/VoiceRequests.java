package com.runwayrelay.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.media.MediaUriPolicy;
import java.util.List;
import java.util.Set;

/**
 * The bodies of {@code POST /v1/voices}, {@code PATCH /v1/voices/{id}} and {@code POST /v1/voices/preview}
 * (Node SDK 4.20.1's {@code VoiceCreateParams}, {@code VoiceUpdateParams}, {@code VoicePreviewParams}),
 * checked before Runway is asked: a voice is made {@code from} an audio clip (its URI under the media-URI
 * policy, audio) or from a text description ({@code model} and a {@code prompt} of at least 20
 * characters, as the SDK documents); an update changes {@code name} and/or {@code description}
 * ({@code null} clears the description).
 */
final class VoiceRequests {
    static final int MAX_NAME = DocumentRequests.MAX_NAME;
    /** The shortest voice description Runway takes (SDK: "Must be at least 20 characters"). */
    static final int MIN_PROMPT = 20;
    static final Set<String> DESIGN_MODELS = Set.of("eleven_ttv_v3", "eleven_multilingual_ttv_v2");

    private final MediaUriPolicy media;

    VoiceRequests(MediaUriPolicy media) {
        this.media = media;
    }

    OwnedRequest create(String body) {
        StrictJsonBody.Read read = StrictJsonBody.read(body, Set.of("name", "description", "from"),
                "the body takes name, description and from");
        if (read instanceof StrictJsonBody.Read.Refused r) {
            return new OwnedRequest.Refused(r.problem());
        }
        StrictJsonBody.Read.Parsed parsed = (StrictJsonBody.Read.Parsed) read;
        ObjectNode object = parsed.object();
        List<Violation> violations = parsed.violations();
        String name = BodyFields.text(object, "name", List.of(), true, 1, MAX_NAME, violations);
        description(object, violations);
        ObjectNode from = BodyFields.object(object, "from", List.of(), true, violations);
        if (from != null) {
            List<Object> at = List.of("from");
            String type = BodyFields.oneOf(from, "type", at, true, Set.of("audio", "text"), violations);
            if ("audio".equals(type)) {
                BodyFields.onlyMembers(from, at, Set.of("type", "audio"), violations);
                BodyFields.media(from, "audio", at, true, MediaKind.AUDIO, media, violations);
            } else if ("text".equals(type)) {
                BodyFields.onlyMembers(from, at, Set.of("type", "model", "prompt"), violations);
                design(from, at, violations);
            }
        }
        return done(object, name, violations);
    }

    OwnedRequest update(String body) {
        StrictJsonBody.Read read = StrictJsonBody.read(body, Set.of("name", "description"),
                "the body takes name and description");
        if (read instanceof StrictJsonBody.Read.Refused r) {
            return new OwnedRequest.Refused(r.problem());
        }
        StrictJsonBody.Read.Parsed parsed = (StrictJsonBody.Read.Parsed) read;
        ObjectNode object = parsed.object();
        List<Violation> violations = parsed.violations();
        String name = BodyFields.text(object, "name", List.of(), false, 1, MAX_NAME, violations);
        description(object, violations);
        if (object.isEmpty() && violations.isEmpty()) {
            violations.add(new Violation(List.of(), "custom", "At least one of name or description must be given"));
        }
        return done(object, name, violations);
    }

    /** A preview body: {@code model} and {@code prompt}, nothing else. */
    OwnedRequest preview(String body) {
        StrictJsonBody.Read read = StrictJsonBody.read(body, Set.of("model", "prompt"), "the body takes model and prompt");
        if (read instanceof StrictJsonBody.Read.Refused r) {
            return new OwnedRequest.Refused(r.problem());
        }
        StrictJsonBody.Read.Parsed parsed = (StrictJsonBody.Read.Parsed) read;
        List<Violation> violations = parsed.violations();
        design(parsed.object(), List.of(), violations);
        return done(parsed.object(), null, violations);
    }

    private static void design(JsonNode object, List<Object> at, List<Violation> violations) {
        BodyFields.oneOf(object, "model", at, true, DESIGN_MODELS, violations);
        BodyFields.text(object, "prompt", at, true, MIN_PROMPT, Integer.MAX_VALUE, violations);
    }

    private static void description(ObjectNode object, List<Violation> violations) {
        JsonNode description = object.get("description");
        if (description != null && !description.isNull()) {
            BodyFields.text(object, "description", List.of(), false, 0, Integer.MAX_VALUE, violations);
        }
    }

    private static OwnedRequest done(ObjectNode object, String name, List<Violation> violations) {
        return violations.isEmpty() ? new OwnedRequest.Ok(object, name, List.of())
                : new OwnedRequest.Refused(Problem.invalidRequest(violations));
    }
}
