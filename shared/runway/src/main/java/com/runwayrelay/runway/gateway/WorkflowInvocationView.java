package com.runwayrelay.runway.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.runway.RunwayGateway.RunwayTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A workflow invocation as Runway sent it, turned into the {@link RunwayTask} the poller and the
 * archiver work with: {@code output} (node id to URLs) flattened in Runway's order with the node of
 * each URL beside it, {@code nodeErrors} kept whole as JSON text. Workflow invocations report no
 * cost, so {@code costCredits} is null.
 */
final class WorkflowInvocationView {
    private WorkflowInvocationView() {
    }

    /**
     * @throws IllegalArgumentException when the answer lacks an id or a status, or its output is not
     *                                  an object of URL arrays
     */
    static RunwayTask of(ObjectNode invocation) {
        String id = invocation.path("id").asText(null);
        String status = invocation.path("status").asText(null);
        if (id == null || status == null) {
            throw new IllegalArgumentException("the invocation has no id or no status");
        }
        RunwayStatus known = RunwayStatus.fromWire(status);
        List<String> urls = new ArrayList<>();
        List<String> nodes = new ArrayList<>();
        // Only a SUCCEEDED invocation's outputs are archived; a RUNNING one's partial outputs are not kept.
        if (known == RunwayStatus.SUCCEEDED) {
            JsonNode output = invocation.path("output");
            if (!output.isMissingNode() && !output.isNull() && !output.isObject()) {
                throw new IllegalArgumentException("the invocation's output is not an object");
            }
            for (Map.Entry<String, JsonNode> node : output.properties()) {
                if (!node.getValue().isArray()) {
                    throw new IllegalArgumentException("the output of node " + node.getKey() + " is not an array");
                }
                for (JsonNode url : node.getValue()) {
                    if (!url.isTextual()) {
                        throw new IllegalArgumentException("an output of node " + node.getKey() + " is not a URL");
                    }
                    urls.add(url.asText());
                    nodes.add(node.getKey());
                }
            }
        }
        JsonNode progress = invocation.path("progress");
        JsonNode errors = invocation.path("nodeErrors");
        String nodeErrors = errors.isObject() && !errors.isEmpty() ? errors.toString() : null;
        String failure = known == RunwayStatus.FAILED ? invocation.path("failure").asText("") : null;
        String failureCode = invocation.path("failureCode").isTextual() ? invocation.path("failureCode").asText() : null;
        return new RunwayTask(id, known, progress.isNumber() ? progress.asDouble() : null, urls, null, failure,
                failureCode, nodes, nodeErrors);
    }
}
