package com.runwayrelay.runway;

import static com.runwayrelay.runway.StubServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DocumentCallsTest {
    private static final String ID = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e";
    private static final String DOCUMENT = "{\"id\":\"" + ID + "\",\"content\":\"# FAQ\",\"createdAt\":"
            + "\"2026-11-21T06:30:00.123Z\",\"name\":\"FAQ\",\"type\":\"text\",\"updatedAt\":\"2026-11-21T06:30:00.123Z\","
            + "\"usedBy\":[]}";

    private StubServer server;
    private RecordingSleeper sleeper;
    private RunwayClient client;

    @BeforeEach
    void start() throws Exception {
        server = StubServer.start();
        sleeper = new RecordingSleeper();
        client = Fixtures.client(server, sleeper);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void createsWithNameAndContent_andReturnsRunwaysObject() {
        server.enqueue(json(200, DOCUMENT));
        ObjectNode document = client.createDocument("FAQ", "# FAQ");
        assertEquals(ID, document.get("id").asText());
        StubServer.Recorded request = server.requests().getFirst();
        assertEquals("POST", request.method());
        assertEquals("/v1/documents", request.path());
        assertEquals("{\"content\":\"# FAQ\",\"name\":\"FAQ\"}", new String(request.body(), StandardCharsets.UTF_8));
    }

    @Test
    void doesNotRetryACreate_whenRunwayAnswered503() {
        server.always(json(503, "{\"error\":\"shedding load\"}"));
        assertThrows(RunwayException.class, () -> client.createDocument("FAQ", "# FAQ"));
        assertEquals(1, server.requests().size(), "a second create could make a second document");
    }

    @Test
    void sendsOnlyTheGivenFieldsOnUpdate_andMaps404() {
        server.enqueue(json(204, ""));
        client.updateDocument(ID, null, "new");
        assertEquals("PATCH", server.requests().getFirst().method());
        assertEquals("/v1/documents/" + ID, server.requests().getFirst().path());
        assertEquals("{\"content\":\"new\"}", new String(server.requests().getFirst().body(), StandardCharsets.UTF_8));
        server.enqueue(json(404, "{\"error\":\"Document not found.\"}"));
        assertThrows(RunwayException.NotFound.class, () -> client.getDocument(ID));
        server.enqueue(json(404, "{\"error\":\"Document not found.\"}"));
        assertThrows(RunwayException.NotFound.class, () -> client.deleteDocument(ID));
    }

    @Test
    void refusesAnIdThatIsNoId_withoutSending() {
        assertThrows(IllegalArgumentException.class, () -> client.getDocument("../tasks/x"));
        assertEquals(0, server.requests().size());
    }
}
