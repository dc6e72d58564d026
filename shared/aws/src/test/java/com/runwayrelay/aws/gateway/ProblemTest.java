package com.runwayrelay.aws.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.domain.Violation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void invalidRequestCarriesRfc9457AndRunwayFields_withEveryIssue() throws Exception {
        ApiResponse response = Problem.invalidRequest(List.of(
                new Violation(List.of("ratio"), "invalid_enum_value", "ratio must be one of 1920:1080"),
                new Violation(List.of("referenceImages", 0, "uri"), "host_not_allowed", "host is not allowed"),
                new Violation(List.of(), "custom", "whole body"))).response();

        assertEquals(400, response.status());
        assertEquals("application/problem+json", response.headers().get("content-type"));
        JsonNode body = ApiResponse.JSON.readTree(response.body());
        assertEquals("urn:runway-relay:problem:invalid-request", body.get("type").asText());
        assertEquals("Invalid request", body.get("title").asText());
        assertEquals(400, body.get("status").asInt());
        assertEquals("Validation of body failed: ratio must be one of 1920:1080 (and 2 more issues)",
                body.get("detail").asText());
        assertEquals(body.get("detail"), body.get("error"));
        assertEquals(3, body.get("issues").size());
        assertEquals("[\"referenceImages\",0,\"uri\"]", body.get("issues").get(1).get("path").toString());
        assertEquals("host_not_allowed", body.get("issues").get(1).get("code").asText());
    }

    @Test
    void extensionsAndRetryAfterAreRendered_andIssuesOmittedWhenNone() throws Exception {
        ApiResponse response = Problem.of(402, "budget-exceeded", "Daily credit budget exceeded", "over")
                .with("dailyCreditBudget", 100).with("usedCredits", 90L).withRetryAfter(Duration.ofMillis(10)).response();
        JsonNode body = ApiResponse.JSON.readTree(response.body());
        assertEquals(100, body.get("dailyCreditBudget").asInt());
        assertEquals(90, body.get("usedCredits").asLong());
        assertFalse(body.has("issues"));
        assertEquals("1", response.headers().get("retry-after"));
    }

    @Test
    void singleIssueHasNoMoreSuffix() {
        Problem p = Problem.invalidRequest(List.of(new Violation(List.of(), "invalid_json", "not JSON")));
        assertEquals("Validation of body failed: not JSON", p.detail());
    }

    @Test
    void responsesCarryLowerCaseHeaders() {
        assertEquals("x", ApiResponse.noContent().withHeader("X-Thing", "x").headers().get("x-thing"));
        assertEquals(204, ApiResponse.noContent().status());
    }
}
