package com.runwayrelay.submit;

import static com.runwayrelay.submit.Fixtures.FIXTURE_KEY;
import static com.runwayrelay.submit.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.Violation;
import com.runwayrelay.catalog.Catalog;
import com.runwayrelay.domain.app.ApiKeys;
import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.gateway.AppAuthenticator;
import com.runwayrelay.domain.gateway.UploadSlots;
import com.runwayrelay.domain.memory.InMemoryAppRepository;
import com.runwayrelay.domain.memory.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/uploads}'s body, through {@link SubmitApi}: the answers to refused bodies are pinned in
 * {@code src/test/resources/uploads/refusals.jsonl} ({@code {"body", "status", "contentType", "response"}} per
 * line, {@code body} null for none), taken from the code that parsed an upload's body twice (strictly at the
 * edge, then again in {@link CreateUpload}); parsing it once must answer each of them byte for byte the same.
 */
class UploadBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REFUSALS = Path.of("src", "test", "resources", "uploads", "refusals.jsonl");
    private static final Instant T0 = Instant.parse("2026-11-21T06:30:00Z");

    private final List<String> requested = new ArrayList<>();
    private final SubmitApi api;

    UploadBodyTest() {
        ManualClock clock = new ManualClock(T0);
        InMemoryAppRepository apps = new InMemoryAppRepository();
        apps.create(App.builder("app_fixture", "app_fixture", T0).dailyCreditBudget(1000).maxActiveTasks(5).build(),
                ApiKeys.hash(FIXTURE_KEY));
        api = new SubmitApi(new AppAuthenticator(apps, clock, Duration.ZERO, 10), Catalog.loadDefault().endpoints(), null,
                new CreateUpload(filename -> {
                    requested.add(filename);
                    return new UploadSlots.Outcome.Reserved(URI.create("https://storage.example.com/upload"),
                            Map.of("key", "k"), "runway://ephemeral/" + filename);
                }));
    }

    private APIGatewayV2HTTPResponse post(String body) {
        return api.apply(event("apigw-uploads", body, FIXTURE_KEY, null));
    }

    @Test
    void everyRefusedBodyIsAnsweredAsWhenTheBodyWasParsedTwice() throws IOException {
        List<String> lines = Files.readAllLines(REFUSALS);
        assertTrue(lines.size() >= 30, "the pinned cases are there: " + lines.size());
        for (String line : lines) {
            JsonNode pinned = JSON.readTree(line);
            String body = pinned.get("body").isNull() ? null : pinned.get("body").textValue();
            APIGatewayV2HTTPResponse response = post(body);
            assertEquals(pinned.get("status").intValue(), response.getStatusCode(), body);
            assertEquals(pinned.get("contentType").textValue(), response.getHeaders().get("content-type"), body);
            assertEquals(pinned.get("response").textValue(), response.getBody(), body);
        }
        assertEquals(List.of(), requested, "no refused body asks Runway for a slot");
    }

    @Test
    void aSoundBodyAsksForASlotWithTheFilenameAsTheEdgeReadIt() throws IOException {
        APIGatewayV2HTTPResponse response = post(" {\"type\" : \"ephemeral\", \"filename\" : \"fr\\u0061me.png\"}\n");

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(List.of("frame.png"), requested);
        JsonNode slot = JSON.readTree(response.getBody());
        assertEquals("runway://ephemeral/frame.png", slot.get("runwayUri").textValue());
        assertEquals("k", slot.get("fields").get("key").textValue());
    }

    /** Runway allows names of up to 255 characters, extension included: the longest is taken (256 is refused, pinned). */
    @Test
    void aFilenameOf255CharactersIsTaken() {
        String longest = "a".repeat(251) + ".png";
        APIGatewayV2HTTPResponse response = post("{\"filename\":\"" + longest + "\",\"type\":\"ephemeral\"}");

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(List.of(longest), requested);
    }

    /** The use case takes the edge's tree and no text: a body built in code is checked as it is, and left unchanged. */
    @Test
    void theUseCaseChecksTheTreeItIsGiven_andLeavesItUnchanged() {
        CreateUpload uploads = new CreateUpload(filename -> {
            requested.add(filename);
            return new UploadSlots.Outcome.Rejected("no", List.of());
        });
        ObjectNode sound = JsonNodeFactory.instance.objectNode().put("filename", "clip.mp4").put("type", "ephemeral");
        ObjectNode before = sound.deepCopy();

        assertInstanceOf(UploadOutcome.Answered.class, uploads.create(sound));
        assertEquals(before, sound);
        assertEquals(List.of("clip.mp4"), requested);

        ObjectNode wrong = JsonNodeFactory.instance.objectNode().put("type", "permanent").put("extra", true);
        wrong.putArray("filename").add("clip.mp4");
        UploadOutcome.Invalid invalid = assertInstanceOf(UploadOutcome.Invalid.class, uploads.create(wrong));
        assertEquals(List.of("filename", "type", "extra"),
                invalid.violations().stream().map(v -> String.valueOf(v.path().getFirst())).toList());
        assertEquals(List.of("invalid_type", "invalid_literal", "unrecognized_keys"),
                invalid.violations().stream().map(Violation::code).toList());
        assertEquals(List.of("clip.mp4"), requested, "an invalid request asks for no slot");
    }
}
