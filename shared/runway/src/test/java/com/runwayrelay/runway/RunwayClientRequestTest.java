package com.runwayrelay.runway;

import static com.runwayrelay.runway.Fixtures.API_KEY;
import static com.runwayrelay.runway.Fixtures.TASK_ID;
import static com.runwayrelay.runway.StubServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunwayClientRequestTest {

    private StubServer server;
    private RunwayClient client;

    @BeforeEach
    void start() throws Exception {
        server = StubServer.start();
        client = Fixtures.client(server, new RecordingSleeper());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text_to_image", "image_to_video", "text_to_video", "video_to_video", "image_upscale",
            "video_upscale", "video_to_hdr", "character_performance", "sound_effect", "text_to_speech",
            "speech_to_speech", "voice_dubbing", "voice_isolation"})
    void postsBodyUnchangedToEndpoint_whenCreatingTask(String endpoint) throws Exception {
        server.enqueue(json(200, Fixtures.created(TASK_ID)));
        ObjectNode body = Fixtures.textToImageBody();

        CreatedTask created = client.createTask(endpoint, body);

        assertEquals(new CreatedTask(TASK_ID, new BigDecimal("8")), created);
        StubServer.Recorded request = server.onlyRequest();
        assertEquals("POST", request.method());
        assertEquals("/v1/" + endpoint, request.path());
        assertEquals(body, Json.MAPPER.readTree(request.body()));
    }

    @Test
    void sendsAuthVersionAndJsonHeaders_whenCreatingTask() {
        server.enqueue(json(200, Fixtures.created(TASK_ID)));

        client.createTask("text_to_image", Fixtures.textToImageBody());

        StubServer.Recorded request = server.onlyRequest();
        assertEquals("Bearer " + API_KEY, request.header("Authorization"));
        assertEquals("2024-11-06", request.header("X-Runway-Version"));
        assertEquals("application/json", request.header("Content-Type"));
        assertEquals("application/json", request.header("Accept"));
        assertEquals("runway-relay", request.header("User-Agent"));
    }

    @Test
    void postsToTheRouterPath_andKeepsRunwaysRouting_whenCreatingARoutedGeneration() throws Exception {
        String routing = "{\"configId\":\"stills\",\"estimatedCost\":{\"credits\":4},\"model\":\"gen4_image_turbo\"}";
        server.enqueue(json(200, "{\"id\":\"" + TASK_ID + "\",\"routing\":" + routing + "}"));

        CreatedTask created = client.createTask("generate/image", (ObjectNode) Json.MAPPER.readTree(
                "{\"configId\":\"stills\",\"input\":{\"promptText\":\"cat\"}}"));

        assertEquals("/v1/generate/image", server.onlyRequest().path());
        assertEquals(TASK_ID, created.id());
        assertNull(created.estimatedCredits(), "a routed create has no top-level estimatedCost");
        assertEquals(Json.MAPPER.readTree(routing), Json.MAPPER.readTree(created.routingJson()));
    }

    @Test
    void decodesCreatedTaskWithoutEstimate_whenEstimatedCostAbsent() {
        server.enqueue(json(200, "{\"id\":\"" + TASK_ID + "\"}"));

        CreatedTask created = client.createTask("text_to_video", Fixtures.textToImageBody());

        assertEquals(TASK_ID, created.id());
        assertNull(created.estimatedCredits());
    }

    @Test
    void getsTaskWithAuthAndNoBody_whenFetchingTask() {
        server.enqueue(json(200, "{\"id\":\"" + TASK_ID + "\",\"status\":\"PENDING\","
                + "\"createdAt\":\"2024-06-27T19:49:32.334Z\"}"));

        client.getTask(TASK_ID);

        StubServer.Recorded request = server.onlyRequest();
        assertEquals("GET", request.method());
        assertEquals("/v1/tasks/" + TASK_ID, request.path());
        assertEquals("Bearer " + API_KEY, request.header("Authorization"));
        assertEquals("2024-11-06", request.header("X-Runway-Version"));
        assertNull(request.header("Content-Type"));
        assertEquals(0, request.body().length);
    }

    @Test
    void sendsDeleteAndAcceptsNoContent_whenDeletingTask() {
        server.enqueue(StubServer.status(204, Map.of()));

        client.deleteTask(TASK_ID);

        StubServer.Recorded request = server.onlyRequest();
        assertEquals("DELETE", request.method());
        assertEquals("/v1/tasks/" + TASK_ID, request.path());
        assertEquals("*/*", request.header("Accept"));
        assertEquals("Bearer " + API_KEY, request.header("Authorization"));
    }

    @Test
    void decodesOrganization_whenFetchingOrganization() {
        server.enqueue(json(200, """
                {"creditBalance": 1234,
                 "tier": {"maxMonthlyCreditSpend": 10000,
                          "models": {"gen4.5": {"maxConcurrentGenerations": 2, "maxDailyGenerations": 200},
                                     "veo3.1": {"maxConcurrentGenerations": null, "maxDailyGenerations": null}}},
                 "usage": {"models": {"gen4.5": {"dailyGenerations": 7}}}}"""));

        Organization organization = client.organization();

        assertEquals("GET", server.onlyRequest().method());
        assertEquals("/v1/organization", server.onlyRequest().path());
        assertEquals(new BigDecimal("1234"), organization.creditBalance());
        assertEquals(10000L, organization.maxMonthlyCreditSpend());
        assertEquals(new Organization.ModelLimits(2L, 200L), organization.modelLimits().get("gen4.5"));
        assertEquals(new Organization.ModelLimits(null, null), organization.modelLimits().get("veo3.1"));
        assertEquals(Map.of("gen4.5", 7L), organization.dailyGenerations());
    }

    @Test
    void postsDateRangeAndDecodesDays_whenFetchingUsage() throws Exception {
        server.enqueue(json(200, """
                {"models": ["gen4.5", "eleven_v3"],
                 "results": [{"date": "2026-09-01", "usedCredits": [{"model": "gen4.5", "amount": 120},
                                                                    {"model": "eleven_v3", "amount": -2.5}]}]}"""));

        UsageReport report = client.usage(LocalDate.parse("2026-09-01"), LocalDate.parse("2026-10-01"));

        StubServer.Recorded request = server.onlyRequest();
        assertEquals("POST", request.method());
        assertEquals("/v1/organization/usage", request.path());
        JsonNode body = Json.MAPPER.readTree(request.body());
        assertEquals("2026-09-01", body.get("startDate").asText());
        assertEquals("2026-10-01", body.get("beforeDate").asText());
        assertEquals(java.util.List.of("gen4.5", "eleven_v3"), report.models());
        UsageReport.DailyUsage day = report.days().get(0);
        assertEquals(LocalDate.parse("2026-09-01"), day.date());
        assertEquals(new BigDecimal("120"), day.creditsByModel().get("gen4.5"));
        assertEquals(new BigDecimal("-2.5"), day.creditsByModel().get("eleven_v3"));
    }

    @Test
    void postsEmptyObject_whenFetchingUsageWithDefaults() throws Exception {
        server.enqueue(json(200, "{\"models\":[],\"results\":[]}"));

        UsageReport report = client.usage();

        assertEquals("{}", server.onlyRequest().bodyText());
        assertTrue(report.days().isEmpty());
    }

    @Test
    void prefixesPaths_whenBaseUriHasPathAndTrailingSlash() {
        server.enqueue(json(200, Fixtures.created(TASK_ID)));
        try (RunwayClient prefixed = Fixtures.builder(server, new RecordingSleeper())
                .baseUri(URI.create(server.baseUri() + "/runway/")).build()) {

            prefixed.createTask("text_to_image", Fixtures.textToImageBody());
        }

        assertEquals("/runway/v1/text_to_image", server.onlyRequest().path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Text_To_Image", "/v1/text_to_image", "../tasks", "tasks", "uploads", "organization",
            "text to image", "text_to_image?x=1"})
    void rejectsWithoutSending_whenEndpointIsNotAGenerationEndpointName(String endpoint) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> client.createTask(endpoint, Fixtures.textToImageBody()));

        assertTrue(e.getMessage().contains("endpoint must be"), e.getMessage());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void rejectsWithoutSending_whenBodyIsNull() {
        assertThrows(NullPointerException.class, () -> client.createTask("text_to_image", null));
        assertTrue(server.requests().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../organization", "abc/def", "id with space", "-leading-dash"})
    void rejectsWithoutSending_whenTaskIdIsUnsafe(String id) {
        IllegalArgumentException get = assertThrows(IllegalArgumentException.class, () -> client.getTask(id));
        assertThrows(IllegalArgumentException.class, () -> client.deleteTask(id));

        assertTrue(get.getMessage().contains("task id must be"), get.getMessage());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void rejectsWithoutSending_whenUsageRangeIsEmptyOrTooLong() {
        LocalDate start = LocalDate.parse("2026-01-01");

        IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class,
                () -> client.usage(start, start));
        assertThrows(IllegalArgumentException.class, () -> client.usage(start, start.plusDays(91)));

        assertTrue(reversed.getMessage().contains("1 to 90 days"), reversed.getMessage());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void acceptsNinetyDayRange_whenFetchingUsage() {
        server.enqueue(json(200, "{\"models\":[],\"results\":[]}"));
        LocalDate start = LocalDate.parse("2026-01-01");

        client.usage(start, start.plusDays(90));

        assertEquals(1, server.requests().size());
    }
}
