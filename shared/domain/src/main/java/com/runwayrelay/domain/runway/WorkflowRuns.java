package com.runwayrelay.domain.runway;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a workflow run lives in the task pipeline: a gateway task whose endpoint is
 * {@code workflows/<workflowId>} (the path its create is sent to, {@code POST /v1/workflows/<id>}),
 * whose model is {@value #MODEL}, and whose Runway id names a workflow invocation rather than a task.
 */
public final class WorkflowRuns {
    /** The model recorded for every workflow run (a low-cardinality dimension for metrics and usage). */
    public static final String MODEL = "workflow";
    /** The start of a workflow run's endpoint. */
    public static final String PREFIX = "workflows/";
    /** What a workflow id may look like: Runway's are UUIDs; anything else is never sent on. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    private WorkflowRuns() {
    }

    /** Whether {@code endpoint} is a workflow run's. */
    public static boolean isRun(String endpoint) {
        return endpoint != null && endpoint.startsWith(PREFIX);
    }

    /** Whether {@code id} may be a workflow (or invocation) id: letters, digits, '_' and '-', 1 to 128. */
    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The endpoint of a run of {@code workflowId}. */
    public static String endpoint(String workflowId) {
        if (!validId(workflowId)) {
            throw new IllegalArgumentException("'" + workflowId + "' is not a workflow id");
        }
        return PREFIX + workflowId;
    }

    /** The workflow a run's endpoint names, or empty for any other endpoint. */
    public static Optional<String> workflowId(String endpoint) {
        return isRun(endpoint) ? Optional.of(endpoint.substring(PREFIX.length())) : Optional.empty();
    }
}
