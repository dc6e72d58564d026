package com.runwayrelay.submit;

import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.gateway.IdempotencyStore.StoredResponse;
import com.runwayrelay.domain.gateway.UsageLedger.Admission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What became of one task submission ({@link SubmitTask}), free of HTTP: {@link SubmitApi} maps
 * each outcome to its status and body in one table.
 */
sealed interface SubmitOutcome {

    /**
     * The task is recorded under {@code taskId}; what happened at Runway is for the status endpoint to tell.
     *
     * @param routingJson for a routed generation created in this request, Runway's {@code routing} object
     *                    (JSON text), handed back as Runway's answer carries it; else null
     */
    record Accepted(String taskId, long estimatedCredits, String routingJson) implements SubmitOutcome {
        Accepted(String taskId, long estimatedCredits) {
            this(taskId, estimatedCredits, null);
        }
    }

    /** The request is not a valid submission; nothing changed. */
    record Invalid(List<Violation> violations) implements SubmitOutcome {
        public Invalid {
            violations = List.copyOf(violations);
        }
    }

    /** The {@code Idempotency-Key} header is not a key this gateway accepts ({@code detail} says why). */
    record InvalidIdempotencyKey(String detail) implements SubmitOutcome {
    }

    /**
     * A repeat of a request already answered under its key: the answer stored then, in the form the
     * edge gave it ({@link SubmitTask}'s {@code replayForm}), to be sent again as it was.
     */
    record Replayed(StoredResponse stored) implements SubmitOutcome {
    }

    /** The key was used before for a different request, the one of task {@code taskId}. */
    record KeyReused(String key, String taskId) implements SubmitOutcome {
    }

    /** Another request with this key (of task {@code taskId}) is still being processed. */
    record KeyInProgress(String key, String taskId) implements SubmitOutcome {
    }

    /** The app's daily budget cannot hold the request's estimate; the budget resets at {@code resetsAt}. */
    record OverBudget(Admission.OverBudget over, Instant resetsAt) implements SubmitOutcome {
    }

    /** The app already has as many unfinished tasks as it may. */
    record TooManyActive(int activeTasks, int maxActiveTasks) implements SubmitOutcome {
    }

    /** Runway rejected the create of task {@code taskId}, which is recorded as failed. */
    record RunwayRejected(String taskId, String error, List<Violation> issues) implements SubmitOutcome {
        public RunwayRejected {
            issues = List.copyOf(issues);
        }
    }

    /**
     * Runway was unavailable and the request is too large to keep for a later try; the task is
     * recorded as failed and its reservation released.
     *
     * @param retryAfter when to try again
     */
    record RunwayUnavailable(String reason, Duration retryAfter) implements SubmitOutcome {
    }
}
