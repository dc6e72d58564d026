package com.runwayrelay.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.gateway.UploadSlots;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/uploads}: asks Runway for an ephemeral upload slot on the app's behalf and hands
 * it over unchanged, so the app uploads straight to Runway's storage and uses the
 * {@code runway://} URI in its requests. The body is Runway's: {@code {"filename": "<name.ext>",
 * "type": "ephemeral"}}, taken as the tree the edge parsed ({@link RequestBody#parse}: valid JSON,
 * an object, no duplicate keys); it is never read from text again. What became of the request is an
 * {@link UploadOutcome}, which {@link SubmitApi} answers with.
 */
final class CreateUpload {
    private static final Pattern FILENAME = Pattern.compile("[^/\\\\\\p{Cntrl}]+\\.[A-Za-z0-9]{1,8}");

    private final UploadSlots slots;

    CreateUpload(UploadSlots slots) {
        this.slots = slots;
    }

    /**
     * Checks the upload request and, when it is sound, reserves a slot.
     *
     * @param body the request's body as the edge parsed it; read, never changed
     */
    UploadOutcome create(ObjectNode body) {
        Objects.requireNonNull(body, "body");
        List<Violation> violations = new ArrayList<>();
        JsonNode filename = body.get("filename");
        if (filename == null || !filename.isTextual()) {
            violations.add(new Violation(List.of("filename"), "invalid_type", "filename is required: a string such as frame.png"));
        } else if (filename.textValue().length() < 3 || filename.textValue().length() > 255) {
            violations.add(new Violation(List.of("filename"), filename.textValue().length() < 3 ? "too_small" : "too_big",
                    "filename must be 3 to 255 characters long"));
        } else if (!FILENAME.matcher(filename.textValue()).matches()) {
            violations.add(new Violation(List.of("filename"), "invalid_string",
                    "filename must be a plain file name with a media extension, such as frame.png"));
        }
        JsonNode type = body.get("type");
        if (type == null || !"ephemeral".equals(type.asText(null))) {
            violations.add(new Violation(List.of("type"), "invalid_literal", "type must be \"ephemeral\""));
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("filename") && !name.equals("type")) {
                violations.add(new Violation(List.of(name), "unrecognized_keys", name + " is not a field of an upload request"));
            }
        }
        if (!violations.isEmpty()) {
            return invalid(violations);
        }
        return new UploadOutcome.Answered(slots.reserve(filename.textValue()));
    }

    private static UploadOutcome invalid(List<Violation> violations) {
        return new UploadOutcome.Invalid(violations);
    }
}
