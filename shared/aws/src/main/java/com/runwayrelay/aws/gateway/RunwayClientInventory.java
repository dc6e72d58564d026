package com.runwayrelay.aws.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.domain.owned.ResourceKind;
import com.runwayrelay.domain.owned.RunwayInventory;
import com.runwayrelay.domain.owned.RunwayResources.Answer;
import com.runwayrelay.runway.RunwayClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RunwayInventory} over {@link RunwayClient}: {@code GET /v1/<kind>} pages and the one-resource
 * calls of the collection. Errors map as in {@link RunwayClientResources}; Runway's 400 to a list is a
 * refused cursor (the only parameter that is not the gateway's own), and a page or resource without a
 * string {@code id} is unreadable (unavailable: nothing is decided on it).
 */
public final class RunwayClientInventory implements RunwayInventory {
    private final RunwayClient client;

    public RunwayClientInventory(RunwayClient client) {
        this.client = client;
    }

    @Override
    public Listing page(ResourceKind kind, String cursor, int limit) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("limit", Integer.toString(limit));
        if (cursor != null) {
            query.put("cursor", cursor);
        }
        Answer<ObjectNode> answer = RunwayClientResources.call(() ->
                new Answer.Found<>(client.listResources(kind.wireName(), query)));
        return switch (answer) {
            case Answer.Found<ObjectNode> found -> page(found.resource());
            case Answer.Rejected<ObjectNode> rejected -> new Listing.CursorRefused(rejected.error());
            case Answer.Unavailable<ObjectNode> unavailable -> new Listing.Unavailable(unavailable.reason(),
                    unavailable.retryAfter());
            default -> new Listing.Unavailable("Runway answered the list unexpectedly", null);
        };
    }

    @Override
    public Lookup get(ResourceKind kind, String id) {
        return lookup(RunwayClientResources.call(() -> new Answer.Found<>(client.getResource(kind.wireName(), id))));
    }

    @Override
    public Lookup delete(ResourceKind kind, String id) {
        return lookup(RunwayClientResources.call(() -> {
            client.deleteResource(kind.wireName(), id);
            return new Answer.Done<>();
        }));
    }

    private static Lookup lookup(Answer<ObjectNode> answer) {
        return switch (answer) {
            case Answer.Found<ObjectNode> found -> {
                Item item = item(found.resource());
                yield item == null ? new Lookup.Unavailable("Runway's answer could not be read", null)
                        : new Lookup.Found(item);
            }
            case Answer.Done<ObjectNode> done -> new Lookup.Done();
            case Answer.NotFound<ObjectNode> notFound -> new Lookup.NotFound();
            case Answer.Unavailable<ObjectNode> unavailable -> new Lookup.Unavailable(unavailable.reason(),
                    unavailable.retryAfter());
            default -> new Lookup.Unavailable("Runway refused the gateway's call", null);
        };
    }

    private static Listing page(ObjectNode page) {
        JsonNode data = page.get("data");
        if (data == null || !data.isArray()) {
            return new Listing.Unavailable("Runway's list could not be read", null);
        }
        List<Item> items = new ArrayList<>();
        for (JsonNode node : data) {
            Item item = item(node);
            if (item == null) {
                return new Listing.Unavailable("Runway's list could not be read", null);
            }
            items.add(item);
        }
        JsonNode next = page.get("nextCursor");
        boolean more = page.path("hasMore").asBoolean(false);
        return new Listing.Page(items, more && next != null && next.isTextual() && !next.asText().isEmpty()
                ? next.asText() : null);
    }

    /** The item, or null when the node has no string id. */
    private static Item item(JsonNode node) {
        JsonNode id = node.get("id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            return null;
        }
        JsonNode name = node.get("name");
        return new Item(id.asText(), name != null && name.isTextual() ? name.asText() : null,
                RunwayClientResources.createdAt(node));
    }
}
