package com.runwayrelay.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.Problem;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.media.MediaKind;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.media.MediaViolation;
import com.runwayrelay.domain.runway.WorkflowRuns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What can be wrong with a workflow run ({@code POST /v1/workflows/{id}}) before a credit is spent.
 *
 * <p>{@link #refusal} answers whether the app may run the workflow at all: a workflow it is not
 * allowed (or an id that cannot be a workflow) is <em>not found</em> (404), the same answer as a
 * workflow that does not exist, so an app learns nothing about the organization's other workflows;
 * an allowed workflow without a configured credit ceiling is refused with 403, since nothing could be
 * reserved for it. {@link #check} then checks the body's shape as Runway's SDK types it,
 * {@code nodeOutputs: {<nodeId>: {<outputKey>: {type: primitive, value} | {type: image|video|audio, uri}}}},
 * and every {@code uri} against the media policy for its type.
 */
final class WorkflowRunCheck {
    /** Nodes a run may override; far more than a workflow graph has, and it keeps a body bounded. */
    static final int MAX_NODES = 200;
    /** Output keys per node. */
    static final int MAX_KEYS = 50;
    /** A primitive string value's length in characters. */
    static final int MAX_TEXT = 10_000;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    private static final Map<String, MediaKind> MEDIA_TYPES = Map.of(
            "image", MediaKind.IMAGE, "video", MediaKind.VIDEO, "audio", MediaKind.AUDIO);

    private final MediaUriPolicy media;

    WorkflowRunCheck(MediaUriPolicy media) {
        this.media = media;
    }

    /** Why the app may not run {@code workflowId}, as the problem to answer; empty when it may. */
    static Optional<Problem> refusal(App app, String workflowId) {
        if (!WorkflowRuns.validId(workflowId) || !app.allowsWorkflow(workflowId)) {
            return Optional.of(notFound(workflowId));
        }
        if (!app.workflowCeilings().containsKey(workflowId)) {
            return Optional.of(Problem.of(403, "workflow-ceiling-missing", "No credit ceiling for this workflow",
                    "Workflow " + workflowId + " has no credit ceiling configured for this app, so the gateway cannot"
                            + " reserve credits for a run (Runway gives no estimate); the operator sets one with"
                            + " with './relay apps update <app> --workflows " + workflowId + "=<credits>,...' or the"
                            + " admin API's workflowCeilings"));
        }
        return Optional.empty();
    }

    /** The answer for a workflow the app may not see, or that does not exist. */
    static Problem notFound(String workflowId) {
        return Problem.of(404, "workflow-not-found", "Workflow not found", "No published workflow '"
                + (WorkflowRuns.validId(workflowId) ? workflowId : "(invalid id)") + "' is available to this app");
    }

    /**
     * Checks a run's body (without {@code relay}), adding every problem found to {@code violations}.
     */
    void check(ObjectNode forward, List<Violation> violations) {
        for (Map.Entry<String, JsonNode> member : forward.properties()) {
            if (!member.getKey().equals("nodeOutputs")) {
                violations.add(new Violation(List.of(member.getKey()), "unrecognized_keys", "Unrecognized key '"
                        + member.getKey() + "': a workflow run takes only nodeOutputs (and relay)"));
            }
        }
        JsonNode nodeOutputs = forward.get("nodeOutputs");
        if (nodeOutputs == null) {
            return;
        }
        if (!nodeOutputs.isObject()) {
            violations.add(new Violation(List.of("nodeOutputs"), "invalid_type",
                    "nodeOutputs must be an object keyed by node id"));
            return;
        }
        if (nodeOutputs.size() > MAX_NODES) {
            violations.add(new Violation(List.of("nodeOutputs"), "too_big", "nodeOutputs names " + nodeOutputs.size()
                    + " nodes; at most " + MAX_NODES + " are accepted"));
            return;
        }
        for (Map.Entry<String, JsonNode> node : nodeOutputs.properties()) {
            List<Object> nodePath = List.of("nodeOutputs", node.getKey());
            if (!KEY.matcher(node.getKey()).matches()) {
                violations.add(new Violation(nodePath, "invalid_string", "nodeOutputs: '" + printable(node.getKey())
                        + "' is not a node id (1-128 letters, digits, '_', '.', ':' or '-')"));
                continue;
            }
            if (!node.getValue().isObject()) {
                violations.add(new Violation(nodePath, "invalid_type", dotted(nodePath)
                        + " must be an object mapping output keys to typed values"));
                continue;
            }
            if (node.getValue().size() > MAX_KEYS) {
                violations.add(new Violation(nodePath, "too_big", dotted(nodePath) + " has " + node.getValue().size()
                        + " output keys; at most " + MAX_KEYS + " are accepted"));
                continue;
            }
            for (Map.Entry<String, JsonNode> output : node.getValue().properties()) {
                List<Object> path = List.of("nodeOutputs", node.getKey(), output.getKey());
                if (!KEY.matcher(output.getKey()).matches()) {
                    violations.add(new Violation(path, "invalid_string", dotted(nodePath) + ": '"
                            + printable(output.getKey()) + "' is not an output key"));
                    continue;
                }
                value(path, output.getValue(), violations);
            }
        }
    }

    private void value(List<Object> path, JsonNode value, List<Violation> violations) {
        String where = dotted(path);
        if (!value.isObject()) {
            violations.add(new Violation(path, "invalid_type", where + " must be an object {type, value} or {type, uri}"));
            return;
        }
        String type = value.path("type").isTextual() ? value.path("type").asText() : null;
        if ("primitive".equals(type)) {
            only(path, value, Set.of("type", "value"), violations);
            JsonNode v = value.get("value");
            if (v == null || !(v.isTextual() || v.isNumber() || v.isBoolean())) {
                violations.add(new Violation(append(path, "value"), "invalid_type", where
                        + ".value must be a string, a number or a boolean"));
            } else if (v.isTextual() && v.asText().length() > MAX_TEXT) {
                violations.add(new Violation(append(path, "value"), "too_big", where + ".value is "
                        + v.asText().length() + " characters; at most " + MAX_TEXT + " are accepted"));
            }
            return;
        }
        MediaKind kind = type == null ? null : MEDIA_TYPES.get(type);
        if (kind == null) {
            violations.add(new Violation(append(path, "type"), "invalid_enum_value", where
                    + ".type must be one of primitive, image, video, audio"));
            return;
        }
        only(path, value, Set.of("type", "uri"), violations);
        JsonNode uri = value.get("uri");
        List<Object> uriPath = append(path, "uri");
        if (uri == null || !uri.isTextual()) {
            violations.add(new Violation(uriPath, "invalid_type", where + ".uri must be a string (an https URL, a"
                    + " runway:// upload URI or a data URI)"));
            return;
        }
        for (MediaViolation v : media.check(uri.asText(), Set.of(kind))) {
            violations.add(new Violation(uriPath, v.code(), dotted(uriPath) + ": " + v.message()));
        }
    }

    private static void only(List<Object> path, JsonNode value, Set<String> allowed, List<Violation> violations) {
        for (Map.Entry<String, JsonNode> member : value.properties()) {
            if (!allowed.contains(member.getKey())) {
                violations.add(new Violation(append(path, member.getKey()), "unrecognized_keys", dotted(path)
                        + ": unrecognized key '" + printable(member.getKey()) + "'"));
            }
        }
    }

    private static List<Object> append(List<Object> path, Object segment) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(segment);
        return List.copyOf(longer);
    }

    private static String dotted(List<Object> path) {
        return Violation.dotted(path);
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
