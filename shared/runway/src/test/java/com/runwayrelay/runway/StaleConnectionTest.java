package com.runwayrelay.runway;

import static com.runwayrelay.runway.Fixtures.TASK_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pooled keep-alive connection that the server closes as the client reuses it ("header parser
 * received no bytes"). The server below reads the request before closing, so this failure does not
 * prove that a request never arrived: a create sent on it stays ambiguous and is not repeated, while a
 * read is repeated on a new connection. See docs/decisions.md, "A create on a reused connection".
 */
class StaleConnectionTest {

    private static final String PENDING = "{\"id\":\"" + TASK_ID + "\",\"status\":\"PENDING\","
            + "\"createdAt\":\"2026-10-01T11:59:00Z\"}";

    private RunwayClient client(KeptAliveThenClosedServer server, RecordingSleeper sleeper) {
        return RunwayClient.builder().apiKey(Fixtures.API_KEY).baseUri(server.baseUri()).clock(Fixtures.CLOCK)
                .sleeper(sleeper).jitter(() -> 0.0).logger(new RecordingLogger()).build();
    }

    @Test
    void createIsAmbiguousAndNotRepeated_whenTheReusedConnectionClosesWithoutAnswer() throws Exception {
        RecordingSleeper sleeper = new RecordingSleeper();
        try (KeptAliveThenClosedServer server = new KeptAliveThenClosedServer(PENDING);
                RunwayClient c = client(server, sleeper)) {
            c.getTask(TASK_ID); // leaves the connection in the client's pool

            RunwayException.Ambiguous e = assertThrows(RunwayException.Ambiguous.class,
                    () -> c.createTask("text_to_image", Fixtures.textToImageBody()));

            assertTrue(String.valueOf(e.getCause()).contains("received no bytes"), String.valueOf(e.getCause()));
            // The server read the create: "no bytes received" did not mean "not sent".
            assertEquals(List.of("GET /v1/tasks/" + TASK_ID + " HTTP/1.1", "POST /v1/text_to_image HTTP/1.1"),
                    server.requestLines());
        }
        assertTrue(sleeper.delays().isEmpty());
    }

    @Test
    void readIsRepeatedOnANewConnection_whenTheReusedConnectionClosesWithoutAnswer() throws Exception {
        try (KeptAliveThenClosedServer server = new KeptAliveThenClosedServer(PENDING);
                RunwayClient c = client(server, new RecordingSleeper())) {
            c.getTask(TASK_ID);

            assertEquals(TASK_ID, c.getTask(TASK_ID).id());

            String get = "GET /v1/tasks/" + TASK_ID + " HTTP/1.1";
            assertEquals(List.of(get, get, get), server.requestLines());
        }
    }
}
