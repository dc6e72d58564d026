package com.runwayrelay.runway;

import static com.runwayrelay.runway.StubServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResourceCallsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "7d2f8c1e-5b3a-4c9d-8e6f-1a2b3c4d5e6f";

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
    void createsWithTheBodyAsGiven_andReturnsRunwaysAnswer() throws Exception {
        server.enqueue(json(200, "{\"id\":\"" + ID + "\"}"));
        ObjectNode body = (ObjectNode) JSON.readTree("{\"name\":\"Narrator\",\"from\":{\"type\":\"text\"}}");
        assertEquals(ID, client.createResource("voices", body).get("id").asText());
        StubServer.Recorded request = server.requests().getFirst();
        assertEquals("POST", request.method());
        assertEquals("/v1/voices", request.path());
        assertEquals(body, JSON.readTree(new String(request.body(), StandardCharsets.UTF_8)));
    }

    @Test
    void doesNotRetryACreateOrAnAction_whenRunwayAnswered503() {
        server.always(json(503, "{\"error\":\"shedding load\"}"));
        assertThrows(RunwayException.class, () -> client.createResource("avatars", JSON.createObjectNode()));
        assertEquals(1, server.requests().size(), "a second create could make a second avatar");
        assertThrows(RunwayException.class, () -> client.postAction("voices/preview", JSON.createObjectNode()));
        assertEquals(2, server.requests().size(), "a second preview could be charged twice");
        assertEquals("/v1/voices/preview", server.requests().getLast().path());
    }

    @Test
    void updatesWithPatchAndReturnsTheChangedResource_andMaps404() throws Exception {
        server.enqueue(json(200, "{\"id\":\"" + ID + "\",\"name\":\"Renamed\"}"));
        ObjectNode changed = client.updateResource("avatars", ID, (ObjectNode) JSON.readTree("{\"name\":\"Renamed\"}"));
        assertEquals("Renamed", changed.get("name").asText());
        assertEquals("PATCH", server.requests().getFirst().method());
        assertEquals("/v1/avatars/" + ID, server.requests().getFirst().path());
        server.enqueue(json(404, "{\"error\":\"Avatar not found.\"}"));
        assertThrows(RunwayException.NotFound.class, () -> client.getResource("avatars", ID));
        server.enqueue(json(404, "{\"error\":\"Avatar not found.\"}"));
        assertThrows(RunwayException.NotFound.class, () -> client.deleteResource("avatars", ID));
        assertEquals("DELETE", server.requests().getLast().method());
    }

    @Test
    void listsAPageWithRunwaysPagingParameters() throws Exception {
        server.enqueue(json(200, "{\"data\":[{\"id\":\"" + ID + "\"}],\"hasMore\":true,\"nextCursor\":\"abc\"}"));
        ObjectNode page = client.listResources("documents", java.util.Map.of("limit", "20", "cursor", "a b"));
        assertEquals(ID, page.get("data").get(0).get("id").asText());
        assertEquals("abc", page.get("nextCursor").asText());
        StubServer.Recorded request = server.requests().getFirst();
        assertEquals("GET", request.method());
        assertEquals("/v1/documents", request.path());
        assertThrows(IllegalArgumentException.class, () -> client.listResources("tasks", java.util.Map.of()));
        assertEquals(1, server.requests().size());
    }

    @Test
    void refusesACollectionOrIdThatIsNone_withoutSending() {
        assertThrows(IllegalArgumentException.class, () -> client.getResource("avatars", "../tasks/x"));
        assertThrows(IllegalArgumentException.class, () -> client.getResource("tasks", ID));
        assertThrows(IllegalArgumentException.class, () -> client.getResource("Avatars/..", ID));
        assertThrows(IllegalArgumentException.class, () -> client.postAction("voices/../tasks", JSON.createObjectNode()));
        assertEquals(0, server.requests().size());
    }
}
