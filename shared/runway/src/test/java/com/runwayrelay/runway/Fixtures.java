package com.runwayrelay.runway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Shared constants and a client wired to a stub, with no real sleeping and no jitter. */
final class Fixtures {

    static final String API_KEY = "key_" + "0123456789abcdef".repeat(8);
    static final Instant NOW = Instant.parse("2026-10-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String TASK_ID = "17f20503-6c24-4c16-946b-35dbbce2af2f";

    private Fixtures() {
    }

    static RunwayClient.Builder builder(StubServer server, Sleeper sleeper) {
        return RunwayClient.builder()
                .apiKey(API_KEY)
                .baseUri(server.baseUri())
                .clock(CLOCK)
                .sleeper(sleeper)
                .jitter(() -> 0.0)
                .logger(new RecordingLogger());
    }

    static RunwayClient client(StubServer server, Sleeper sleeper) {
        return builder(server, sleeper).build();
    }

    static ObjectNode textToImageBody() {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("model", "gen4_image")
                .put("promptText", "a lighthouse at dawn")
                .put("ratio", "1920:1080");
        body.putArray("referenceImages").addObject().put("uri", "https://example.com/a.png").put("tag", "a");
        return body;
    }

    static String created(String id) {
        return "{\"id\":\"" + id + "\",\"estimatedCost\":{\"credits\":8}}";
    }
}
