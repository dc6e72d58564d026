package com.runwayrelay.submit;

import static com.runwayrelay.submit.Fixtures.FIXTURE_KEY;
import static com.runwayrelay.submit.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.runwayrelay.aws.config.MetricsSettings;
import com.runwayrelay.aws.metrics.EmfDocument;
import com.runwayrelay.aws.metrics.EmfMetrics;
import com.runwayrelay.aws.gateway.TaskWait;
import com.runwayrelay.aws.gateway.WireTask;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.domain.ArchiveRecord;
import com.runwayrelay.domain.gateway.ArchiveAccess;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.domain.AttemptOutcome;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.TaskRepository;
import com.runwayrelay.domain.TaskState;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.delivery.DeliveryTargetProbe;
import com.runwayrelay.domain.gateway.AdmissionControl;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.Idempotency;
import com.runwayrelay.domain.gateway.IdempotencyStore.IdempotencyRecord;
import com.runwayrelay.domain.gateway.UploadSlots;
import com.runwayrelay.domain.gateway.UsageLedger;
import com.runwayrelay.domain.gateway.memory.InMemoryIdempotencyStore;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.MediaPolicySettings;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.owned.OwnedReferences;
import com.runwayrelay.domain.owned.Ownership;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.InterceptingTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.metrics.MeteredTaskRepository;
import com.runwayrelay.domain.metrics.MeteredUsageLedger;
import com.runwayrelay.domain.runway.RunwayGateway;
import com.runwayrelay.domain.runway.RunwayGateway.CreateOutcome;
import com.runwayrelay.domain.runway.TaskCreation;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import com.runwayrelay.domain.webhook.WebhookEventType;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SubmitApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-21T06:30:00Z");
    private static final LocalDate DAY = LocalDate.parse("2026-11-21");
    private static final String T2I = "{\"model\":\"gen4_image\",\"promptText\":\"A lighthouse\",\"ratio\":\"1920:1080\"}";

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final InMemoryIdempotencyStore idempotencyStore = new InMemoryIdempotencyStore();
    private final FakeRunway runway = new FakeRunway();
    private final AtomicInteger ids = new AtomicInteger();
    private TaskRepository tasks = new InMemoryTaskRepository(8);
    private final List<String> emf = new CopyOnWriteArrayList<>();
    private final EmfMetrics metrics = new EmfMetrics(new MetricsSettings("RelayTest", "relay-test"),
            Clock.systemUTC(), emf::add);
    private RunwayGateway runwayPort = runway;
    /** The storage's answers to the submit-time probe of relay.deliverTo, by URL; unlisted URLs answer 403. */
    private final Map<String, Integer> probeAnswers = new java.util.HashMap<>();
    private final List<URI> probed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private UploadSlots.Outcome uploadOutcome = new UploadSlots.Outcome.Reserved(
            URI.create("https://storage.example.com/upload"), Map.of("key", "k", "policy", "p"), "runway://ephemeral/abc");
    private Duration idempotencyWait = Duration.ZERO;
    private UnknownModelPolicy unknownModels = UnknownModelPolicy.REJECT;
    private final long estimate = Catalog.loadDefault().estimateCredits("text_to_image",
            readTree(T2I)).orElseThrow();
    /** What a held create's pauses do besides advancing the clock (the poller and archiver at work). */
    private final List<Duration> pauses = new ArrayList<>();
    private Runnable duringPause = () -> { };
    private HeldCreates held;

    private HeldCreates held() {
        TaskWait waits = new TaskWait(tasks, clock, d -> {
            pauses.add(d);
            clock.advance(d);
            duringPause.run();
        });
        return new HeldCreates(waits, new WireTask((key, ttl) -> new ArchiveAccess.Link(
                URI.create("https://bucket.example.test/" + key + "?sig"), clock.instant().plusSeconds(3600))), clock);
    }

    SubmitApiTest() {
        apps.create(app("app_fixture", 1000, 5, Set.of(), Set.of(), false), ApiKeys.hash(FIXTURE_KEY));
    }

    private static App app(String id, long budget, int maxActive, Set<String> endpoints, Set<String> models,
                           boolean disabled) {
        return App.builder(id, id, T0).dailyCreditBudget(budget).maxActiveTasks(maxActive).allowedEndpoints(endpoints)
                .allowedModels(models).disabled(disabled).build();
    }

    private String newApp(long budget, int maxActive, Set<String> endpoints, Set<String> models, boolean disabled) {
        String key = ApiKeys.mint();
        apps.create(app("app_" + ids.incrementAndGet(), budget, maxActive, endpoints, models, disabled), ApiKeys.hash(key));
        return key;
    }

    private SubmitApi api() {
        Catalog catalog = Catalog.loadDefault();
        RequestCheck check = new RequestCheck(catalog, unknownModels,
                new MediaUriPolicy(MediaPolicySettings.of(List.of("media.example.com")), Fixtures.testDns()),
                new CallbackUrlCheck(AddressGuard.strict(Fixtures.testDns())),
                new OwnedReferences((kind, id) -> java.util.Optional.ofNullable(owners.get(kind.wireName() + "/" + id))
                        .map(app -> new Ownership(app, kind, id, "n", T0_FOR_OWNERS, T0_FOR_OWNERS))),
                target -> {
                    probed.add(target);
                    int status = probeAnswers.getOrDefault(target.toString(), 403);
                    return status >= 300 && status < 400 ? new DeliveryTargetProbe.Probe.Redirected(status)
                            : new DeliveryTargetProbe.Probe.Answered(status);
                });
        Idempotency idempotency = new Idempotency(idempotencyStore, clock, Duration.ofHours(24), Duration.ofSeconds(30),
                idempotencyWait, Duration.ofMillis(5));
        TaskRepository meteredTasks = new MeteredTaskRepository(tasks, metrics);
        UsageLedger meteredLedger = new MeteredUsageLedger(ledger, metrics);
        SubmitTask submit = new SubmitTask(check, catalog, 100, idempotency,
                new AdmissionControl(meteredLedger, meteredTasks, clock), meteredLedger, meteredTasks, runwayPort, clock,
                () -> "task-" + ids.incrementAndGet(), SubmitApi::stored, metrics);
        return new SubmitApi(new AppAuthenticator(apps, clock, Duration.ZERO, 10), catalog.endpoints(), submit,
                new CreateUpload(filename -> uploadOutcome), held);
    }

    private APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        return api().apply(event);
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) {
        return readTree(response.getBody());
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Task task(String id) {
        return tasks.find(id).orElseThrow();
    }

    @Test
    void createsTheRunwayTask_andAnswersWithOurIdAndEstimate() {
        APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image"));

        assertEquals(200, response.getStatusCode());
        assertEquals("application/json", response.getHeaders().get("content-type"));
        JsonNode body = body(response);
        String id = body.get("id").asText();
        assertTrue(id.startsWith("task-"));
        long credits = body.get("estimatedCost").get("credits").asLong();
        assertTrue(credits > 0);
        Task task = task(id);
        assertEquals(TaskState.SUBMITTED, task.state());
        assertEquals("rw-1", task.runway().taskId());
        assertEquals("3f0c6a7e-8a61-4c2f-9a7e-0c1d2e3f4a5b", task.request().idempotencyKey());
        assertEquals(credits, task.request().estimatedCredits());
        assertEquals(AttemptOutcome.CREATED, task.lastAttempt().outcome());
        assertEquals(T0.plusSeconds(5), task.dueAt());
        assertEquals(credits, ledger.usage("app_fixture", DAY).usedCredits());
        assertEquals(1, ledger.activeSlots("app_fixture").size());
    }

    @Test
    void createsAnAvatarVideo_reservingTheUnpricedCredits_whenRunwayAnswersWithoutEstimate() {
        APIGatewayV2HTTPResponse response = call(event("apigw-avatar-videos"));

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = body(response);
        String id = body.get("id").asText();
        assertEquals(100, body.get("estimatedCost").get("credits").asLong()); // the api()'s unpriced amount
        Task task = task(id);
        assertEquals("avatar_videos", task.request().endpoint());
        assertEquals("gwm1_avatars", task.request().model());
        assertEquals(TaskState.SUBMITTED, task.state());
        assertEquals(100, task.request().estimatedCredits());
        assertEquals(100, ledger.usage("app_fixture", DAY).usedCredits());
        assertEquals(1, runway.createdBodies.size());
        assertTrue(runway.createdBodies.get(0).contains("\"presetId\":\"tennis-coach\""), runway.createdBodies::toString);
    }

    /** Ownership records of the avatar-video tests: "avatars/id" or "voices/id" to the owning app. */
    private final Map<String, String> owners = new java.util.HashMap<>();
    private static final java.time.Instant T0_FOR_OWNERS = java.time.Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void refusesCustomAvatarsAndVoicesTheAppDoesNotOwn_andSpendsNothing() {
        owners.put("avatars/av_1", "app_other");
        String body = "{\"model\":\"gwm1_avatars\",\"avatar\":{\"type\":\"custom\",\"avatarId\":\"av_1\"},"
                + "\"speech\":{\"type\":\"text\",\"text\":\"hi\",\"voice\":{\"type\":\"custom\",\"id\":\"vo_1\"}}}";
        APIGatewayV2HTTPResponse response = call(event("apigw-avatar-videos", body, FIXTURE_KEY, "k-custom"));

        assertEquals(400, response.getStatusCode());
        List<String> issues = new ArrayList<>();
        body(response).get("issues").forEach(i -> issues.add(i.get("code").asText() + " " + i.get("path")));
        assertEquals(List.of("resource_not_found [\"avatar\",\"avatarId\"]",
                "resource_not_found [\"speech\",\"voice\",\"id\"]"), issues);
        assertTrue(runway.createdBodies.isEmpty());
        assertEquals(0, ledger.usage("app_fixture", DAY).usedCredits());
    }

    @Test
    void forwardsCustomAvatarsAndVoicesTheAppOwns() {
        owners.put("avatars/av_mine", "app_fixture");
        owners.put("voices/vo_mine", "app_fixture");
        String body = "{\"model\":\"gwm1_avatars\",\"avatar\":{\"type\":\"custom\",\"avatarId\":\"av_mine\"},"
                + "\"speech\":{\"type\":\"text\",\"text\":\"hi\",\"voice\":{\"type\":\"custom\",\"id\":\"vo_mine\"}}}";
        APIGatewayV2HTTPResponse response = call(event("apigw-avatar-videos", body, FIXTURE_KEY, "k-owned"));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(1, runway.createdBodies.size());
        assertTrue(runway.createdBodies.get(0).contains("\"avatarId\":\"av_mine\""), runway.createdBodies::toString);
    }

    @Test
    void refusesAnAvatarSpeechAudioOutsideTheMediaPolicy_andSpendsNothing() {
        String body = "{\"model\":\"gwm1_avatars\",\"avatar\":{\"type\":\"runway-preset\",\"presetId\":\"influencer\"},"
                + "\"speech\":{\"type\":\"audio\",\"audio\":\"https://evil.example.org/a.mp3\"}}";
        APIGatewayV2HTTPResponse response = call(event("apigw-avatar-videos", body, FIXTURE_KEY, "k-media"));

        assertEquals(400, response.getStatusCode());
        JsonNode issue = body(response).get("issues").get(0);
        assertEquals("host_not_allowed", issue.get("code").asText());
        assertEquals("[\"speech\",\"audio\"]", issue.get("path").toString());
        assertTrue(runway.createdBodies.isEmpty());
    }

    @Test
    void createsARecipeTask_underTheRecipesName_reservingTheUnpricedCredits() {
        APIGatewayV2HTTPResponse response = call(event("apigw-recipe-product-ad"));

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = body(response);
        Task task = task(body.get("id").asText());
        assertEquals("recipes/product_ad", task.request().endpoint());
        assertEquals("product_ad", task.request().model());
        assertEquals(TaskState.SUBMITTED, task.state());
        assertEquals(100, body.get("estimatedCost").get("credits").asLong()); // no price is known for a recipe
        assertEquals(100, ledger.usage("app_fixture", DAY).usedCredits());
        assertEquals(List.of("recipes/product_ad"), runway.createdEndpoints);
        JsonNode sent = readTree(runway.createdBodies.getFirst());
        assertEquals("2026-07", sent.get("version").asText());
        assertFalse(sent.has("model"));
    }

    @Test
    void refusesUnsafeLatest_toAnAppNotAllowedIt_andSpendsNothing() {
        String body = "{\"version\":\"unsafe-latest\",\"productImages\":[{\"uri\":\"runway://0123456789abcdef\"}]}";
        APIGatewayV2HTTPResponse response = call(event("apigw-recipe-product-ad", body, FIXTURE_KEY, "k-unsafe"));

        assertEquals(400, response.getStatusCode());
        JsonNode issue = body(response).get("issues").get(0);
        assertEquals("version_not_allowed", issue.get("code").asText());
        assertEquals("[\"version\"]", issue.get("path").toString());
        assertTrue(issue.get("message").asText().contains("2026-06, 2026-07"), issue.toString());
        assertEquals(1, body(response).get("issues").size());
        assertTrue(runway.createdBodies.isEmpty());
        assertEquals(0, ledger.usage("app_fixture", DAY).usedCredits());
        assertTrue(idempotencyStore.find("app_fixture", "k-unsafe", T0).isEmpty());
    }

    @Test
    void sendsUnsafeLatest_forAnAppAllowedIt() {
        String key = ApiKeys.mint();
        apps.create(App.builder("app_latest", "latest", T0).dailyCreditBudget(1000).maxActiveTasks(5)
                .allowUnsafeLatest(true).build(), ApiKeys.hash(key));
        String body = "{\"version\":\"unsafe-latest\",\"productImages\":[{\"uri\":\"runway://0123456789abcdef\"}]}";
        APIGatewayV2HTTPResponse response = call(event("apigw-recipe-product-ad", body, key, "k-latest"));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("unsafe-latest", readTree(runway.createdBodies.getFirst()).get("version").asText());
    }

    @Test
    void refusesAnUnknownVersion_andARecipeMediaUriOutsideThePolicy_andSpendsNothing() {
        String body = "{\"version\":\"2026-13\",\"productImages\":[{\"uri\":\"https://evil.example.org/p.png\"}]}";
        APIGatewayV2HTTPResponse response = call(event("apigw-recipe-product-ad", body, FIXTURE_KEY, "k-bad"));
        assertEquals(400, response.getStatusCode());
        assertEquals("unknown_version", body(response).get("issues").get(0).get("code").asText());

        body = "{\"version\":\"2026-06\",\"productImages\":[{\"uri\":\"runway://0123456789abcdef\"}],"
                + "\"styleImages\":[{\"uri\":\"https://evil.example.org/s.png\"}]}";
        response = call(event("apigw-recipe-product-ad", body, FIXTURE_KEY, "k-media"));
        assertEquals(400, response.getStatusCode());
        JsonNode issue = body(response).get("issues").get(0);
        assertEquals("host_not_allowed", issue.get("code").asText());
        assertEquals("[\"styleImages\",0,\"uri\"]", issue.get("path").toString());
        assertTrue(runway.createdBodies.isEmpty());
        assertEquals(0, ledger.usage("app_fixture", DAY).usedCredits());
    }

    @Test
    void refusesARecipe_toAnAppLimitedToOtherEndpoints() {
        String key = newApp(1000, 5, Set.of("text_to_image"), Set.of("gen4_image"), false);
        APIGatewayV2HTTPResponse response = call(event("apigw-recipe-product-ad", "{\"version\":\"2026-06\","
                + "\"productImages\":[{\"uri\":\"runway://0123456789abcdef\"}]}", key, null));
        assertEquals(400, response.getStatusCode());
        List<String> codes = new ArrayList<>();
        body(response).get("issues").forEach(i -> codes.add(i.get("code").asText()));
        assertEquals(List.of("endpoint_not_allowed"), codes, "allowedModels does not apply to a recipe");
        assertTrue(runway.createdBodies.isEmpty());
    }

    @Test
    void removesTheRelayOptionsBeforeRunway_andKeepsThemOnTheTask() {
        JsonNode body = body(call(event("apigw-text-to-image-relay")));

        JsonNode sent = readTree(runway.createdBodies.getFirst());
        assertFalse(sent.has("relay"));
        assertEquals("gen4_image", sent.get("model").asText());
        Task task = task(body.get("id").asText());
        assertEquals("https://hooks.example.com/runway", task.request().callbackUrl());
        assertEquals("{\"orderId\":\"A-1042\"}", task.request().metadataJson());
        assertFalse(task.request().json().contains("relay"));
    }

    @Test
    void usesTheAppsDefaultCallback_whenTheRequestNamesNone_andTheRequestsOwnOtherwise() {
        String key = ApiKeys.mint();
        apps.create(App.builder("app_with_default", "with default", T0).dailyCreditBudget(1000).maxActiveTasks(5)
                .defaultCallbackUrl("https://hooks.example.com/default").build(), ApiKeys.hash(key));

        JsonNode plain = body(call(event("apigw-text-to-image", T2I, key, null)));
        JsonNode own = body(call(event("apigw-text-to-image", "{\"model\":\"gen4_image\",\"promptText\":\"x\","
                + "\"ratio\":\"1920:1080\",\"relay\":{\"callbackUrl\":\"https://hooks.example.com/own\"}}", key, null)));

        assertEquals("https://hooks.example.com/default", task(plain.get("id").asText()).request().callbackUrl());
        assertEquals("https://hooks.example.com/own", task(own.get("id").asText()).request().callbackUrl());
        assertFalse(readTree(runway.createdBodies.getFirst()).has("relay"));
    }

    @Test
    void keepsATaskWithoutCallback_whenNeitherTheRequestNorTheAppNamesOne() {
        JsonNode body = body(call(event("apigw-text-to-image")));

        assertEquals(null, task(body.get("id").asText()).request().callbackUrl());
    }

    @Test
    void acceptsADeadline() {
        String deadline = T0.plus(Duration.ofHours(2)).toString();
        JsonNode body = body(call(event("apigw-text-to-image", "{\"model\":\"gen4_image\",\"promptText\":\"x\","
                + "\"ratio\":\"1920:1080\",\"relay\":{\"deadline\":\"" + deadline + "\"}}", FIXTURE_KEY, null)));
        assertEquals(Instant.parse(deadline), task(body.get("id").asText()).request().deadline());
    }

    @Test
    void keepsTheRequestedLinkLifetimeOnTheTask() {
        JsonNode body = body(call(event("apigw-text-to-image", "{\"model\":\"gen4_image\",\"promptText\":\"x\","
                + "\"ratio\":\"1920:1080\",\"relay\":{\"linkTtlSeconds\":600}}", FIXTURE_KEY, null)));

        assertEquals(Duration.ofSeconds(600), task(body.get("id").asText()).request().linkTtl());
        assertFalse(readTree(runway.createdBodies.getFirst()).has("relay"));
    }

    @Test
    void refusesALinkLifetimeThatIsNotAWholeNumberOrOutOfBounds_andSendsNothing() {
        Map<String, String> expected = new TreeMap<>(Map.of(
                "59", "too_small", "604801", "too_big", "-5", "too_small",
                "300.5", "invalid_type", "\"600\"", "invalid_type", "true", "invalid_type"));
        for (var value : expected.entrySet()) {
            APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image", "{\"model\":\"gen4_image\","
                    + "\"promptText\":\"x\",\"ratio\":\"1920:1080\",\"relay\":{\"linkTtlSeconds\":"
                    + value.getKey() + "}}", FIXTURE_KEY, null));

            assertEquals(400, response.getStatusCode(), value.getKey());
            JsonNode issue = body(response).get("issues").get(0);
            assertEquals(value.getValue(), issue.get("code").asText(), value.getKey());
            assertEquals("[\"relay\",\"linkTtlSeconds\"]", issue.get("path").toString());
            assertTrue(issue.get("message").asText().contains("relay.linkTtlSeconds"), issue::toString);
        }
        assertTrue(runway.createdBodies.isEmpty());
    }

    @Test
    void keepsDeliverToOnTheTask_asUrlsOrATemplate_andSendsRunwayNoRelayMember() {
        JsonNode urls = body(call(event("apigw-text-to-image", "{\"model\":\"gen4_image\",\"promptText\":\"x\","
                + "\"ratio\":\"1920:1080\",\"relay\":{\"deliverTo\":[{\"url\":"
                + "\"https://hooks.example.com/bucket/0.png?X-Amz-Signature=abc\"}]}}", FIXTURE_KEY, null)));
        JsonNode template = body(call(event("apigw-text-to-image", "{\"model\":\"gen4_image\",\"promptText\":\"x\","
                + "\"ratio\":\"1920:1080\",\"relay\":{\"deliverTo\":{\"template\":"
                + "\"https://hooks.example.com/bucket/{index}.{ext}?sig=abc\"}}}", FIXTURE_KEY, null)));

        assertEquals(com.runwayrelay.domain.delivery.DeliverTo.of(List.of(
                        "https://hooks.example.com/bucket/0.png?X-Amz-Signature=abc")),
                task(urls.get("id").asText()).request().deliverTo());
        assertEquals(com.runwayrelay.domain.delivery.DeliverTo.template("https://hooks.example.com/bucket/{index}.{ext}?sig=abc"),
                task(template.get("id").asText()).request().deliverTo());
        assertFalse(readTree(runway.createdBodies.getFirst()).has("relay"));
    }

    @Test
    void refusesBadDeliverToValues_withSpecificIssues_andCallsRunwayNever() {
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("[{\"url\":\"https://internal.example.com/b/0.png\"}]", "private_address");
        expected.put("[{\"url\":\"https://10.1.2.3/b/0.png\"}]", "private_address");
        expected.put("[{\"url\":\"https://127.0.0.1/b/0.png\"}]", "private_address");
        expected.put("[{\"url\":\"http://hooks.example.com/b/0.png\"}]", "scheme_not_allowed");
        expected.put("[{\"url\":\"not a url\"}]", "illegal_character");
        expected.put("[{\"url\":\"/relative/0.png\"}]", "malformed_uri");
        expected.put("[{\"url\":\"https://hooks.example.com/0\"},{\"url\":\"https://hooks.example.com/1\"}]", "too_big");
        expected.put("[]", "too_small");
        expected.put("\"https://hooks.example.com/0\"", "invalid_type");
        expected.put("[{\"url\":\"https://hooks.example.com/0\",\"method\":\"POST\"}]", "unrecognized_keys");
        expected.put("[{\"url\":7}]", "invalid_type");
        expected.put("{\"template\":\"https://hooks.example.com/{index}-{name}.{ext}\"}", "unknown_placeholder");
        expected.put("{\"template\":\"https://internal.example.com/{index}.{ext}\"}", "private_address");
        for (var value : expected.entrySet()) {
            APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image", "{\"model\":\"gen4_image\","
                    + "\"promptText\":\"x\",\"ratio\":\"1920:1080\",\"relay\":{\"deliverTo\":"
                    + value.getKey() + "}}", FIXTURE_KEY, null));

            assertEquals(400, response.getStatusCode(), value.getKey());
            JsonNode issue = body(response).get("issues").get(0);
            assertEquals(value.getValue(), issue.get("code").asText(), value.getKey() + " → " + issue);
            assertEquals("relay", issue.get("path").get(0).asText());
            assertEquals("deliverTo", issue.get("path").get(1).asText());
            assertTrue(issue.get("message").asText().contains("relay.deliverTo"), issue::toString);
        }
        assertTrue(runway.createdBodies.isEmpty());
        assertTrue(tasks instanceof InMemoryTaskRepository memory && memory.all().isEmpty());
    }

    @Test
    void refusesARedirectingDeliverToUrl_withoutCallingRunway_andAcceptsA403ToTheProbe() {
        probeAnswers.put("https://hooks.example.com/bucket/moved.png?X-Amz-Signature=abc", 301);
        String body = "{\"model\":\"gen4_image\",\"promptText\":\"x\",\"ratio\":\"1920:1080\",\"relay\":{\"deliverTo\":";

        APIGatewayV2HTTPResponse moved = call(event("apigw-text-to-image", body
                + "[{\"url\":\"https://hooks.example.com/bucket/moved.png?X-Amz-Signature=abc\"}]}}", FIXTURE_KEY, null));
        assertEquals(400, moved.getStatusCode());
        JsonNode issue = body(moved).get("issues").get(0);
        assertEquals("redirecting_url", issue.get("code").asText());
        assertEquals("[\"relay\",\"deliverTo\",0,\"url\"]", issue.get("path").toString());
        assertTrue(issue.get("message").asText().contains("HTTP 301"), issue::toString);
        assertFalse(issue.toString().contains("X-Amz-Signature"), "the URL's credential is not echoed");
        assertTrue(runway.createdBodies.isEmpty());
        assertTrue(tasks instanceof InMemoryTaskRepository memory && memory.all().isEmpty());

        APIGatewayV2HTTPResponse template = call(event("apigw-text-to-image", body
                + "{\"template\":\"https://hooks.example.com/bucket/{index}.{ext}?sig=abc\"}}}", FIXTURE_KEY, null));
        assertTrue(template.getStatusCode() < 300, () -> "403 to a HEAD says nothing against a PUT: " + template.getBody());
        assertEquals(URI.create("https://hooks.example.com/bucket/0.png?sig=abc"), probed.getLast(),
                "a template is probed at its expansion for output 0");
    }

    @Test
    void probesNoDeliverToUrl_whenTheRequestIsRefusedForAnotherReason() {
        call(event("apigw-text-to-image", "{\"model\":\"gen4_image\",\"promptText\":\"x\",\"ratio\":\"1:1\","
                + "\"relay\":{\"deliverTo\":[{\"url\":\"https://hooks.example.com/bucket/0.png\"}]}}", FIXTURE_KEY, null));

        assertTrue(probed.isEmpty(), probed::toString);
    }

    @Test
    void takesOneUrlPerOutput_andRefusesATemplateWithoutIndex_whenTheRequestMakesSeveralOutputs() {
        String twoOutputs = "{\"model\":\"gpt_image_2\",\"promptText\":\"x\",\"ratio\":\"auto\",\"outputCount\":2,"
                + "\"relay\":{\"deliverTo\":";
        APIGatewayV2HTTPResponse noIndex = call(event("apigw-text-to-image", twoOutputs
                + "{\"template\":\"https://hooks.example.com/out.{ext}\"}}}", FIXTURE_KEY, null));
        APIGatewayV2HTTPResponse three = call(event("apigw-text-to-image", twoOutputs + "[{\"url\":\"https://hooks.example.com/0\"},"
                + "{\"url\":\"https://hooks.example.com/1\"},{\"url\":\"https://hooks.example.com/2\"}]}}", FIXTURE_KEY, null));
        assertTrue(runway.createdBodies.isEmpty());
        APIGatewayV2HTTPResponse two = call(event("apigw-text-to-image", twoOutputs + "[{\"url\":\"https://hooks.example.com/0\"},"
                + "{\"url\":\"https://hooks.example.com/1\"}]}}", FIXTURE_KEY, null));

        assertEquals(400, noIndex.getStatusCode());
        assertEquals("missing_placeholder", body(noIndex).get("issues").get(0).get("code").asText());
        assertEquals(400, three.getStatusCode());
        assertEquals("too_big", body(three).get("issues").get(0).get("code").asText());
        assertTrue(body(three).get("issues").get(0).get("message").asText().contains("makes 2 outputs"));
        assertTrue(two.getStatusCode() < 300, () -> "two URLs for two outputs are accepted: " + body(two));
        assertEquals(2, task(body(two).get("id").asText()).request().deliverTo().urls().size());
    }

    @Test
    void keepsTheChosenWebhookEventsOnTheTask_andNoChoiceMeansTheDefault() {
        JsonNode chosen = body(call(event("apigw-text-to-image", "{\"model\":\"gen4_image\",\"promptText\":\"x\","
                + "\"ratio\":\"1920:1080\",\"relay\":{\"webhookEvents\":[\"task.failed\",\"task.cancelled\"]}}",
                FIXTURE_KEY, null)));
        JsonNode none = body(call(event("apigw-text-to-image", "{\"model\":\"gen4_image\",\"promptText\":\"x\","
                + "\"ratio\":\"1920:1080\",\"relay\":{\"webhookEvents\":[]}}", FIXTURE_KEY, null)));
        JsonNode plain = body(call(event("apigw-text-to-image")));

        assertEquals(Set.of(WebhookEventType.TASK_FAILED, WebhookEventType.TASK_CANCELLED),
                task(chosen.get("id").asText()).request().webhookEvents());
        assertEquals(Set.of(), task(none.get("id").asText()).request().webhookEvents());
        assertNull(task(plain.get("id").asText()).request().webhookEvents());
    }

    @Test
    void keepsTheCourseEventsOnTheTask_whenTheAppChoseStartedProgressAndDelivered() {
        JsonNode chosen = body(call(event("apigw-text-to-image", "{\"model\":\"gen4_image\",\"promptText\":\"x\","
                + "\"ratio\":\"1920:1080\",\"relay\":{\"webhookEvents\":[\"task.started\",\"task.progress\","
                + "\"task.succeeded\",\"task.delivered\"]}}", FIXTURE_KEY, null)));

        assertEquals(Set.of(WebhookEventType.TASK_STARTED, WebhookEventType.TASK_PROGRESS,
                        WebhookEventType.TASK_SUCCEEDED, WebhookEventType.TASK_DELIVERED),
                task(chosen.get("id").asText()).request().webhookEvents());
    }

    @Test
    void refusesWebhookEventsThatAreUnknownRepeatedOrNotNames_andSendsNothing() {
        String body = "{\"model\":\"gen4_image\",\"promptText\":\"x\",\"ratio\":\"1920:1080\",\"relay\":"
                + "{\"webhookEvents\":[\"task.progress\",\"task.exploded\",\"task.failed\",\"task.failed\",7,"
                + "\"TASK.STARTED\",\"task.progress\"]}}";
        APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image", body, FIXTURE_KEY, null));
        APIGatewayV2HTTPResponse notArray = call(event("apigw-text-to-image", "{\"model\":\"gen4_image\","
                + "\"promptText\":\"x\",\"ratio\":\"1920:1080\",\"relay\":{\"webhookEvents\":\"task.failed\"}}",
                FIXTURE_KEY, null));

        assertEquals(400, response.getStatusCode());
        List<String> issues = new ArrayList<>();
        body(response).get("issues").forEach(i -> issues.add(i.get("code").asText() + " " + i.get("path")
                + " " + i.get("message").asText()));
        assertEquals(5, issues.size(), issues::toString);
        assertTrue(issues.get(0).startsWith("invalid_enum_value [\"relay\",\"webhookEvents\",1]")
                && issues.get(0).contains("'task.exploded' is not an event"), issues::toString);
        assertTrue(issues.get(1).startsWith("custom [\"relay\",\"webhookEvents\",3]")
                && issues.get(1).contains("more than once"), issues::toString);
        assertTrue(issues.get(2).startsWith("invalid_type [\"relay\",\"webhookEvents\",4]"), issues::toString);
        assertTrue(issues.get(3).startsWith("invalid_enum_value [\"relay\",\"webhookEvents\",5]")
                && issues.get(3).contains("'TASK.STARTED' is not an event"), issues::toString);
        assertTrue(issues.get(4).startsWith("custom [\"relay\",\"webhookEvents\",6]")
                && issues.get(4).contains("task.progress is listed more than once"), issues::toString);
        assertEquals(400, notArray.getStatusCode());
        assertEquals("invalid_type", body(notArray).get("issues").get(0).get("code").asText());
        assertTrue(runway.createdBodies.isEmpty());
    }

    private static APIGatewayV2HTTPEvent preferring(String prefer, String body, String idempotencyKey) {
        APIGatewayV2HTTPEvent event = event("apigw-text-to-image", body, FIXTURE_KEY, idempotencyKey);
        event.getHeaders().put("prefer", prefer);
        return event;
    }

    /** The poller and the archiver, as a held create sees them: after some pauses the task is archived. */
    private void archivedAfter(int pausesBeforeTheEnd) {
        duringPause = () -> {
            if (pauses.size() == pausesBeforeTheEnd) {
                Task task = tasks.find("task-1").orElseThrow();
                tasks.replace(task, task.next(clock.instant()).state(TaskState.ARCHIVED).runwayStatus(
                                com.runwayrelay.domain.RunwayStatus.SUCCEEDED).progress(1.0).actualCredits(8L)
                        .archive(List.of(new ArchiveRecord("outputs/app_fixture/task-1/0.png", 10, "ab", "image/png")))
                        .dueAt(null).build());
            }
        };
    }

    @Test
    void heldCreate_answersTheSucceededTaskWithItsLinks_whenItEndsWithinTheWait_askingRunwayNothingMore() {
        held = held();
        archivedAfter(3);

        APIGatewayV2HTTPResponse response = call(preferring("wait=20", T2I, null));

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode task = body(response);
        assertEquals("task-1", task.get("id").asText());
        assertEquals("SUCCEEDED", task.get("status").asText());
        assertEquals("https://bucket.example.test/outputs/app_fixture/task-1/0.png?sig", task.get("output").get(0).asText());
        assertEquals(estimate, task.get("estimatedCost").get("credits").asLong(), "the create's usual member stays");
        assertEquals("wait=20", response.getHeaders().get("preference-applied"));
        assertEquals(3, pauses.size(), "answered at the first read after the end");
        assertEquals(1, runway.createdBodies.size());
        assertEquals(0, runway.reads.get(), "the held create only read the stored task");
    }

    @Test
    void heldCreate_answersTheTaskAsItStands_whenTheWaitPasses_cappedAt25Seconds() {
        held = held();

        APIGatewayV2HTTPResponse response = call(preferring("respond-async, wait=600", T2I, null));

        assertEquals(200, response.getStatusCode());
        assertEquals("PENDING", body(response).get("status").asText());
        assertEquals("wait=25", response.getHeaders().get("preference-applied"));
        assertEquals(Duration.ofSeconds(25), pauses.stream().reduce(Duration.ZERO, Duration::plus));
        assertEquals(0, runway.reads.get());
    }

    @Test
    void heldCreate_countsTheTimeTheCreateTookIntoTheWait() {
        held = held();
        runwayPort = new RunwayGateway() {
            @Override
            public CreateOutcome create(String endpoint, String requestJson) {
                clock.advance(Duration.ofSeconds(8));
                return runway.create(endpoint, requestJson);
            }

            @Override
            public ReadOutcome get(String runwayTaskId) {
                return runway.get(runwayTaskId);
            }

            @Override
            public CancelOutcome cancel(String runwayTaskId) {
                return runway.cancel(runwayTaskId);
            }
        };

        APIGatewayV2HTTPResponse response = call(preferring("wait=10", T2I, null));

        assertEquals("wait=10", response.getHeaders().get("preference-applied"));
        assertEquals(Duration.ofSeconds(2), pauses.stream().reduce(Duration.ZERO, Duration::plus),
                "10 s from the request's arrival, 8 of them spent creating");
    }

    @Test
    void heldCreate_isAnsweredAtOnce_whenTheRequestIsRefused_orTheHeaderAsksNoWholeWait() {
        held = held();

        APIGatewayV2HTTPResponse invalid = call(preferring("wait=20", "{\"model\":\"gen4_image\"}", null));
        APIGatewayV2HTTPResponse notANumber = call(preferring("wait=soon", T2I, null));
        APIGatewayV2HTTPResponse none = call(event("apigw-text-to-image", T2I, FIXTURE_KEY, null));

        assertEquals(400, invalid.getStatusCode());
        assertNull(invalid.getHeaders().get("preference-applied"));
        for (APIGatewayV2HTTPResponse usual : List.of(notANumber, none)) {
            assertEquals(200, usual.getStatusCode());
            assertNull(usual.getHeaders().get("preference-applied"));
            assertEquals(Set.of("id", "estimatedCost"), fieldNames(body(usual)), "the usual create answer");
        }
        assertTrue(pauses.isEmpty(), "nothing was held");
    }

    @Test
    void heldReplay_waitsAgain_whileTheStoredAnswerStaysTheUsualOne() {
        held = held();
        APIGatewayV2HTTPResponse first = call(preferring("wait=1", T2I, "key-held-1"));
        archivedAfter(pauses.size() + 1);

        APIGatewayV2HTTPResponse replay = call(preferring("wait=20", T2I, "key-held-1"));
        APIGatewayV2HTTPResponse plainReplay = call(event("apigw-text-to-image", T2I, FIXTURE_KEY, "key-held-1"));

        assertEquals("PENDING", body(first).get("status").asText());
        assertEquals("SUCCEEDED", body(replay).get("status").asText());
        assertEquals("true", replay.getHeaders().get("idempotent-replayed"));
        assertEquals("wait=20", replay.getHeaders().get("preference-applied"));
        assertEquals(Set.of("id", "estimatedCost"), fieldNames(body(plainReplay)));
        assertEquals(1, runway.createdBodies.size(), "one Runway task");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void decodesABase64Body() {
        APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image-base64"));
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(1, runway.createdBodies.size());
    }

    @Test
    void answers401_forAMissingUnknownOrDisabledKey() {
        String disabled = newApp(1000, 5, Set.of(), Set.of(), true);
        for (String key : new String[] {null, ApiKeys.mint(), "not-a-key", disabled}) {
            APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image", T2I, key, null));
            assertEquals(401, response.getStatusCode());
            assertEquals("application/problem+json", response.getHeaders().get("content-type"));
            assertTrue(body(response).get("error").asText().contains("API key"));
        }
        assertTrue(runway.createdBodies.isEmpty());
    }

    @Test
    void listsEveryViolationAtOnce_andSpendsNothing() {
        String key = newApp(1000, 5, Set.of(), Set.of("gen4_image_turbo"), false);
        String body = "{\"model\":\"gen4_image\",\"promptText\":\"x\",\"ratio\":\"7:3\","
                + "\"referenceImages\":[{\"uri\":\"https://evil.example.org/a.png\",\"tag\":\"ref\"},"
                + "{\"uri\":\"https://internal.example.com/b.png\",\"tag\":\"two\"}],"
                + "\"relay\":{\"callbackUrl\":\"http://hooks.example.com/x\",\"deadline\":\"tomorrow\",\"colour\":\"red\"}}";
        APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image", body, key, "k-invalid"));

        assertEquals(400, response.getStatusCode());
        JsonNode problem = body(response);
        assertEquals("urn:runway-relay:problem:invalid-request", problem.get("type").asText());
        assertEquals(problem.get("detail"), problem.get("error"));
        List<String> issues = new ArrayList<>();
        problem.get("issues").forEach(i -> issues.add(i.get("code").asText() + " " + i.get("path")));
        assertTrue(issues.contains("host_not_allowed [\"referenceImages\",0,\"uri\"]"), issues::toString);
        assertTrue(issues.contains("host_not_allowed [\"referenceImages\",1,\"uri\"]"), issues::toString);
        assertTrue(issues.contains("scheme_not_allowed [\"relay\",\"callbackUrl\"]"), issues::toString);
        assertTrue(issues.contains("invalid_string [\"relay\",\"deadline\"]"), issues::toString);
        assertTrue(issues.contains("unrecognized_keys [\"relay\",\"colour\"]"), issues::toString);
        assertTrue(issues.contains("model_not_allowed [\"model\"]"), issues::toString);
        assertTrue(issues.stream().anyMatch(i -> i.endsWith("[\"ratio\"]")), issues::toString);
        assertTrue(runway.createdBodies.isEmpty());
        assertTrue(idempotencyStore.find("app_" + (ids.get()), "k-invalid", T0).isEmpty());
    }

    @Test
    void refusesAnEndpointTheAppMayNotCall() {
        String key = newApp(1000, 5, Set.of("image_to_video"), Set.of(), false);
        JsonNode problem = body(call(event("apigw-text-to-image", T2I, key, null)));
        assertEquals("endpoint_not_allowed", problem.get("issues").get(0).get("code").asText());
    }

    @Test
    void refusesACallbackThatResolvesInside() {
        String body = "{\"model\":\"gen4_image\",\"promptText\":\"x\",\"ratio\":\"1920:1080\","
                + "\"relay\":{\"callbackUrl\":\"https://internal.example.com/hook\",\"metadata\":[1]}}";
        JsonNode problem = body(call(event("apigw-text-to-image", body, FIXTURE_KEY, null)));
        assertEquals("private_address", problem.get("issues").get(0).get("code").asText());
        assertEquals("invalid_type", problem.get("issues").get(1).get("code").asText());
    }

    @Test
    void answers400_forABodyThatIsNotAJsonObject() {
        assertEquals("invalid_json", body(call(event("apigw-text-to-image", "{\"model\":", FIXTURE_KEY, null)))
                .get("issues").get(0).get("code").asText());
        assertEquals("invalid_type", body(call(event("apigw-text-to-image", "[1]", FIXTURE_KEY, null)))
                .get("issues").get(0).get("code").asText());
    }

    @Test
    void answers402WithTheNumbers_whenTheBudgetCannotCoverTheEstimate() {
        String key = newApp(estimate + 1, 5, Set.of(), Set.of(), false);
        assertEquals(200, call(event("apigw-text-to-image", T2I, key, null)).getStatusCode());
        APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image", T2I, key, "k-402"));

        assertEquals(402, response.getStatusCode());
        JsonNode problem = body(response);
        assertEquals(estimate, problem.get("requestedCredits").asLong());
        assertEquals(estimate, problem.get("usedCredits").asLong());
        assertEquals(estimate + 1, problem.get("dailyCreditBudget").asLong());
        assertEquals(1, problem.get("remainingCredits").asLong());
        assertEquals("2026-11-22T00:00:00Z", problem.get("resetsAt").asText());
        assertEquals(1, runway.createdBodies.size());
    }

    @Test
    void answers429_whenEveryActiveSlotIsTaken() {
        String key = newApp(1000, 1, Set.of(), Set.of(), false);
        call(event("apigw-text-to-image", T2I, key, null));
        APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image", T2I, key, null));
        assertEquals(429, response.getStatusCode());
        assertEquals("5", response.getHeaders().get("retry-after"));
        assertEquals(1, body(response).get("maxActiveTasks").asInt());
    }

    @Test
    void replaysTheFirstAnswer_forTheSameKeyAndBody() {
        APIGatewayV2HTTPResponse first = call(event("apigw-text-to-image"));
        APIGatewayV2HTTPResponse second = call(event("apigw-text-to-image"));

        assertEquals(first.getBody(), second.getBody());
        assertEquals("true", second.getHeaders().get("idempotent-replayed"));
        assertEquals(1, runway.createdBodies.size());
    }

    @Test
    void answers422_whenAKeyIsReusedForAnotherRequest() {
        call(event("apigw-text-to-image"));
        APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image",
                T2I.replace("A lighthouse", "A windmill"), FIXTURE_KEY, "3f0c6a7e-8a61-4c2f-9a7e-0c1d2e3f4a5b"));
        assertEquals(422, response.getStatusCode());
        assertTrue(body(response).get("error").asText().contains("different request"));
    }

    @Test
    void answers409_whileTheFirstRequestWithTheKeyIsStillWorking() {
        JsonNode parsed = readTree(T2I);
        idempotencyStore.claim(new IdempotencyRecord("app_fixture", "busy", CanonicalJson.fingerprint("text_to_image", parsed),
                "task-other", null, T0, T0.plusSeconds(3600), T0.plusSeconds(30)), T0);
        APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image", T2I, FIXTURE_KEY, "busy"));
        assertEquals(409, response.getStatusCode());
        assertEquals("1", response.getHeaders().get("retry-after"));
    }

    @Test
    void answers400_forAMalformedIdempotencyKey() {
        APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image", T2I, FIXTURE_KEY, "x".repeat(300)));
        assertEquals(400, response.getStatusCode());
        assertEquals("urn:runway-relay:problem:invalid-idempotency-key", body(response).get("type").asText());
    }

    @Test
    void relaysRunwaysRejection_releasesTheReservation_andReplaysIt() {
        runway.queue(new CreateOutcome.Rejected("Invalid asset",
                List.of(new Violation(List.of("promptText"), "custom", "Runway says no"))));
        APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image"));

        assertEquals(400, response.getStatusCode());
        JsonNode problem = body(response);
        assertEquals("urn:runway-relay:problem:runway-rejected", problem.get("type").asText());
        assertEquals("Runway rejected the request: Invalid asset", problem.get("error").asText());
        assertEquals("custom", problem.get("issues").get(0).get("code").asText());
        Task task = task(problem.get("id").asText());
        assertEquals(TaskState.FAILED, task.state());
        assertEquals(0, ledger.usage("app_fixture", DAY).usedCredits());
        assertTrue(ledger.activeSlots("app_fixture").isEmpty());
        assertEquals(response.getBody(), call(event("apigw-text-to-image")).getBody());
        assertEquals(1, runway.createdBodies.size());
    }

    @Test
    void leavesTheTaskForThePoller_whenRunwayIsClearlyUnavailable() {
        runway.queue(new CreateOutcome.Unavailable("rate limited", Duration.ofSeconds(40)));
        JsonNode body = body(call(event("apigw-text-to-image")));

        Task task = task(body.get("id").asText());
        assertEquals(TaskState.ACCEPTED, task.state());
        assertEquals(T0.plusSeconds(40), task.dueAt());
        assertEquals(AttemptOutcome.NOT_CREATED, task.lastAttempt().outcome());
        assertTrue(TaskCreation.mayCreate(task));
        assertEquals(task.request().estimatedCredits(), ledger.usage("app_fixture", DAY).usedCredits());
    }

    @Test
    void marksAnAmbiguousCreate_andNeverRepeatsIt() {
        runway.queue(new CreateOutcome.Ambiguous("connection reset after sending"));
        JsonNode body = body(call(event("apigw-text-to-image")));

        Task task = task(body.get("id").asText());
        assertEquals(TaskCreation.AMBIGUOUS, task.stateReason());
        assertNull(task.dueAt());
        assertFalse(TaskCreation.mayCreate(task));
        call(event("apigw-text-to-image"));
        assertEquals(1, runway.createdBodies.size());
    }

    @Test
    void largeRequestIsSentWhole_butStoredWithoutItsDataUris() {
        String body = largeImageToVideo();
        JsonNode answer = body(call(event("apigw-image-to-video", body, FIXTURE_KEY, null)));

        assertTrue(runway.createdBodies.getFirst().length() > SubmitTask.STORED_REQUEST_LIMIT);
        Task task = task(answer.get("id").asText());
        assertTrue(task.request().json().length() < 1000, task.request().json());
        assertTrue(task.request().json().contains("data:image/png;base64,<400000 characters not stored>")
                || task.request().json().contains("characters not stored"), task.request().json());
        assertEquals(TaskState.SUBMITTED, task.state());
    }

    @Test
    void largeRequestMeetingAnUnavailableRunway_fails503AndIsReleased() {
        runway.queue(new CreateOutcome.Unavailable("Runway unreachable", null));
        APIGatewayV2HTTPResponse response = call(event("apigw-image-to-video", largeImageToVideo(), FIXTURE_KEY, "big"));

        assertEquals(503, response.getStatusCode());
        assertEquals("30", response.getHeaders().get("retry-after"));
        assertEquals(0, ledger.usage("app_fixture", DAY).usedCredits());
        assertTrue(idempotencyStore.find("app_fixture", "big", T0).isEmpty());
    }

    private static String largeImageToVideo() {
        return "{\"model\":\"gen4_turbo\",\"promptImage\":\"data:image/png;base64,iVBORw0KGgo" + "A".repeat(399_989)
                + "\",\"ratio\":\"1280:720\",\"duration\":5}";
    }

    @Test
    void cancelsTheNewRunwayTask_whenTheAppDeletedItWhileItWasBeingCreated() {
        runwayPort = new RunwayGateway() {
            @Override
            public CreateOutcome create(String endpoint, String requestJson) {
                Task stored = tasks.find("task-" + ids.get()).orElseThrow();
                tasks.replace(stored, stored.next(T0).state(TaskState.CANCELLED).stateReason("DELETED_BY_APP").dueAt(null).build());
                return new CreateOutcome.Created("rw-late", 5L);
            }

            @Override
            public ReadOutcome get(String runwayTaskId) {
                return new ReadOutcome.Gone();
            }

            @Override
            public CancelOutcome cancel(String runwayTaskId) {
                return runway.cancel(runwayTaskId);
            }
        };
        assertEquals(200, call(event("apigw-text-to-image", T2I, FIXTURE_KEY, null)).getStatusCode());
        assertEquals(List.of("rw-late"), runway.cancelled);
    }

    @Test
    void reservesTheConfiguredCredits_forAModelWithoutPrice() {
        unknownModels = UnknownModelPolicy.PASSTHROUGH;
        JsonNode body = body(call(event("apigw-text-to-image",
                "{\"model\":\"gen9_future\",\"promptText\":\"x\",\"ratio\":\"1:1\"}", FIXTURE_KEY, null)));
        assertEquals(100, body.get("estimatedCost").get("credits").asLong());
    }

    @Test
    void passesAnUploadSlotThrough() {
        JsonNode body = body(call(event("apigw-uploads")));
        assertEquals("https://storage.example.com/upload", body.get("uploadUrl").asText());
        assertEquals("p", body.get("fields").get("policy").asText());
        assertEquals("runway://ephemeral/abc", body.get("runwayUri").asText());
    }

    @Test
    void checksTheUploadRequest() {
        JsonNode problem = body(call(event("apigw-uploads", "{\"filename\":\"a/b\",\"type\":\"permanent\",\"x\":1}",
                FIXTURE_KEY, null)));
        List<String> codes = new ArrayList<>();
        problem.get("issues").forEach(i -> codes.add(i.get("code").asText()));
        assertEquals(List.of("invalid_string", "invalid_literal", "unrecognized_keys"), codes);
        assertEquals("invalid_type", body(call(event("apigw-uploads", "{}", FIXTURE_KEY, null)))
                .get("issues").get(0).get("code").asText());
    }

    @Test
    void relaysUploadRefusalsAndOutages() {
        uploadOutcome = new UploadSlots.Outcome.Rejected("bad extension", List.of());
        assertEquals(400, call(event("apigw-uploads")).getStatusCode());
        uploadOutcome = new UploadSlots.Outcome.Unavailable("rate limited", Duration.ofSeconds(7));
        APIGatewayV2HTTPResponse response = call(event("apigw-uploads"));
        assertEquals(503, response.getStatusCode());
        assertEquals("7", response.getHeaders().get("retry-after"));
    }

    @Test
    void answers404_forARouteThatIsNotATaskEndpoint() {
        APIGatewayV2HTTPEvent event = event("apigw-text-to-image");
        event.setRouteKey("POST /v1/no_such_generation");
        assertEquals(404, call(event).getStatusCode());
    }

    @Test
    void answers500AndReleasesEverything_whenStorageFails() {
        tasks = new InterceptingTaskRepository(new InMemoryTaskRepository(8)).onInsert(task -> {
            throw new IllegalStateException("table unavailable");
        });
        APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image"));

        assertEquals(500, response.getStatusCode());
        assertFalse(response.getBody().contains("table unavailable"));
        assertEquals(0, ledger.usage("app_fixture", DAY).usedCredits());
        assertTrue(ledger.activeSlots("app_fixture").isEmpty());
        assertTrue(idempotencyStore.find("app_fixture", "3f0c6a7e-8a61-4c2f-9a7e-0c1d2e3f4a5b", T0).isEmpty());
    }

    @Test
    void answersWithTheId_whenWritingTheCreatesResultFails() {
        tasks = new InterceptingTaskRepository(new InMemoryTaskRepository(8)).onReplace((current, next) -> {
            throw new IllegalStateException("throttled");
        });
        APIGatewayV2HTTPResponse response = call(event("apigw-text-to-image"));
        assertEquals(200, response.getStatusCode());
        Optional<Task> stored = tasks.find(body(response).get("id").asText());
        assertNotNull(stored.orElseThrow().lastAttempt());
    }

    /** The sum of each {@code metric}'s values by the value of {@code dimension}, from the EMF documents written. */
    private Map<String, Double> emitted(String metric, String dimension) {
        metrics.flush();
        Map<String, Double> sums = new TreeMap<>();
        for (String line : emf) {
            EmfDocument document = EmfDocument.parse(line).orElseThrow();
            assertEquals("RelayTest", document.directives().getFirst().namespace());
            document.directives().getFirst().metrics().stream().filter(m -> m.name().equals(metric)).forEach(m ->
                    sums.merge(document.text(dimension).orElseThrow(), m.values().stream().mapToDouble(v -> v).sum(),
                            Double::sum));
        }
        return sums;
    }

    @Test
    void recordsEveryAnswersOutcome_andTheReservedCredits_asEmf() {
        call(event("apigw-text-to-image"));
        call(event("apigw-text-to-image"));
        call(event("apigw-text-to-image", T2I.replace("A lighthouse", "A windmill"), FIXTURE_KEY,
                "3f0c6a7e-8a61-4c2f-9a7e-0c1d2e3f4a5b"));
        call(event("apigw-text-to-image", "[1]", FIXTURE_KEY, null));
        call(event("apigw-text-to-image", T2I, FIXTURE_KEY, "x".repeat(300)));
        String single = newApp(1000, 1, Set.of(), Set.of(), false);
        call(event("apigw-text-to-image", T2I, single, null));
        call(event("apigw-text-to-image", T2I, single, null));
        String poor = newApp(estimate - 1, 5, Set.of(), Set.of(), false);
        call(event("apigw-text-to-image", T2I, poor, null));

        assertEquals(Map.of("accepted", 2.0, "replayed", 1.0, "key_reused", 1.0, "invalid", 1.0,
                "invalid_idempotency_key", 1.0, "too_many_active", 1.0, "over_budget", 1.0),
                emitted("Submits", "Outcome"));
        Map<String, Double> reserved = emitted("CreditsReserved", "AppId");
        assertEquals(2, reserved.size(), "the fixture app and the one-slot app; the poor app reserved nothing");
        assertEquals(estimate, reserved.get("app_fixture"));
        assertEquals(2.0 * estimate, reserved.values().stream().mapToDouble(v -> v).sum());
    }

    @Test
    void recordsTheRejectionAndTheFailedTask_whenRunwayRejectsTheRequest() {
        runway.queue(new CreateOutcome.Rejected("Invalid asset",
                List.of(new Violation(List.of("promptText"), "custom", "Runway says no"))));

        call(event("apigw-text-to-image"));

        assertEquals(Map.of("runway_rejected", 1.0), emitted("Submits", "Outcome"));
        assertEquals(Map.of("FAILED", 1.0), emitted("TasksFinished", "State"));
        assertEquals(Map.of("app_fixture", 0.0), emitted("CreditsCharged", "AppId"), "nothing was created at Runway");
    }
}
