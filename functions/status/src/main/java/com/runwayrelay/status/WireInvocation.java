package com.runwayrelay.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.WireTask;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Task;

/**
 * A stored workflow run as the workflow invocation an SDK expects
 * ({@code GET /v1/workflow_invocations/{id}}): {@code id}, {@code createdAt}, {@code status} as
 * {@link WireTask#status} maps the gateway state; RUNNING with {@code progress} and an {@code output}
 * object (empty: a running invocation's partial outputs are not archived); SUCCEEDED with
 * {@code output} = node id to links to our S3 copies, signed on every call, in each node's order;
 * FAILED with {@code failure} and {@code failureCode}; Runway's {@code nodeErrors} passed through
 * whenever it sent some, on the statuses whose SDK type has the member (RUNNING, SUCCEEDED, FAILED;
 * not PENDING, THROTTLED, CANCELLED). The gateway's details ride under {@code relay}, as on a task.
 */
final class WireInvocation {
    private final WireTask tasks;

    /** Renders with {@code tasks}, whose signer also signs the outputs' links. */
    WireInvocation(WireTask tasks) {
        this.tasks = tasks;
    }

    ObjectNode render(Task task) {
        ObjectNode asTask = tasks.render(task);
        ObjectNode wire = ApiResponse.JSON.createObjectNode();
        wire.put("id", task.id());
        RunwayStatus.Known status = WireTask.status(task);
        wire.put("status", status.wire());
        wire.put("createdAt", WireTask.time(task.createdAt()));
        switch (status) {
            case RUNNING -> {
                wire.set("progress", asTask.get("progress"));
                wire.putObject("output");
            }
            case SUCCEEDED -> {
                ObjectNode output = wire.putObject("output");
                for (ArchiveRecord record : task.archive().records()) {
                    String node = record.node() == null ? "output" : record.node();
                    JsonNode links = output.get(node);
                    (links == null ? output.putArray(node) : (com.fasterxml.jackson.databind.node.ArrayNode) links)
                            .add(tasks.link(record.key(), task.request().linkTtl()).url().toString());
                }
            }
            case FAILED -> {
                wire.set("failure", asTask.get("failure"));
                if (asTask.has("failureCode")) {
                    wire.set("failureCode", asTask.get("failureCode"));
                }
            }
            default -> {
            }
        }
        // SDK 4.20.1's Pending, Throttled and Cancelled types have no nodeErrors member.
        boolean mayCarryNodeErrors = status == RunwayStatus.Known.RUNNING || status == RunwayStatus.Known.SUCCEEDED
                || status == RunwayStatus.Known.FAILED;
        if (mayCarryNodeErrors && task.runway().nodeErrorsJson() != null) {
            try {
                wire.set("nodeErrors", ApiResponse.JSON.readTree(task.runway().nodeErrorsJson()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // Written from a parsed object by the poller; never seen, and not worth failing a read over.
                wire.putObject("nodeErrors");
            }
        }
        ObjectNode relay = (ObjectNode) asTask.get("relay");
        relay.put("workflowId", task.request().endpoint().substring("workflows/".length()));
        wire.set("relay", relay);
        return wire;
    }
}
