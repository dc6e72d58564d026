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
 * calls of the collection. A conversation's name is the avatar it used, as the gateway's records name it
 * (Runway's own name for it when it names no avatar). Errors map as in {@link RunwayClientResources}; Runway's 400 to a list is a
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
            case Answer.Found<ObjectNode> found -> page(kind, found.resource());
            case Answer.Rejected<ObjectNode> rejected -> new Listing.CursorRefused(rejected.error());
            case Answer.Unavailable<ObjectNode> unavailable -> new Listing.Unavailable(unavailable.reason(),
                    unavailable.retryAfter());
            default -> new Listing.Unavailable("Runway answered the list unexpectedly", null);
        };
    }

    @Override
    public Lookup get(ResourceKind kind, String id) {
        return lookup(kind, RunwayClientResources.call(() ->
                new Answer.Found<>(client.getResource(kind.wireName(), id))));
    }

    @Override
    public Lookup delete(ResourceKind kind, String id) {
        return lookup(kind, RunwayClientResources.call(() -> {
            client.deleteResource(kind.wireName(), id);
            return new Answer.Done<>();
        }));
    }

    private static Lookup lookup(ResourceKind kind, Answer<ObjectNode> answer) {
        return switch (answer) {
            case Answer.Found<ObjectNode> found -> {
                Item item = item(kind, found.resource());
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

    private static Listing page(ResourceKind kind, ObjectNode page) {
        JsonNode data = page.get("data");
        if (data == null || !data.isArray()) {
            return new Listing.Unavailable("Runway's list could not be read", null);
        }
        List<Item> items = new ArrayList<>();
        for (JsonNode node : data) {
            Item item = item(kind, node);
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
    private static Item item(ResourceKind kind, JsonNode node) {
        JsonNode id = node.get("id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            return null;
        }
        JsonNode name = node.get("name");
        String shown = name != null && name.isTextual() ? name.asText() : null;
        if (kind == ResourceKind.AVATAR_CONVERSATIONS) {
            String avatar = avatarName(node.get("avatar"));
            shown = avatar != null ? avatar : shown;
        }
        return new Item(id.asText(), shown, RunwayClientResources.createdAt(node));
    }

    /**
     * A conversation's avatar as the gateway's records name it ({@code custom:<id>},
     * {@code runway-preset:<presetId>}), or null when Runway names none (no avatar, a deleted custom one).
     */
    private static String avatarName(JsonNode avatar) {
        if (avatar == null || !avatar.isObject()) {
            return null;
        }
        String type = avatar.path("type").textValue();
        JsonNode id = "custom".equals(type) ? avatar.get("id")
                : "runway-preset".equals(type) ? avatar.get("presetId") : null;
        return id != null && id.isTextual() && !id.asText().isEmpty() ? type + ":" + id.asText() : null;
    }
}
