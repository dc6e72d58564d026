package com.runwayrelay.aws.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.owned.RunwayInventory.Item;
import com.runwayrelay.domain.owned.RunwayInventory.Listing;
import com.runwayrelay.domain.owned.RunwayInventory.Lookup;
import com.runwayrelay.runway.RunwayClient;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunwayClientInventoryTest {
    private static final String C1 = "c0000000-0000-4000-8000-000000000001";

    private HttpServer server;
    private RunwayClient client;
    private RunwayClientInventory inventory;
    /** Canned answers by "METHOD path": status and body. */
    private final Map<String, Object[]> answers = new ConcurrentHashMap<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            asked.add(key);
            Object[] answer = answers.getOrDefault(key, new Object[] {404, "{\"error\":\"Not found.\"}"});
            byte[] body = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders((int) answer[0], body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        client = RunwayClient.builder().apiKey("key_test")
                .baseUri(URI.create("http://127.0.0.1:" + server.getAddress().getPort())).build();
        inventory = new RunwayClientInventory(client);
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private void answer(String key, int status, String body) {
        answers.put(key, new Object[] {status, body});
    }

    @Test
    void listsConversations_namedAfterTheirAvatarAsTheGatewaysRecordsAre() {
        answer("GET /v1/avatar_conversations?limit=4", 200, """
                {"data": [
                  {"id": "c1", "name": "Conversation c1", "createdAt": "2026-12-01T10:00:00Z",
                   "avatar": {"type": "custom", "id": "av-1", "name": "Ada"}, "status": "ended"},
                  {"id": "c2", "name": "Conversation c2", "createdAt": "2026-12-01T11:00:00Z",
                   "avatar": {"type": "runway-preset", "presetId": "mina", "name": "Mina"}, "status": "ended"},
                  {"id": "c3", "name": "Conversation c3", "createdAt": "2026-12-01T12:00:00Z",
                   "avatar": {"type": "custom", "id": null, "name": null}, "status": "failed"},
                  {"id": "c4", "createdAt": "2026-12-01T13:00:00Z", "avatar": null, "status": "in_progress"}
                 ],
                 "hasMore": true, "nextCursor": "cur-2"}""");

        Listing.Page page = assertInstanceOf(Listing.Page.class,
                inventory.page(ResourceKind.AVATAR_CONVERSATIONS, null, 4));

        assertEquals(List.of(
                new Item("c1", "custom:av-1", Instant.parse("2026-12-01T10:00:00Z")),
                new Item("c2", "runway-preset:mina", Instant.parse("2026-12-01T11:00:00Z")),
                new Item("c3", "Conversation c3", Instant.parse("2026-12-01T12:00:00Z")),
                new Item("c4", null, Instant.parse("2026-12-01T13:00:00Z"))), page.items(),
                "a deleted custom avatar or none: Runway's own name, if any");
        assertEquals("cur-2", page.nextCursor());
    }

    @Test
    void readsAndDeletesAConversationOnRunwaysPaths() {
        answer("GET /v1/avatar_conversations/" + C1, 200, """
                {"id": "%s", "name": "Conversation", "createdAt": "2026-12-01T10:00:00Z",
                 "avatar": {"type": "custom", "id": "av-1"}, "status": "ended", "transcript": []}""".formatted(C1));
        answer("DELETE /v1/avatar_conversations/" + C1, 204, "");

        assertEquals(new Lookup.Found(new Item(C1, "custom:av-1", Instant.parse("2026-12-01T10:00:00Z"))),
                inventory.get(ResourceKind.AVATAR_CONVERSATIONS, C1));
        assertInstanceOf(Lookup.Done.class, inventory.delete(ResourceKind.AVATAR_CONVERSATIONS, C1));
        answers.clear();
        assertInstanceOf(Lookup.NotFound.class, inventory.get(ResourceKind.AVATAR_CONVERSATIONS, C1));
        assertEquals(List.of("GET /v1/avatar_conversations/" + C1, "DELETE /v1/avatar_conversations/" + C1,
                "GET /v1/avatar_conversations/" + C1), asked);
    }

    @Test
    void otherKindsKeepRunwaysName_andACursorGoesToRunwayAsIs() {
        answer("GET /v1/documents?cursor=abc&limit=2", 200, """
                {"data": [{"id": "d1", "name": "FAQ", "createdAt": "2026-12-01T10:00:00Z",
                           "avatar": {"type": "custom", "id": "av-1"}}],
                 "hasMore": false, "nextCursor": null}""");

        Listing.Page page = assertInstanceOf(Listing.Page.class, inventory.page(ResourceKind.DOCUMENTS, "abc", 2));

        assertEquals(List.of(new Item("d1", "FAQ", Instant.parse("2026-12-01T10:00:00Z"))), page.items());
        assertEquals(null, page.nextCursor());
    }
}
