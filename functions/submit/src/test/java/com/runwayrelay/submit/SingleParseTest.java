package com.runwayrelay.submit;

import static com.runwayrelay.submit.Fixtures.FIXTURE_KEY;
import static com.runwayrelay.submit.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.GatewayJson;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.catalog.UnknownModelPolicy;
import com.runwayrelay.domain.Task;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AdmissionControl;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.Idempotency;
import com.runwayrelay.domain.gateway.IdempotencyStore.IdempotencyRecord;
import com.runwayrelay.domain.gateway.IdempotencyStore.StoredResponse;
import com.runwayrelay.domain.gateway.memory.InMemoryIdempotencyStore;
import com.runwayrelay.domain.gateway.memory.InMemoryUsageLedger;
import com.runwayrelay.domain.media.AddressGuard;
import com.runwayrelay.domain.media.MediaPolicySettings;
import com.runwayrelay.domain.media.MediaUriPolicy;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.InMemoryTaskRepository;
import com.runwayrelay.domain.memory.ManualClock;
import com.runwayrelay.domain.webhook.CallbackUrlCheck;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A submission's body is parsed once, strictly, at the edge ({@link RequestBody#parse}), and the use
 * case reads that tree ({@link SubmitCommand#body()}). Until the body was parsed once, the use case
 * parsed the text again with {@link GatewayJson#MAPPER}; everything written from the tree — the
 * idempotency fingerprint, the stored request and metadata, the body sent to Runway — must stay
 * byte for byte what that second parse gave, so the golden values here were taken from the code
 * before the change (numbers are where the two readers differed: the strict one held
 * {@code BigDecimal}s, which write {@code 1E+2} where a double writes {@code 100.0}).
 */
class SingleParseTest {
    private static final Instant T0 = Instant.parse("2026-11-21T06:30:00Z");
    /**
     * A sound effect ({@code eleven_text_to_sound_v2} passes unknown fields on to Runway) whose
     * {@code extra} member holds numbers of every shape, keys out of order, and {@code relay}.
     */
    static final String SOUND = "{\"promptText\":\"Rain on a tin roof\",\"model\":\"eleven_text_to_sound_v2\","
            + "\"duration\":12.50,\"extra\":{\"a\":1e2,\"b\":-0.0,\"c\":1.10,\"d\":12345678.9,\"e\":2147483648,"
            + "\"f\":1e-400,\"g\":[0.1,-1e-400,5.0,-0,3],\"h\":9007199254740991,\"i\":-9007199254740991.0,"
            + "\"j\":\"\\u00e9\\ud83d\\ude00\",\"k\":null,\"l\":true},"
            + "\"relay\":{\"metadata\":{\"n\":1E2,\"s\":\"x\",\"z\":[1,2.0]}}}";
    /** {@link #SOUND}'s fingerprint, as the code before the change computed it. */
    static final String SOUND_FINGERPRINT = "3d5e437e992fd3569a45e0a0ff5785588af37b1e8c4a5bd1669faaa17c8b798b";
    /** {@link #SOUND} as Runway received it and the task stored it, before the change. */
    static final String SOUND_SENT = "{\"promptText\":\"Rain on a tin roof\",\"model\":\"eleven_text_to_sound_v2\","
            + "\"duration\":12.5,\"extra\":{\"a\":100.0,\"b\":-0.0,\"c\":1.1,\"d\":1.23456789E7,\"e\":2147483648,"
            + "\"f\":0.0,\"g\":[0.1,-0.0,5.0,0,3],\"h\":9007199254740991,\"i\":-9.007199254740991E15,"
            + "\"j\":\"é😀\",\"k\":null,\"l\":true}}";
    /** The fingerprint of {@code events/submit/apigw-text-to-image-relay.json}'s body, before the change. */
    static final String RELAY_FIXTURE_FINGERPRINT = "073de04438e8e33ec77a2174a82350d94984e2425dbbb063f85691d4bbfbcb09";

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryAppRepository apps = new InMemoryAppRepository();
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore();
    private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(8);
    private final FakeRunway runway = new FakeRunway();
    private final App app = App.builder("app_fixture", "app_fixture", T0).dailyCreditBudget(1000).maxActiveTasks(5)
            .build();
    private final SubmitTask submit;
    private final SubmitApi api;

    SingleParseTest() {
        apps.create(app, ApiKeys.hash(FIXTURE_KEY));
        Catalog catalog = Catalog.loadDefault();
        RequestCheck check = new RequestCheck(catalog, UnknownModelPolicy.REJECT,
                new MediaUriPolicy(MediaPolicySettings.of(List.of()), Fixtures.testDns()),
                new CallbackUrlCheck(AddressGuard.strict(Fixtures.testDns())));
        submit = new SubmitTask(check, catalog, 100, new Idempotency(idempotency, clock, Duration.ofHours(24),
                Duration.ofSeconds(30), Duration.ZERO, Duration.ofMillis(5)), new AdmissionControl(ledger, tasks, clock),
                ledger, tasks, runway, clock, () -> "task-1", SubmitApi::stored);
        api = new SubmitApi(new AppAuthenticator(apps, clock, Duration.ZERO, 10), catalog.endpoints(), submit,
                new CreateUpload(filename -> {
                    throw new AssertionError("no upload slot may be requested");
                }));
    }

    private APIGatewayV2HTTPResponse post(String endpoint, String body, String idempotencyKey) {
        APIGatewayV2HTTPEvent event = event("apigw-text-to-image", body, FIXTURE_KEY, idempotencyKey);
        event.setRouteKey("POST /v1/" + endpoint);
        return api.apply(event);
    }

    @Test
    void theFingerprintStoredRequestAndRunwayBodyAreThoseOfBeforeTheSingleParse() {
        APIGatewayV2HTTPResponse response = post("sound_effect", SOUND, "k-golden");

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(SOUND_FINGERPRINT, idempotency.find("app_fixture", "k-golden", T0).orElseThrow().fingerprint());
        assertEquals(List.of(SOUND_SENT), runway.createdBodies);
        Task task = tasks.find("task-1").orElseThrow();
        assertEquals(SOUND_SENT, task.request().json());
        assertEquals("{\"n\":100.0,\"s\":\"x\",\"z\":[1,2.0]}", task.request().metadataJson());
    }

    @Test
    void theFingerprintOfARelayFixtureIsThatOfBeforeTheSingleParse() {
        APIGatewayV2HTTPEvent event = event("apigw-text-to-image-relay");
        event.getHeaders().put("idempotency-key", "k-golden");

        assertEquals(200, api.apply(event).getStatusCode());
        assertEquals(RELAY_FIXTURE_FINGERPRINT,
                idempotency.find("app_fixture", "k-golden", T0).orElseThrow().fingerprint());
    }

    /** A key answered by a version that parsed the body twice still replays, and still refuses another body. */
    @Test
    void aKeyStoredBeforeTheSingleParseReplays_andRefusesAnotherBody() {
        String answer = "{\"id\":\"task-0\",\"estimatedCost\":{\"credits\":2}}";
        idempotency.claim(new IdempotencyRecord("app_fixture", "k-before", SOUND_FINGERPRINT, "task-0",
                new StoredResponse(200, answer), T0.minusSeconds(60), T0.plus(Duration.ofHours(23)), null), T0);

        APIGatewayV2HTTPResponse replayed = post("sound_effect", SOUND, "k-before");

        assertEquals(200, replayed.getStatusCode(), replayed.getBody());
        assertEquals(answer, replayed.getBody());
        assertEquals("true", replayed.getHeaders().get("idempotent-replayed"));
        APIGatewayV2HTTPResponse other = post("sound_effect", SOUND.replace("12.50", "12.51"), "k-before");
        assertEquals(422, other.getStatusCode(), other.getBody());
        assertEquals(List.of(), runway.createdBodies);
    }

    /**
     * The edge's tree is the one the use case's own parse used to give, node for node: the same
     * classes ({@code IntNode}, {@code LongNode}, {@code DoubleNode}; no {@code BigDecimal}) and values
     * ({@code -0.0} keeps its sign).
     */
    @Test
    void theEdgeReadsTheTreeTheGatewayMapperReads() throws IOException {
        List<String> bodies = List.of(SOUND, "{}", " {\"a\" : [ ] , \"b\" : { } }\n",
                "{\"n\":[0,-0,1,-1,2147483647,2147483648,-2147483648,-2147483649,9007199254740991,-9007199254740991]}",
                "{\"f\":[0.0,-0.0,1.0,1.10,1e2,1E+2,1e-2,-1e-400,1e-400,12345678.9,0.1,9007199254740991.0,"
                        + "-9007199254740990.5,1e15,4.9e-324,2.2250738585072014E-308,123456789012345678901234567890e-20]}",
                "{\"s\":\"\\u0000\\t\\\"\\\\/\",\"u\":\"\\ud83d\\ude00\",\"b\":[true,false,null]}");
        for (String text : bodies) {
            ObjectNode edge = assertInstanceOf(RequestBody.Parsed.Ok.class, RequestBody.parse(text), text).body();
            JsonNode gateway = GatewayJson.MAPPER.readTree(text);
            assertSameTree(gateway, edge, text);
            assertEquals(gateway.toString(), edge.toString(), text);
        }
    }

    private static void assertSameTree(JsonNode expected, JsonNode actual, String where) {
        assertEquals(expected.getClass(), actual.getClass(), where);
        assertEquals(expected, actual, where);
        assertEquals(expected.size(), actual.size(), where);
        if (expected.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> e = expected.properties().iterator();
            Iterator<Map.Entry<String, JsonNode>> a = actual.properties().iterator();
            while (e.hasNext()) {
                Map.Entry<String, JsonNode> next = e.next();
                Map.Entry<String, JsonNode> other = a.next();
                assertEquals(next.getKey(), other.getKey(), where);
                assertSameTree(next.getValue(), other.getValue(), where + " ." + next.getKey());
            }
        } else if (expected.isArray()) {
            for (int i = 0; i < expected.size(); i++) {
                assertSameTree(expected.get(i), actual.get(i), where + " [" + i + "]");
            }
        } else if (expected.isDouble()) {
            assertEquals(Double.doubleToRawLongBits(expected.doubleValue()), Double.doubleToRawLongBits(actual.doubleValue()),
                    where);
        }
    }

    /**
     * The use case takes the tree and no text: a body built in code, with no JSON text anywhere, is
     * submitted as it is; and the tree is left as it came ({@code relay} is removed from a copy), so
     * the fingerprint taken from it is the fingerprint of what the app sent.
     */
    @Test
    void theUseCaseSubmitsTheCommandsTree_andLeavesItUnchanged() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", "eleven_text_to_sound_v2").put("promptText", "Wind").put("duration", 3.0);
        body.putObject("relay").putObject("metadata").put("order", 7);
        ObjectNode before = body.deepCopy();

        SubmitOutcome outcome = submit.submit(new SubmitCommand(app, "sound_effect", "k-tree", body));

        assertInstanceOf(SubmitOutcome.Accepted.class, outcome);
        assertEquals(before, body);
        assertEquals(List.of("{\"model\":\"eleven_text_to_sound_v2\",\"promptText\":\"Wind\",\"duration\":3.0}"),
                runway.createdBodies);
        assertEquals(CanonicalJson.fingerprint("sound_effect", before),
                idempotency.find("app_fixture", "k-tree", T0).orElseThrow().fingerprint());
        assertEquals("{\"order\":7}", tasks.find("task-1").orElseThrow().request().metadataJson());
    }

    /** A body the use case's own parse would have taken but the edge refuses never reaches the use case. */
    @Test
    void aBodyOnlyALenientReaderTakes_isRefusedAtTheEdge_andNothingIsClaimedOrSent() {
        for (String body : List.of("{\"model\":\"eleven_text_to_sound_v2\",\"promptText\":\"a\",\"promptText\":\"b\"}",
                "{\"model\":\"eleven_text_to_sound_v2\",\"promptText\":\"a\",\"duration\":9007199254740991.5}")) {
            APIGatewayV2HTTPResponse response = post("sound_effect", body, "k-lenient");
            assertEquals(400, response.getStatusCode(), body);
            assertTrue(response.getBody().contains("invalid-request"), response.getBody());
        }
        assertTrue(idempotency.find("app_fixture", "k-lenient", T0).isEmpty());
        assertEquals(List.of(), runway.createdBodies);
    }
}
