package com.runwayrelay.submit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.GatewayJson;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.gateway.UploadSlots;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/uploads}: asks Runway for an ephemeral upload slot on the app's behalf and hands
 * it over unchanged, so the app uploads straight to Runway's storage and uses the
 * {@code runway://} URI in its requests. The body is Runway's: {@code {"filename": "<name.ext>",
 * "type": "ephemeral"}}. What became of the request is an {@link UploadOutcome}, which
 * {@link SubmitApi} answers with.
 */
final class CreateUpload {
    private static final ObjectMapper JSON = GatewayJson.MAPPER;
    private static final Pattern FILENAME = Pattern.compile("[^/\\\\\\p{Cntrl}]{1,250}\\.[A-Za-z0-9]{1,8}");

    private final UploadSlots slots;

    CreateUpload(UploadSlots slots) {
        this.slots = slots;
    }

    UploadOutcome create(String rawBody) {
        JsonNode body;
        try {
            body = JSON.readTree(rawBody);
        } catch (JsonProcessingException e) {
            return invalid(List.of(new Violation(List.of(), "invalid_json", "The request body is not valid JSON")));
        }
        if (!(body instanceof ObjectNode)) {
            return invalid(List.of(new Violation(List.of(), "invalid_type",
                    "The request body must be a JSON object {\"filename\": \"<name.ext>\", \"type\": \"ephemeral\"}")));
        }
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
