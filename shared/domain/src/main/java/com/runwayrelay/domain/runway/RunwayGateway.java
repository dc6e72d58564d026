package com.runwayrelay.domain.runway;

import com.runwayrelay.domain.RunwayStatus;
import com.runwayrelay.domain.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The gateway's view of Runway: create a task, read it, cancel it. Implemented over the HTTP
 * client in {@code shared/runway}; an in-memory fake serves unit tests.
 *
 * <p>Every way a call can end is a value, not an exception, because each one calls for a
 * different reaction and the callers must handle all of them.
 */
public interface RunwayGateway {

    /** Creates a Runway task from a request body already validated. */
    CreateOutcome create(String endpoint, String requestJson);

    /** Reads a Runway task. */
    ReadOutcome get(String runwayTaskId);

    /** Cancels (or deletes, when finished) a Runway task; a task Runway no longer knows counts as done. */
    CancelOutcome cancel(String runwayTaskId);

    /**
     * Reads what a gateway task created at Runway: a task ({@code GET /v1/tasks/{id}}), or for an
     * {@code endpoint} of a workflow run ({@link WorkflowRuns#isRun}) a workflow invocation, whose
     * outputs come with the node that produced each. The default serves gateways that know tasks only.
     */
    default ReadOutcome get(String endpoint, String runwayId) {
        return get(runwayId);
    }

    /**
     * Cancels what a gateway task created at Runway. Runway offers no cancel for a workflow
     * invocation, so for an {@code endpoint} of a workflow run ({@link WorkflowRuns#isRun}) nothing
     * is sent and the answer is {@link CancelOutcome.Done}: the invocation runs on at Runway.
     */
    default CancelOutcome cancel(String endpoint, String runwayId) {
        return WorkflowRuns.isRun(endpoint) ? new CancelOutcome.Done() : cancel(runwayId);
    }

    /** How a create ended. */
    sealed interface CreateOutcome {
        /**
         * The task exists at Runway.
         *
         * @param routingJson the Model Router's {@code routing} object as JSON text for a routed
         *                    generation, opaque here and kept on the task; else null
         */
        record Created(String runwayTaskId, Long estimatedCredits, String routingJson) implements CreateOutcome {
            /** A task created with no {@code routing}. */
            public Created(String runwayTaskId, Long estimatedCredits) {
                this(runwayTaskId, estimatedCredits, null);
            }
        }

        /** Runway refused the request itself (400): repeating it cannot help. */
        record Rejected(String error, List<Violation> issues) implements CreateOutcome {
            public Rejected {
                issues = List.copyOf(issues);
            }
        }

        /**
         * Nothing was created and trying later may work (429, quota, connection refused, our key
         * refused): the task stays ACCEPTED for a later try.
         *
         * @param retryAfter how long Runway asked to wait, or null
         */
        record Unavailable(String reason, Duration retryAfter) implements CreateOutcome {
        }

        /** The request may have reached Runway; a task may exist. Never create again blindly. */
        record Ambiguous(String reason) implements CreateOutcome {
        }
    }

    /** How a read ended. */
    sealed interface ReadOutcome {
        /** The task as Runway reports it. */
        record Found(RunwayTask task) implements ReadOutcome {
        }

        /** Runway does not know the task (deleted, cancelled, or never existed). */
        record Gone() implements ReadOutcome {
        }

        /** Runway could not be asked now; try again later. */
        record Unavailable(String reason, Duration retryAfter) implements ReadOutcome {
        }
    }

    /** How a cancel ended. */
    sealed interface CancelOutcome {
        /** Cancelled or deleted, or already gone. */
        record Done() implements CancelOutcome {
        }

        /** Runway could not be asked now; try again later. */
        record Unavailable(String reason, Duration retryAfter) implements CancelOutcome {
        }
    }

    /**
     * A Runway task as read.
     *
     * @param id          Runway's task id
     * @param status      as Runway reported it (a status Runway added later is kept as {@link RunwayStatus.Unknown})
     * @param progress    0..1 while RUNNING, else null
     * @param output      output URLs when SUCCEEDED, else empty
     * @param costCredits final credits when terminal, else null
     * @param failure     human-readable failure when FAILED, else null
     * @param failureCode machine failure code when FAILED (optional even then)
     * @param outputNodes for a workflow invocation, the node of each of {@code output}, index for index;
     *                    empty for a task
     * @param nodeErrorsJson for a workflow invocation, Runway's {@code nodeErrors} as JSON text, or null
     */
    record RunwayTask(String id, RunwayStatus status, Double progress, List<String> output, Long costCredits,
                      String failure, String failureCode, List<String> outputNodes, String nodeErrorsJson) {
        public RunwayTask {
            Objects.requireNonNull(status, "status");
            output = output == null ? List.of() : List.copyOf(output);
            outputNodes = outputNodes == null ? List.of() : List.copyOf(outputNodes);
            if (!outputNodes.isEmpty() && outputNodes.size() != output.size()) {
                throw new IllegalArgumentException("outputNodes must name one node per output");
            }
        }

        /** A task as Runway reports it (no workflow nodes). */
        public RunwayTask(String id, RunwayStatus status, Double progress, List<String> output, Long costCredits,
                          String failure, String failureCode) {
            this(id, status, progress, output, costCredits, failure, failureCode, List.of(), null);
        }

        /** SUCCEEDED, FAILED or CANCELLED. */
        public boolean terminal() {
            return status.terminal();
        }
    }
}
