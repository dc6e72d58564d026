package com.runwayrelay.aws.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void invalidQuerySaysItIsTheQuery_namingTheParameterAndWhatIsAccepted() throws Exception {
        ApiResponse response = Problem.invalidQuery(List.of(
                Problem.queryIssue("limit", "too_big", "must be an integer from 1 to 100, got \"500\""),
                Problem.queryIssue("order", "invalid_enum_value", "must be 'asc' or 'desc', got 'up'"))).response();

        assertEquals(400, response.status());
        JsonNode body = ApiResponse.JSON.readTree(response.body());
        assertEquals("urn:runway-relay:problem:invalid-request", body.get("type").asText());
        assertEquals("Invalid request", body.get("title").asText());
        assertEquals("Validation of query failed: query parameter 'limit' must be an integer from 1 to 100, "
                + "got \"500\" (and 1 more issue)", body.get("detail").asText());
        assertEquals(body.get("detail"), body.get("error"));
        assertEquals("[\"query\",\"order\"]", body.get("issues").get(1).get("path").toString());
        assertEquals("query parameter 'order' must be 'asc' or 'desc', got 'up'",
                body.get("issues").get(1).get("message").asText());
        assertEquals("invalid_enum_value", body.get("issues").get(1).get("code").asText());
    }

    @Test
    void invalidQueryRefusesABodyIssueOrNone() {
        assertThrows(IllegalArgumentException.class, () -> Problem.invalidQuery(List.of(
                new Violation(List.of("limit"), "too_big", "limit must be at most 100"))));
        assertThrows(IllegalArgumentException.class, () -> Problem.invalidQuery(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Problem.invalidRequest(List.of(), List.of()));
    }

    @Test
    void queryAndBodyIssuesAreReportedTogether_queryFirst() throws Exception {
        Violation query = Problem.queryIssue("dryRun", "unrecognized_keys", "is not taken by this route (it takes none)");
        Violation body = new Violation(List.of("name"), "invalid_type", "name must be a string");

        Problem both = Problem.invalidRequest(List.of(query), List.of(body));
        assertEquals("Validation of query and body failed: query parameter 'dryRun' is not taken by this route "
                + "(it takes none) (and 1 more issue)", both.detail());
        assertEquals(List.of(query, body), both.issues());
        assertEquals(400, both.status());
        assertEquals("invalid-request", both.slug());

        assertEquals(Problem.invalidQuery(List.of(query)), Problem.invalidRequest(List.of(query), List.of()));
        assertEquals(Problem.invalidRequest(List.of(body)), Problem.invalidRequest(List.of(), List.of(body)));
        assertEquals("Validation of body failed: name must be a string",
                Problem.invalidRequest(List.of(), List.of(body)).detail(), "body errors keep their wording");
    }

    @Test
    void aDomainViolationOfAParameterBecomesAQueryIssue() {
        Violation cursor = Problem.queryIssue(new Violation(List.of("cursor"), "invalid_cursor",
                "cursor is not one the gateway issued; pass nextCursor from the previous page unchanged"));
        assertEquals(List.of("query", "cursor"), cursor.path());
        assertEquals("invalid_cursor", cursor.code());
        assertEquals("query parameter 'cursor' is not one the gateway issued; pass nextCursor from the previous page "
                + "unchanged", cursor.message());

        assertEquals("query parameter 'cursor' is refused: unreadable", Problem.queryIssue(
                new Violation(List.of("cursor"), "invalid_cursor", "unreadable")).message());
        assertThrows(IllegalArgumentException.class, () -> Problem.queryIssue(
                new Violation(List.of("a", "b"), "custom", "a.b is wrong")));
    }

    @Test
    void responsesCarryLowerCaseHeaders() {
        assertEquals("x", ApiResponse.noContent().withHeader("X-Thing", "x").headers().get("x-thing"));
        assertEquals(204, ApiResponse.noContent().status());
    }
}
