package com.runwayrelay.submit;

import static com.runwayrelay.submit.Fixtures.FIXTURE_KEY;
import static com.runwayrelay.submit.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AdmissionControl;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.Idempotency;
import com.runwayrelay.domain.gateway.memory.InMemoryIdempotencyStore;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.MediaPolicySettings;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.owned.OwnedReferences;
import com.runwayrelay.domain.router.RouterCap;
import com.runwayrelay.domain.router.memory.InMemoryRouterCaps;
import com.runwayrelay.domain.runway.RunwayGateway.CreateOutcome;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/generate/{video,image,audio}}: which router configurations an app may use, what a
 * routed generation reserves (the router's cap × outputs), and Runway's {@code routing} handed back.
 */
class RoutedGenerationApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-21T06:30:00Z");
    private static final LocalDate DAY = LocalDate.parse("2026-11-21");
    private static final String ROUTING = "{\"configId\":\"stills\",\"estimatedCost\":{\"credits\":10},"
            + "\"model\":\"gen4_image_turbo\",\"provider\":\"runway\",\"resolvedInput\":{\"ratio\":\"1344:768\"},"
            + "\"resolvedSettings\":{\"optimizeFor\":\"cost\",\"priceCeiling\":25}}";

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final FakeRunway runway = new FakeRunway();
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(8);
    private final InMemoryRouterCaps caps = new InMemoryRouterCaps();
    private final AtomicInteger ids = new AtomicInteger();
    private final InMemoryIdempotencyStore idempotencyStore = new InMemoryIdempotencyStore();

    RoutedGenerationApiTest() {
        apps.create(App.builder("app_fixture", "fixture", T0).dailyCreditBudget(1000).maxActiveTasks(5)
                .allowedRouterConfigs(Set.of("stills", "clips", "voices", "uncapped")).build(), ApiKeys.hash(FIXTURE_KEY));
        caps.put(new RouterCap("stills", "r-1", Map.of("image", 25L, "video", 400L), T0));
        caps.put(new RouterCap("clips", "r-2", Map.of("video", 120L), T0));
        caps.put(new RouterCap("voices", "r-3", Map.of("audio", 7L), T0));
        caps.put(new RouterCap("uncapped", "r-4", Map.of(), T0));
    }

    private APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        Catalog catalog = Catalog.loadDefault();
        MediaUriPolicy media = new MediaUriPolicy(MediaPolicySettings.of(List.of("media.example.com")), Fixtures.testDns());
        RequestCheck check = new RequestCheck(catalog, UnknownModelPolicy.REJECT, media,
                new CallbackUrlCheck(AddressGuard.strict(Fixtures.testDns())), OwnedReferences.none(),
                new RouterCheck(caps, catalog));
        Idempotency idempotency = new Idempotency(idempotencyStore, clock, Duration.ofHours(24),
                Duration.ofSeconds(30), Duration.ZERO, Duration.ofMillis(5));
        SubmitTask submit = new SubmitTask(check, catalog, 100, idempotency, new AdmissionControl(ledger, tasks, clock),
                ledger, tasks, runway, clock, () -> "task-" + ids.incrementAndGet(), SubmitApi::stored);
        return new SubmitApi(new AppAuthenticator(apps, clock, Duration.ZERO, 10), catalog.endpoints(), submit,
                new CreateUpload(filename -> { throw new AssertionError("no upload here"); })).apply(event);
    }

    private static APIGatewayV2HTTPEvent generate(String kind, String body, String key) {
        APIGatewayV2HTTPEvent event = event("apigw-generate-image", body, FIXTURE_KEY, key);
        event.setRouteKey("POST /v1/generate/" + kind);
        event.setRawPath("/v1/generate/" + kind);
        return event;
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    private List<String> codes(APIGatewayV2HTTPResponse response) throws Exception {
        List<String> codes = new ArrayList<>();
        body(response).path("issues").forEach(i -> codes.add(i.path("code").asText()));
        return codes;
    }

    @Test
    void createsARoutedImageTask_reservingTheCapTimesOutputs_andHandsBackRunwaysRouting() throws Exception {
        runway.queue(new CreateOutcome.Created("rw-routed", null, ROUTING));

        APIGatewayV2HTTPResponse response = call(event("apigw-generate-image"));

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = body(response);
        assertEquals(JSON.readTree(ROUTING), body.path("routing"), "Runway's routing passes through unchanged");
        assertEquals(50, body.path("estimatedCost").path("credits").asLong(), "image cap 25 × outputCount 2");
        Task task = tasks.find(body.path("id").asText()).orElseThrow();
        assertEquals("generate/image", task.request().endpoint());
        assertEquals("router:stills", task.request().model());
        assertEquals(TaskState.SUBMITTED, task.state());
        assertEquals(50, task.request().estimatedCredits());
        assertEquals(ROUTING, task.runway().routingJson(), "kept on the task for GET /v1/tasks/{id}");
        assertEquals(50, ledger.usage("app_fixture", DAY).usedCredits());
        assertEquals(List.of("generate/image"), runway.createdEndpoints);
        assertTrue(runway.createdBodies.getFirst().contains("\"configId\":\"stills\""), runway.createdBodies::toString);
    }

    @Test
    void reservesTheKindsCap_forVideoAndAudio() throws Exception {
        APIGatewayV2HTTPResponse video = call(generate("video", "{\"configId\":\"clips\",\"input\":{\"promptText\":\"surf\","
                + "\"duration\":5}}", null));
        APIGatewayV2HTTPResponse audio = call(generate("audio", "{\"configId\":\"voices\",\"input\":{\"type\":\"speech\","
                + "\"promptText\":\"hello\",\"voice\":{\"type\":\"preset\",\"presetId\":\"Maya\"}}}", null));

        assertEquals(200, video.getStatusCode(), video.getBody());
        assertEquals(120, body(video).path("estimatedCost").path("credits").asLong());
        assertEquals(200, audio.getStatusCode(), audio.getBody());
        assertEquals(7, body(audio).path("estimatedCost").path("credits").asLong());
        assertTrue(body(audio).path("routing").isMissingNode(), "no routing when Runway sent none");
        assertEquals(127, ledger.usage("app_fixture", DAY).usedCredits());
        assertEquals(List.of("generate/video", "generate/audio"), runway.createdEndpoints);
    }

    @Test
    void refusesAConfigTheAppMayNotUse_beforeReadingItsRecord_andSpendsNothing() throws Exception {
        APIGatewayV2HTTPResponse response = call(generate("image", "{\"configId\":\"someone-elses\","
                + "\"input\":{\"promptText\":\"cat\"}}", "k-not-allowed"));

        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals(List.of(RouterCheck.NOT_ALLOWED), codes(response));
        JsonNode issue = body(response).path("issues").get(0);
        assertEquals(List.of("configId"), JSON.convertValue(issue.path("path"), List.class));
        assertTrue(issue.path("message").asText().contains("clips, stills, uncapped, voices"), issue.toString());
        assertEquals(0, caps.reads.get(), "the record of a config the app may not use is not read");
        assertNothingSpent();
    }

    @Test
    void refusesAnAllowedConfig_whoseRecordTheGatewayLacks_orThatHasNoCapForTheKind() throws Exception {
        apps.replace(apps.find("app_fixture").orElseThrow(), apps.find("app_fixture").orElseThrow().next()
                .allowedRouterConfigs(Set.of("stills", "clips", "voices", "uncapped", "made-at-runway")).build());

        APIGatewayV2HTTPResponse unrecorded = call(generate("image", "{\"configId\":\"made-at-runway\","
                + "\"input\":{\"promptText\":\"cat\"}}", null));
        APIGatewayV2HTTPResponse uncapped = call(generate("video", "{\"configId\":\"uncapped\",\"input\":{}}", null));
        APIGatewayV2HTTPResponse otherKind = call(generate("audio", "{\"configId\":\"clips\",\"input\":{\"type\":\"audio\","
                + "\"promptText\":\"rain\"}}", null));

        for (APIGatewayV2HTTPResponse response : List.of(unrecorded, uncapped, otherKind)) {
            assertEquals(400, response.getStatusCode(), response.getBody());
            assertEquals(List.of(RouterCheck.CAP_UNKNOWN), codes(response));
        }
        assertTrue(body(unrecorded).path("issues").get(0).path("message").asText().contains("no record"));
        assertTrue(body(otherKind).path("issues").get(0).path("message").asText()
                .contains("maxCreditsPerGeneration.audio"));
        assertNothingSpent();
    }

    @Test
    void refusesAMediaUriBreakingThePolicy_inEveryRouterMediaField() throws Exception {
        String outside = "https://elsewhere.example.org/x";
        APIGatewayV2HTTPResponse video = call(generate("video", "{\"configId\":\"clips\",\"input\":{"
                + "\"referenceImages\":[{\"role\":\"first\",\"uri\":\"" + outside + ".png\"}],"
                + "\"referenceVideos\":[{\"role\":\"source\",\"uri\":\"" + outside + ".mp4\"}],"
                + "\"referenceAudio\":[{\"uri\":\"" + outside + ".mp3\"}],"
                + "\"keyframes\":[{\"seconds\":1,\"uri\":\"" + outside + ".png\"}]}}", null));
        APIGatewayV2HTTPResponse audio = call(generate("audio", "{\"configId\":\"voices\",\"input\":{\"type\":\"audio\","
                + "\"promptText\":\"rain\",\"referenceAudios\":[{\"uri\":\"" + outside + ".mp3\"}],"
                + "\"voice\":{\"type\":\"reference-audio\",\"audioUri\":\"" + outside + ".mp3\"}}}", null));

        assertEquals(400, video.getStatusCode(), video.getBody());
        List<String> paths = new ArrayList<>();
        body(video).path("issues").forEach(i -> paths.add(i.path("path").toString()));
        assertEquals(List.of("[\"input\",\"keyframes\",0,\"uri\"]", "[\"input\",\"referenceAudio\",0,\"uri\"]",
                "[\"input\",\"referenceImages\",0,\"uri\"]", "[\"input\",\"referenceVideos\",0,\"uri\"]"), paths);
        assertEquals(400, audio.getStatusCode(), audio.getBody());
        assertEquals(2, body(audio).path("issues").size(), audio.getBody());
        assertNothingSpent();
    }

    @Test
    void refusesAnInvalidBody_withoutAskingForTheRouterCap() throws Exception {
        APIGatewayV2HTTPResponse badSlug = call(generate("image", "{\"configId\":\"Not A Slug\","
                + "\"input\":{\"promptText\":\"cat\"}}", null));
        APIGatewayV2HTTPResponse tooMany = call(generate("image", "{\"configId\":\"stills\","
                + "\"input\":{\"promptText\":\"cat\",\"outputCount\":11}}", null));

        assertEquals(List.of("invalid_string"), codes(badSlug));
        assertEquals(List.of("too_big"), codes(tooMany));
        assertEquals(1, caps.reads.get(), "only the well-formed configId's record is read");
        assertNothingSpent();
    }

    @Test
    void replaysARoutedCreate_withItsRouting_andCreatesItOnce() throws Exception {
        runway.queue(new CreateOutcome.Created("rw-routed", null, ROUTING));
        APIGatewayV2HTTPResponse first = call(event("apigw-generate-image"));
        APIGatewayV2HTTPResponse again = call(event("apigw-generate-image"));

        assertEquals(200, again.getStatusCode());
        assertEquals("true", again.getHeaders().get("idempotent-replayed"));
        assertEquals(body(first), body(again));
        assertEquals(JSON.readTree(ROUTING), body(again).path("routing"));
        assertEquals(1, runway.createdBodies.size());
        assertEquals(50, ledger.usage("app_fixture", DAY).usedCredits());
    }

    @Test
    void answersWithoutRouting_whenTheCreateIsLeftForThePoller() throws Exception {
        runway.queue(new CreateOutcome.Unavailable("rate limited", Duration.ofSeconds(9)));

        APIGatewayV2HTTPResponse response = call(event("apigw-generate-image"));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertTrue(body(response).path("routing").isMissingNode(), "routing is Runway's: unknown until it answers");
        Task task = tasks.find(body(response).path("id").asText()).orElseThrow();
        assertEquals(TaskState.ACCEPTED, task.state());
        assertNull(task.runway().routingJson());
    }

    private void assertNothingSpent() {
        assertEquals(0, ledger.usage("app_fixture", DAY).usedCredits());
        assertEquals(List.of(), runway.createdEndpoints, "no Runway call");
        assertTrue(tasks.all().isEmpty(), "no task recorded");
    }
}
