package com.runwayrelay.simulator;

import java.time.Instant;
import java.util.List;

/**
 * An immutable snapshot of a task inside the simulator, for test assertions.
 *
 * @param id               the task id Runway would return
 * @param endpoint         endpoint name without {@code /v1/}, e.g. {@code text_to_image}
 * @param model            the request's {@code model}
 * @param status           status at the time of the snapshot (a cancelled task shows CANCELLED)
 * @param progress         0..1; meaningful while RUNNING, 1 once SUCCEEDED
 * @param createdAt        when the create request was processed
 * @param estimatedCredits what the create response reported as {@code estimatedCost.credits}
 * @param cancelled        whether a DELETE cancelled it before it finished
 * @param deleted          whether a DELETE removed it after it finished
 * @param failureCode      the failure code of a FAILED task, else null
 * @param outputs          the output files of a SUCCEEDED task, else empty
 * @param requestBody      the create request body exactly as received (JSON text)
 */
public record SimulatedTask(
        String id,
        String endpoint,
        String model,
        TaskStatus status,
        double progress,
        Instant createdAt,
        long estimatedCredits,
        boolean cancelled,
        boolean deleted,
        String failureCode,
        List<SimulatedOutput> outputs,
        String requestBody) {

    public SimulatedTask {
        outputs = List.copyOf(outputs);
    }
}
