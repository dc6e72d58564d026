package com.runwayrelay.runway;

import static com.runwayrelay.runway.StubServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RealtimeCallsTest {
    private static final String ID = "7d6f2c1e-0b9a-4c3e-8f21-5a4b3c2d1e0f";

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

    @Test
    void createsWithTheBodyAsGiven_andDoesNotRetryAfterRunwayAnswered() {
        server.enqueue(json(200, "{\"id\":\"" + ID + "\"}"));
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", "gwm1_avatars").put("maxDuration", 60);
        assertEquals(ID, client.createRealtimeSession(body).get("id").asText());
        StubServer.Recorded request = server.requests().getFirst();
        assertEquals("POST", request.method());
        assertEquals("/v1/realtime_sessions", request.path());
        assertEquals("{\"model\":\"gwm1_avatars\",\"maxDuration\":60}", new String(request.body(), StandardCharsets.UTF_8));
        server.always(json(503, "{\"error\":\"busy\"}"));
        assertThrows(RunwayException.class, () -> client.createRealtimeSession(body));
        assertEquals(2, server.requests().size(), "a second create could make a second session");
    }

    @Test
    void readsCancelsAndDeletesOnRunwaysPaths_andMaps404() {
        server.enqueue(json(200, "{\"id\":\"" + ID + "\",\"status\":\"RUNNING\",\"createdAt\":\"2026-11-21T06:00:00Z\"}"));
        assertEquals("RUNNING", client.getRealtimeSession(ID).get("status").asText());
        server.enqueue(json(204, ""));
        client.cancelRealtimeSession(ID);
        server.enqueue(json(200, "{\"id\":\"" + ID + "\",\"status\":\"ended\"}"));
        assertEquals("ended", client.getAvatarConversation(ID).get("status").asText());
        server.enqueue(json(204, ""));
        client.deleteAvatarConversation(ID);
        assertEquals("GET /v1/realtime_sessions/" + ID, line(0));
        assertEquals("DELETE /v1/realtime_sessions/" + ID, line(1));
        assertEquals("GET /v1/avatar_conversations/" + ID, line(2));
        assertEquals("DELETE /v1/avatar_conversations/" + ID, line(3));
        server.enqueue(json(404, "{\"error\":\"Not found\"}"));
        assertThrows(RunwayException.NotFound.class, () -> client.getAvatarConversation(ID));
        assertThrows(IllegalArgumentException.class, () -> client.getRealtimeSession("../tasks/x"));
    }

    private String line(int i) {
        return server.requests().get(i).method() + " " + server.requests().get(i).path();
    }
}
