package com.runwayrelay.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.aws.gateway.TaskWait;
import com.runwayrelay.aws.gateway.WireTask;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.TaskVisibility;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A create the app asked to hold ({@code Prefer: wait=N}): once the task is recorded and created at
 * Runway, the answer waits until the task ends as the app sees it or N seconds (at most
 * {@link TaskWait#MAX_WAIT}) pass, reading the stored task only ({@link TaskWait}; the poller and the
 * archiver move it, the held request never asks Runway). It then carries the task object that
 * {@code GET /v1/tasks/{id}} would answer — a superset of the usual {@code {id, estimatedCost}}, so an SDK
 * reading the create's answer keeps working — with {@code Preference-Applied: wait=M}.
 *
 * <p>Only a created task is held: a fresh create or a replay of one ({@code Idempotency-Key}); a
 * refusal is answered at once. The stored idempotent answer stays the usual one: a replay with the
 * header waits again, a replay without it gets {@code {id, estimatedCost}}.
 */
final class HeldCreates {
    private final TaskWait waits;
    private final WireTask wire;
    private final Clock clock;

    /** @param clock the clock {@code waits} measures with; the hold counts from the request's arrival */
    HeldCreates(TaskWait waits, WireTask wire, Clock clock) {
        this.waits = Objects.requireNonNull(waits, "waits");
        this.wire = Objects.requireNonNull(wire, "wire");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** When a request arrives: {@link #hold} counts its wait from here. */
    Instant arrival() {
        return clock.instant();
    }

    /**
     * The answer to a create after the hold the app preferred, counted from the request's arrival
     * (the create itself took part of it: the whole request stays within {@link TaskWait#MAX_WAIT}, inside
     * the function's and API Gateway's time limits); {@code answered} itself when it is not a created
     * task's (anything but 200 with an {@code id}).
     */
    ApiResponse hold(App app, ApiResponse answered, Duration preferred, Instant arrival) {
        Optional<String> taskId = createdTaskId(answered);
        if (taskId.isEmpty()) {
            return answered;
        }
        Duration applied = TaskWait.capped(preferred);
        Duration spent = Duration.between(arrival, clock.instant());
        Duration left = spent.isNegative() ? applied : applied.minus(spent);
        return waits.await(taskId.get(), task -> TaskVisibility.visibleTo(task, app.id()),
                        left.isNegative() ? Duration.ZERO : left)
                .map(task -> {
                    ObjectNode body = wire.render(task);
                    JsonNode estimate = parse(answered.body()).path("estimatedCost");
                    if (!body.has("estimatedCost") && estimate.isObject()) {
                        // The create's usual member stays, whatever the task's status shows now.
                        body.set("estimatedCost", estimate);
                    }
                    ApiResponse held = ApiResponse.json(200, body);
                    for (Map.Entry<String, String> header : answered.headers().entrySet()) {
                        if (!header.getKey().equalsIgnoreCase("content-type")) {
                            held = held.withHeader(header.getKey(), header.getValue());
                        }
                    }
                    return held.withHeader("preference-applied", "wait=" + applied.toSeconds());
                })
                // Deleted while held: the create's own answer, which stays true.
                .orElse(answered);
    }

    private static Optional<String> createdTaskId(ApiResponse answered) {
        if (answered.status() != 200) {
            return Optional.empty();
        }
        JsonNode id = parse(answered.body()).path("id");
        return id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
    }

    private static JsonNode parse(String body) {
        try {
            return ApiResponse.JSON.readTree(body == null ? "" : body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return ApiResponse.JSON.missingNode();
        }
    }
}
