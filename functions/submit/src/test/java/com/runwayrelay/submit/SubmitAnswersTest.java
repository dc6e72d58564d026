package com.runwayrelay.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.gateway.IdempotencyStore.StoredResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stored form of a lasting outcome is what idempotency records already hold: a replay of a
 * record written by an earlier version must give the same bytes, so these strings are pinned.
 */
class SubmitAnswersTest {

    @Test
    void storesAnAcceptedTaskAsItsExactAnswer() {
        StoredResponse stored = SubmitApi.stored(new SubmitOutcome.Accepted("task-1", 8));

        assertEquals(new StoredResponse(200, "{\"id\":\"task-1\",\"estimatedCost\":{\"credits\":8}}"), stored);
    }

    @Test
    void storesARunwayRejectionAsItsProblemDocument() {
        StoredResponse stored = SubmitApi.stored(new SubmitOutcome.RunwayRejected("task-1", "Invalid asset",
                List.of(new Violation(List.of("promptText"), "custom", "Runway says no"))));

        assertEquals(new StoredResponse(400, "{\"type\":\"urn:runway-relay:problem:runway-rejected\","
                + "\"title\":\"Runway rejected the request\",\"status\":400,"
                + "\"detail\":\"Runway rejected the request: Invalid asset\","
                + "\"error\":\"Runway rejected the request: Invalid asset\","
                + "\"issues\":[{\"code\":\"custom\",\"path\":[\"promptText\"],\"message\":\"Runway says no\"}],"
                + "\"id\":\"task-1\"}"), stored);
    }

    @Test
    void replaysAStoredAnswerUnchanged_withItsContentTypeAndTheReplayHeader() {
        String problem = "{\"type\":\"urn:runway-relay:problem:runway-rejected\",\"status\":400}";

        ApiResponse success = SubmitApi.answer(new SubmitOutcome.Replayed(new StoredResponse(200, "{\"id\":\"t\"}")));
        ApiResponse failure = SubmitApi.answer(new SubmitOutcome.Replayed(new StoredResponse(400, problem)));

        assertEquals(new ApiResponse(200, Map.of("content-type", "application/json", "idempotent-replayed", "true"),
                "{\"id\":\"t\"}"), success);
        assertEquals(new ApiResponse(400, Map.of("content-type", "application/problem+json",
                "idempotent-replayed", "true"), problem), failure);
    }
}
