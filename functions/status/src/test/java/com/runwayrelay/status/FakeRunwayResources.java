package com.runwayrelay.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.runwayrelay.aws.gateway.ApiResponse;
import com.runwayrelay.domain.owned.RunwayResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runway's avatars or voices in memory, organization-wide: a create stores the body with an id,
 * {@code createdAt} and {@code status: PROCESSING}; an update merges the body. {@link #calls} records
 * every call as {@code "create"}, {@code "get id"}, {@code "update id"}, {@code "delete id"}.
 */
final class FakeRunwayResources implements RunwayResources<ObjectNode, ObjectNode> {
    final Map<String, ObjectNode> items = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    /** When set, the next create answers this (once) instead of creating anything. */
    Answer<ObjectNode> nextCreate;
    /** When set, the next create throws this (once), as a client that fails unexpectedly would. */
    RuntimeException nextCreateThrows;
    /** When set, every delete answers that Runway could not be reached, deleting nothing. */
    boolean failDeletes;
    private final String prefix;
    private int ids;

    FakeRunwayResources(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public synchronized Answer<ObjectNode> create(ObjectNode body) {
        calls.add("create");
        if (nextCreateThrows != null) {
            RuntimeException thrown = nextCreateThrows;
            nextCreateThrows = null;
            throw thrown;
        }
        if (nextCreate != null) {
            Answer<ObjectNode> scripted = nextCreate;
            nextCreate = null;
            return scripted;
        }
        String id = String.format("%s-0000-4000-8000-%012d", prefix, ++ids);
        ObjectNode item = body.deepCopy();
        item.put("id", id).put("createdAt", "2026-12-03T06:00:0" + (ids % 10) + "Z").put("status", "PROCESSING");
        items.put(id, item);
        return new Answer.Created<>(id, null, item.deepCopy());
    }

    @Override
    public synchronized Answer<ObjectNode> get(String id) {
        calls.add("get " + id);
        ObjectNode item = items.get(id);
        return item == null ? new Answer.NotFound<>() : new Answer.Found<>(item.deepCopy());
    }

    @Override
    public synchronized Answer<ObjectNode> update(String id, ObjectNode body) {
        calls.add("update " + id);
        ObjectNode item = items.get(id);
        if (item == null) {
            return new Answer.NotFound<>();
        }
        item.setAll(body);
        return new Answer.Found<>(item.deepCopy());
    }

    @Override
    public synchronized Answer<ObjectNode> delete(String id) {
        calls.add("delete " + id);
        if (failDeletes) {
            return new Answer.Unavailable<>("Runway unreachable", null);
        }
        return items.remove(id) == null ? new Answer.NotFound<>() : new Answer.Done<>();
    }

    /** A preview answer. */
    Answer<ObjectNode> preview(ObjectNode body) {
        calls.add("preview");
        return new Answer.Found<>(ApiResponse.JSON.createObjectNode().put("url", "https://cdn.example.com/p.mp3")
                .put("durationSecs", 4.5));
    }
}
