package com.runwayrelay.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.delivery.DeliverTo;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code relay.deliverTo}: where the gateway PUTs each archived output besides keeping it.
 *
 * <pre>{@code "deliverTo": [{"url": "<pre-signed PUT URL for output 0>"}, {"url": "<... output 1>"}]
 * "deliverTo": {"template": "https://storage.example.com/renders/{index}.{ext}?sig=..."}}</pre>
 *
 * <p>Every URL (a template with its placeholders filled in) must pass the rules webhooks are sent
 * under ({@link CallbackUrlCheck}: https, no user information, a host resolving to public addresses
 * only; loopback http only in the local stack). Once the whole request is acceptable, each URL is
 * also asked whether it redirects ({@link DeliverToProbes}, a HEAD that stores nothing); redirects are
 * refused again when delivering, and recorded, since the storage may change its mind. A list may not have more
 * entries than the request makes outputs; a template may use only {@value DeliverTo#INDEX} and
 * {@value DeliverTo#EXT}, and must use {@value DeliverTo#INDEX} when the request makes more than one output
 * (else every output would land on the same object).
 */
final class DeliverToOption {
    /** The member of {@code relay}. */
    static final String FIELD = "deliverTo";
    /** Pre-signed URLs with session tokens run long; the limit keeps the task item small. */
    static final int MAX_URL_CHARS = 4096;

    private DeliverToOption() {
    }

    /** The option, or null when absent or refused (each problem added to {@code violations}). */
    static DeliverTo parse(JsonNode node, CallbackUrlCheck check, int outputs, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<Object> path = List.of(RelayOptions.FIELD, FIELD);
        if (node.isObject()) {
            return template(node, check, outputs, path, violations);
        }
        if (!node.isArray()) {
            violations.add(new Violation(path, "invalid_type", "relay.deliverTo must be an array of {\"url\": ...} objects,"
                    + " one per output, or {\"template\": ...}"));
            return null;
        }
        if (node.isEmpty()) {
            violations.add(new Violation(path, "too_small", "relay.deliverTo must name at least one URL; leave it out"
                    + " to keep the outputs in the gateway's archive only"));
            return null;
        }
        if (node.size() > outputs) {
            violations.add(new Violation(path, "too_big", "relay.deliverTo has " + node.size() + " entries; this request"
                    + " makes " + outputs + " output" + (outputs == 1 ? "" : "s") + ", one URL each"));
            return null;
        }
        int before = violations.size();
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            List<Object> at = List.of(RelayOptions.FIELD, FIELD, i);
            String name = "relay.deliverTo[" + i + "]";
            if (!entry.isObject()) {
                violations.add(new Violation(at, "invalid_type", name + " must be an object {\"url\": ...}"));
                continue;
            }
            if (!onlyMember(entry, "url", at, name, violations)) {
                continue;
            }
            String url = url(entry.get("url"), check, List.of(RelayOptions.FIELD, FIELD, i, "url"), name + ".url",
                    violations);
            urls.add(url);
        }
        return violations.size() > before ? null : DeliverTo.of(urls);
    }

    private static DeliverTo template(JsonNode node, CallbackUrlCheck check, int outputs, List<Object> path,
                                      List<Violation> violations) {
        if (!onlyMember(node, "template", path, "relay.deliverTo", violations)) {
            return null;
        }
        JsonNode value = node.get("template");
        List<Object> at = List.of(RelayOptions.FIELD, FIELD, "template");
        if (!value.isTextual()) {
            violations.add(new Violation(at, "invalid_type", "relay.deliverTo.template must be a string"));
            return null;
        }
        String template = value.textValue();
        List<String> unknown = DeliverTo.unknownPlaceholders(template);
        if (!unknown.isEmpty()) {
            violations.add(new Violation(at, "unknown_placeholder", "relay.deliverTo.template uses "
                    + String.join(", ", unknown.stream().map(RelayOptions::abbreviate).toList()) + "; the placeholders are "
                    + DeliverTo.INDEX + " and " + DeliverTo.EXT));
            return null;
        }
        if (outputs > 1 && !template.contains(DeliverTo.INDEX)) {
            violations.add(new Violation(at, "missing_placeholder", "relay.deliverTo.template must contain "
                    + DeliverTo.INDEX + ": this request makes " + outputs + " outputs, and each needs its own URL"));
            return null;
        }
        String example = DeliverTo.expand(template, 0, "png");
        return url(example, check, at, "relay.deliverTo.template", violations) == null ? null : DeliverTo.template(template);
    }

    private static boolean onlyMember(JsonNode object, String member, List<Object> path, String name,
                                      List<Violation> violations) {
        int before = violations.size();
        object.fieldNames().forEachRemaining(field -> {
            if (!field.equals(member)) {
                List<Object> at = new ArrayList<>(path);
                at.add(field);
                violations.add(new Violation(at, "unrecognized_keys", name + "." + RelayOptions.abbreviate(field)
                        + " is not known; use " + member));
            }
        });
        if (!object.has(member)) {
            violations.add(new Violation(path, "invalid_type", name + " must have a " + member));
        }
        return violations.size() == before;
    }

    private static String url(JsonNode node, CallbackUrlCheck check, List<Object> path, String name,
                              List<Violation> violations) {
        if (!node.isTextual()) {
            violations.add(new Violation(path, "invalid_type", name + " must be a string"));
            return null;
        }
        return url(node.textValue(), check, path, name, violations);
    }

    private static String url(String url, CallbackUrlCheck check, List<Object> path, String name,
                              List<Violation> violations) {
        if (url.length() > MAX_URL_CHARS) {
            violations.add(new Violation(path, "too_big", name + " is " + url.length() + " characters long; the limit is "
                    + MAX_URL_CHARS));
            return null;
        }
        CallbackUrlCheck.Refusal refusal = check.check(url);
        if (refusal != null) {
            violations.add(new Violation(path, refusal.code(), name + ": " + refusal.message()));
            return null;
        }
        return url;
    }
}
