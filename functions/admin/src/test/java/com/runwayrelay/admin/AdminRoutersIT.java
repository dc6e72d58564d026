package com.runwayrelay.admin;

import static com.runwayrelay.admin.AdminCalls.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.runwayrelay.admin.AdminCalls.Answer;
import com.runwayrelay.aws.dynamodb.DynamoDbRouterCaps;
import com.runwayrelay.domain.router.RouterCap;
import com.runwayrelay.simulator.Fault;
import com.runwayrelay.simulator.RunwaySimulator;
import com.runwayrelay.simulator.SimulatorConfig;
import com.runwayrelay.testkit.aws.AwsEmulators;
import com.runwayrelay.testkit.aws.WithAwsEmulators;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Model Router routes of the admin API, wired as Lambda wires them, against DynamoDB Local and
 * the Runway simulator: each is forwarded to Runway, and the gateway's record of the router (the
 * cap a routed generation reserves) follows every answer that carries one.
 */
@WithAwsEmulators
class AdminRoutersIT {
    private static final String ROUTER = """
            {"slug":"cheap-video","name":"Cheap video","settings":{"optimizeFor":"cost",
             "maxCreditsPerGeneration":{"video":40,"image":8}}}""";

    private final AwsEmulators aws;
    private RunwaySimulator runway;
    private AdminCalls admin;
    private DynamoDbRouterCaps caps;

    AdminRoutersIT(AwsEmulators aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        aws.resetData();
        runway = RunwaySimulator.start(SimulatorConfig.defaults());
        admin = AdminCalls.onSimulator(aws, runway);
        caps = new DynamoDbRouterCaps(aws.dynamoDb(), aws.tableName());
    }

    @AfterEach
    void stop() {
        runway.close();
    }

    private static Map<String, String> router(String id) {
        return Map.of("routerId", id);
    }

    @Test
    void createsARouterAtRunway_andRecordsItsCapsBySlug() {
        Answer created = admin.call(AdminApi.CREATE_ROUTER, ROUTER);
        assertEquals(201, created.status(), String.valueOf(created.body()));
        String id = created.body().path("id").asText();
        assertEquals("cheap-video", created.body().path("slug").asText());

        RouterCap cap = caps.find("cheap-video").orElseThrow();
        assertEquals(id, cap.runwayId());
        assertEquals(Map.of("video", 40L, "image", 8L), cap.maxCredits());
        assertEquals(1, runway.requestCount("POST", "/v1/routers"));
    }

    @Test
    void updateChangesTheRecordedCap_getAndListReadIt_andDeleteForgetsIt() {
        String id = admin.call(AdminApi.CREATE_ROUTER, ROUTER).body().path("id").asText();

        Answer updated = admin.call(AdminApi.UPDATE_ROUTER,
                "{\"settings\":{\"maxCreditsPerGeneration\":{\"video\":25,\"audio\":3}}}", router(id));
        assertEquals(200, updated.status(), String.valueOf(updated.body()));
        assertEquals(Map.of("video", 25L, "audio", 3L), caps.find("cheap-video").orElseThrow().maxCredits());

        caps.remove("cheap-video");
        Answer read = admin.call(AdminApi.GET_ROUTER, null, router(id));
        assertEquals(200, read.status(), String.valueOf(read.body()));
        assertTrue(caps.find("cheap-video").isPresent(), "a read imports the router");

        caps.remove("cheap-video");
        Answer listed = admin.call(AdminApi.LIST_ROUTERS, null, Map.of(), Map.of("limit", "10"));
        assertEquals(200, listed.status(), String.valueOf(listed.body()));
        assertEquals(1, listed.body().path("data").size());
        assertTrue(caps.find("cheap-video").isPresent(), "a listing imports every router on the page");

        Answer deleted = admin.call(AdminApi.DELETE_ROUTER, null, router(id));
        assertEquals(204, deleted.status(), String.valueOf(deleted.body()));
        assertEquals(Optional.empty(), caps.find("cheap-video"));
        assertProblem(404, "not-found", admin.call(AdminApi.GET_ROUTER, null, router(id)));
    }

    @Test
    void listsARoutersRequests() {
        String id = admin.call(AdminApi.CREATE_ROUTER, ROUTER).body().path("id").asText();
        Answer requests = admin.call(AdminApi.ROUTER_REQUESTS, null, router(id));
        assertEquals(200, requests.status(), String.valueOf(requests.body()));
        assertTrue(requests.body().path("data").isArray(), String.valueOf(requests.body()));
        assertEquals(1, runway.requestCount("GET", "/v1/routers/" + id + "/requests"));
    }

    @Test
    void passesRunwaysRefusalOn_andRecordsNothing() {
        Answer bad = admin.call(AdminApi.CREATE_ROUTER, "{\"slug\":\"Not A Slug\"}");
        assertProblem(400, "runway-refused", bad);
        JsonNode issue = bad.body().path("issues").path(0);
        assertEquals("[\"slug\"]", issue.path("path").toString());
        assertEquals(Optional.empty(), caps.find("Not A Slug"));
    }

    @Test
    void runwaysConflictOnACreateOrUpdateIs409_andRecordsNothing() {
        runway.injectNext("POST", "/v1/routers", Fault.status(409));
        Answer refused = admin.call(AdminApi.CREATE_ROUTER, ROUTER);
        assertProblem(409, "conflict", refused);
        assertTrue(refused.body().path("detail").asText().contains("(409: Simulated fault: HTTP 409.)"),
                String.valueOf(refused.body()));
        assertEquals(Optional.empty(), caps.find("cheap-video"));
        assertEquals(1, runway.requestCount("POST", "/v1/routers"), "a create Runway refused is not repeated");

        String id = admin.call(AdminApi.CREATE_ROUTER, ROUTER).body().path("id").asText();
        runway.injectNext("PATCH", "/v1/routers/", Fault.status(409));
        runway.injectNext("PATCH", "/v1/routers/", Fault.status(409));
        assertProblem(409, "conflict", admin.call(AdminApi.UPDATE_ROUTER,
                "{\"settings\":{\"maxCreditsPerGeneration\":{\"video\":25}}}", router(id)));
        assertEquals(Map.of("video", 40L, "image", 8L), caps.find("cheap-video").orElseThrow().maxCredits());

        // A read keeps its mapping: Runway busy, try again.
        runway.injectNext("GET", "/v1/routers/", Fault.status(409));
        runway.injectNext("GET", "/v1/routers/", Fault.status(409));
        assertProblem(503, "runway-unavailable", admin.call(AdminApi.GET_ROUTER, null, router(id)));
    }

    @Test
    void refusesBadInputBeforeRunway() {
        assertProblem(400, "invalid-request", admin.call(AdminApi.CREATE_ROUTER, "[1]"));
        assertProblem(400, "invalid-request", admin.call(AdminApi.CREATE_ROUTER, ""));
        Answer page = admin.call(AdminApi.LIST_ROUTERS, null, Map.of(), Map.of("page", "2"));
        assertProblem(400, "invalid-request", page);
        assertEquals("Validation of query failed: query parameter 'page' is not taken by this route; it takes cursor, "
                + "limit", page.body().path("detail").asText());
        assertEquals("[\"query\",\"page\"]", page.body().path("issues").path(0).path("path").toString());
        Answer both = admin.call(AdminApi.CREATE_ROUTER, "[1]", Map.of(), Map.of("dryRun", "1"));
        assertProblem(400, "invalid-request", both);
        assertEquals("Validation of query and body failed: query parameter 'dryRun' is not taken by this route (it "
                + "takes none) (and 1 more issue)", both.body().path("detail").asText());
        assertEquals("[]", both.body().path("issues").path(1).path("path").toString());
        assertEquals("The body must be a JSON object", both.body().path("issues").path(1).path("message").asText());
        Answer update = admin.call(AdminApi.UPDATE_ROUTER, ROUTER, router("r-1"), Map.of("slug", "x"));
        assertProblem(400, "invalid-request", update);
        assertEquals("Validation of query failed: query parameter 'slug' is not taken by this route (it takes none)",
                update.body().path("detail").asText());
        assertEquals("Validation of body failed: The body must be a JSON object",
                admin.call(AdminApi.CREATE_ROUTER, "[1]").body().path("detail").asText(), "body errors keep their wording");
        assertProblem(404, "not-found", admin.call(AdminApi.GET_ROUTER, null, router("../tasks")));
        assertEquals(0, runway.requestCount("*", "/v1/routers"));
    }
}
